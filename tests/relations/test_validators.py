"""Input that must never be stored: a BSN as a client number, letters as a phone number, a
KvK number that is not one. Refused by the validators themselves and on every way in: the
model (services), the workspace forms, the import wizard and the portal forms."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.forms import MeetupRegistrationForm
from matching_events.portal.forms import EmployerSignUpForm
from matching_events.services import registrations
from relations import services
from relations.forms import CandidateForm, ContactPersonForm, EmployerForm
from relations.imports.candidates import CandidateImport
from relations.imports.files import Table
from relations.validators import (
    passes_eleven_test,
    validate_client_reference,
    validate_kvk_number,
    validate_phone,
)
from tests.relations.conftest import new_candidate, new_employer

WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


@st.composite
def eleven_proof_numbers(draw) -> str:
    """9 digits passing the BSN 11-proof: choose eight, the ninth follows (if it is a digit)."""
    first = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    last = sum(d * w for d, w in zip(first, WEIGHTS, strict=True)) % 11
    if last == 10:
        first[7] = (first[7] + 1) % 10
        last = sum(d * w for d, w in zip(first, WEIGHTS, strict=True)) % 11
    if last == 10:  # rare: nudge once more
        first[6] = (first[6] + 1) % 10
        last = sum(d * w for d, w in zip(first, WEIGHTS, strict=True)) % 11
    number = "".join(map(str, first)) + str(last)
    assert passes_eleven_test(number) or last == 10
    return number


def _refused(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return True
    return False


@settings(max_examples=300)
@given(eleven_proof_numbers(), st.sampled_from(["{}", "{} ", "{:.3}.{}", "{:.4} {}"]))
def test_no_eleven_proof_number_is_accepted_as_a_client_number(number, layout):
    if not passes_eleven_test(number):
        return
    written = {"{}": number, "{} ": number + " ", "{:.3}.{}": f"{number[:3]}.{number[3:]}",
               "{:.4} {}": f"{number[:4]} {number[4:]}"}[layout]
    assert _refused(validate_client_reference, written)


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@settings(max_examples=300)
@given(eleven_proof_numbers(),
       st.sampled_from(["", "BSN ", "bsn:", "K", "0", "nr. ", "Burgerservicenummer "]),
       st.sampled_from(["", "a", "/1", " ", "-x"]),
       st.sampled_from(["", ".", "_", "-", " "]), st.booleans())
def test_a_bsn_wrapped_in_other_characters_is_refused(number, prefix, suffix, separator,
                                                      wide):
    """The outside test's bypasses (fresh-eyes attack): `BSN 111222333`, `K111222333`,
    `111222333a`, `111_222_333`, `111222333/1`, fullwidth digits, `0111222333`."""
    if not passes_eleven_test(number):
        return
    written = separator.join((number[:3], number[3:6], number[6:]))
    if wide:
        written = written.translate(FULLWIDTH)
    assert _refused(validate_client_reference, prefix + written + suffix), (
        prefix + written + suffix)


def test_known_bsn_examples_are_refused_and_ordinary_client_numbers_pass():
    for bsn in ("111222333", "123456782", "999999990", "1234.56.782"):
        assert _refused(validate_client_reference, bsn), bsn
    for number in ("K-1001", "123456789", "12345678", "1234567890", "", "KL 2024 17"):
        assert not _refused(validate_client_reference, number), number


@given(st.text(min_size=1, max_size=30).filter(lambda t: any(c.isalpha() for c in t)))
def test_a_phone_number_with_letters_is_refused(text):
    assert _refused(validate_phone, text)


@given(st.sampled_from(["+31 6 {}", "06-{}", "06 {}", "06{}", "(06) {}", "+316{}",
                        "0031 6 {}"]), st.integers(10_000_000, 99_999_999))
def test_ordinary_phone_formats_are_accepted(layout, digits):
    assert not _refused(validate_phone, layout.format(digits))


@pytest.mark.parametrize("phone", ["+31 6 12345678", "06-12345678", "010 123 45 67",
                                   "(010) 123 4567", "0791234567", ""])
def test_the_examples_of_the_security_test_are_accepted(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["06-1234567x", "bel me", "112", "14 079",
                                   "+31 6 123456789012345", "06--", "0612345678\x00",
                                   "6 12 34 56 78+", "06/12345678"])
def test_other_odd_phone_numbers_are_refused(phone):
    assert _refused(validate_phone, phone)


@pytest.mark.parametrize("kvk", ["00000000", "0000 0000", "000.000.00", "1234567", "123456789",
                                 "1234567a", "١٢٣٤٥٦٧٨"])
def test_invalid_kvk_numbers_are_refused(kvk):
    assert _refused(validate_kvk_number, kvk)


@given(st.integers(1, 99_999_999).map(lambda n: f"{n:08d}"))
def test_every_other_eight_digit_kvk_number_is_accepted(kvk):
    validate_kvk_number(kvk)


# --- every way in ---------------------------------------------------------------------------

BSN, LETTERS = "123456782", "06-CALLME-1"


@pytest.mark.usefixtures("in_zoetermeer")
def test_the_services_refuse_them(alice):
    with pytest.raises(ValidationError) as error:
        new_candidate(alice, client_reference=BSN, phone=LETTERS)
    assert set(error.value.message_dict) >= {"client_reference", "phone"}
    with pytest.raises(ValidationError) as error:
        new_employer(alice, kvk_number="00000000",
                     contacts=[{"name": "Piet", "email": "", "phone": LETTERS, "role": ""}])
    with pytest.raises(ValidationError) as error:
        services.add_contact_person(new_employer(alice), name="Piet", phone=LETTERS)
    assert "phone" in error.value.message_dict


@pytest.mark.usefixtures("in_zoetermeer")
def test_the_workspace_forms_refuse_them(alice):
    candidate = CandidateForm({"first_name": "Kees", "last_name": "Mulder", "status": "active",
                               "client_reference": BSN, "phone": LETTERS})
    assert not candidate.is_valid()
    assert {"client_reference", "phone"} <= set(candidate.errors)
    employer = EmployerForm({"name": "Acme", "kvk_number": "0000 0000", "status": "prospect"})
    assert not employer.is_valid() and "kvk_number" in employer.errors
    person = ContactPersonForm({"name": "Piet", "phone": LETTERS})
    assert not person.is_valid() and "phone" in person.errors


def test_the_portal_forms_refuse_letters_as_a_phone_number():
    registration = MeetupRegistrationForm({"first_name": "Kees", "last_name": "Mulder",
                                           "email": "kees@example.org", "phone": LETTERS})
    assert "phone" in registration.errors
    sign_up = EmployerSignUpForm({"company_name": "Acme", "kvk_number": "00000000",
                                  "phone": LETTERS})
    assert {"kvk_number", "phone"} <= set(sign_up.errors)


def test_the_registration_service_refuses_letters_as_a_phone_number():
    with pytest.raises(ValidationError) as error:
        registrations._clean_person("Kees", "Mulder", "kees@example.org", LETTERS)
    assert "phone" in error.value.message_dict


@pytest.mark.usefixtures("in_zoetermeer")
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(eleven_proof_numbers())
def test_the_import_refuses_a_bsn_as_client_number_and_letters_as_phone(alice, number):
    if not passes_eleven_test(number):
        return
    table = Table(headers=["Voornaam", "Achternaam", "Klantnummer", "Telefoon"],
                  rows=[(2, ["Kees", "Mulder", int(number), "06-12345678"]),
                        (3, ["Ans", "Bos", "K-1", LETTERS])])
    importer = CandidateImport(user=alice, mapping={"first_name": 0, "last_name": 1,
                                                    "client_reference": 2, "phone": 3})
    importer.check(table)
    assert {(e["row"], e["field"]) for e in importer.errors} == {
        (2, "client_reference"), (3, "phone")}
