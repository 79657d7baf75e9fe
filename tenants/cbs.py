"""The CBS list of Dutch municipalities (shipped copy of shared/data/gemeenten.csv)."""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "gemeenten.csv"
CBS_CODE_RE = re.compile(r"^GM\d{4}$")


@dataclass(frozen=True)
class CbsMunicipality:
    cbs_code: str
    name: str
    province: str


@cache
def all_municipalities() -> dict[str, CbsMunicipality]:
    """All 342 municipalities by CBS code, read once per process."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["cbs_code"]: CbsMunicipality(row["cbs_code"], row["name"], row["province"])
            for row in csv.DictReader(handle)
        }


def normalise_cbs_code(value: str) -> str:
    """Accept ' gm0637 ' or '0637' as GM0637."""
    value = (value or "").strip().upper()
    if value.isdigit() and len(value) <= 4:
        value = f"GM{int(value):04d}"
    return value


def lookup(cbs_code: str) -> CbsMunicipality:
    """The municipality for a CBS code, or a ValidationError with a Dutch message."""
    code = normalise_cbs_code(cbs_code)
    if not CBS_CODE_RE.match(code):
        raise ValidationError(
            _("“%(code)s” is not a CBS municipality code: use GM followed by four digits, "
              "for example GM0637."),
            code="invalid_format", params={"code": cbs_code},
        )
    try:
        return all_municipalities()[code]
    except KeyError:
        raise ValidationError(
            _("There is no Dutch municipality with CBS code %(code)s."),
            code="unknown", params={"code": code},
        ) from None


def validate_cbs_code(value: str) -> None:
    """Model-field validator."""
    lookup(value)
