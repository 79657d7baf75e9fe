"""Dutch formats: KvK numbers, postcodes, phone numbers and client numbers. The one module of
input validators: model fields, forms, the import wizard (through the models' `full_clean`)
and the services all use these. Messages in plain language."""

import re
import unicodedata
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
    """8 digits (spaces and dots allowed), never 00000000: the KvK hands out no such number."""
    number = normalise_kvk(value)
    if not re.fullmatch(r"[0-9]{8}", number) or number == "00000000":
        raise ValidationError(
            _("A KvK number has exactly 8 digits and is not 00000000, for example 27312152."),
            code="kvk")


PHONE_CHARACTERS = re.compile(r"\+?[0-9 ()\-]+")
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 8, 15  # 14 079 and 112 are not a person's number; E.164
PHONE_MAX_LENGTH = 30


def validate_phone(value: str) -> None:
    """Digits, spaces, hyphens and brackets, an optional + in front: +31 6 12345678,
    06-12345678, 010 123 45 67, (010) 123 4567. Between 8 and 15 digits."""
    text = (value or "").strip()
    if not text:
        return
    digits = sum(ch in "0123456789" for ch in text)
    if (len(text) > PHONE_MAX_LENGTH or not PHONE_CHARACTERS.fullmatch(text)
            or not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS):
        raise ValidationError(
            _("Enter a phone number with digits only, for example 06-12345678 or "
              "+31 6 12345678."), code="phone")


def passes_eleven_test(digits: str) -> bool:
    """The 11-proof of the citizen service number (BSN): 9 digits, weights 9 down to 2 and
    -1 for the last; the sum is a multiple of 11."""
    if not re.fullmatch(r"[0-9]{9}", digits):
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def could_hold_a_bsn(value: str) -> bool:
    """Whether a free-text number could carry someone's BSN: after folding look-alike digits
    (NFKC: fullwidth, superscript), its digits (whatever stands between or around them:
    letters, "BSN", '/', '_') are 9 to 11 digits of which 9 in a row pass the 11-proof; or
    it names a BSN outright. Deliberately broad: a client number
    can always be written without these shapes."""
    text = unicodedata.normalize("NFKC", value or "")
    if re.search(r"(?i)\b(bsn|burgerservicenummer)", text):
        return True
    digits = "".join(ch for ch in text if ch.isdigit() and ch.isascii())
    # 9 to 11 digits in all: any 9 in a row of them ("0111222333", "111222333/1")
    if 9 <= len(digits) <= 11 and any(
            passes_eleven_test(digits[start:start + 9]) for start in range(len(digits) - 8)):
        return True
    # a BSN written as one run of 9 digits inside a longer reference ("K111222333-2")
    return any(passes_eleven_test(run) for run in re.findall(r"(?<![0-9])[0-9]{9}(?![0-9])",
                                                             text))


def validate_client_reference(value: str) -> None:
    """The platform stores no BSN: a client number that could be one is refused."""
    if could_hold_a_bsn(value):
        raise ValidationError(
            _("This looks like a citizen service number (BSN). Do not enter a BSN here. Use "
              "the client number of the municipality."), code="bsn")


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
