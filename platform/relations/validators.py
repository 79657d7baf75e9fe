"""Dutch formats: KvK numbers and postcodes. Messages in plain language."""

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")
# Combinations the post office never hands out.
POSTCODE_NOT_USED = {"SA", "SD", "SS"}


def normalise_kvk(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def validate_kvk_number(value: str) -> None:
    if not re.fullmatch(r"[0-9]{8}", normalise_kvk(value)):
        raise ValidationError(
            _("A KvK number has exactly 8 digits, for example 27312152."), code="kvk")


def normalise_postcode(value: str) -> str:
    """'2711 ab' -> '2711 AB'. Leaves values it cannot read alone for the validator."""
    match = POSTCODE.match(value or "")
    if not match:
        return (value or "").strip()
    return f"{match.group(1)} {match.group(2).upper()}"


def validate_postcode(value: str) -> None:
    match = POSTCODE.match(value or "")
    if not match or match.group(2).upper() in POSTCODE_NOT_USED:
        raise ValidationError(
            _("Enter a Dutch postcode: four digits and two letters, for example 2711 AB."),
            code="postcode")


def validate_year_of_birth(value: int) -> None:
    this_year = timezone.localdate().year
    if value is not None and not (this_year - 100 <= value <= this_year - 15):
        raise ValidationError(
            _("Enter a year of birth between %(low)s and %(high)s.")
            % {"low": this_year - 100, "high": this_year - 15}, code="year_of_birth")


def validate_not_in_future(value) -> None:
    if value is None:
        return
    day = timezone.localdate(value) if isinstance(value, datetime) else value
    if day > timezone.localdate():
        raise ValidationError(_("This date cannot be in the future."), code="future")
