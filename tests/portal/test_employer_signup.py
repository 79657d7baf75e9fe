""""Doe mee als ondernemer": the public employer sign-up. An anonymous form, so it never
changes an existing employer; it assigns a relationship manager and asks for review."""

import re

import pytest
from django.core.cache import cache
from django_tenants.utils import tenant_context

from accounts.roles import Role
from core.antispam import HONEYPOT_FIELD
from matching_events.models import Opportunity
from matching_events.portal.views_signup import RATE
from matching_events.services.signup import choose_relationship_manager
from relations.models import ContactPerson, Employer
from tests.conftest import client_for, make_user
from tests.relations import conftest as people
from tests.relations.conftest import logged_in, new_employer

# fixtures of the relationship-management tests
alice = people.alice
bob = people.bob
carol = people.carol
charlie = people.charlie

URL = "/doe-mee-als-ondernemer/"
DONE = "/doe-mee-als-ondernemer/bedankt/"
SCRIPT = "<script>alert(1)</script>"


def form_data(**changes) -> dict:
    data = {"company_name": "Kwekerij Groen", "kvk_number": "1234 5678", "sector": "A",
            "postcode": "2711ab", "contact_name": "Fatima el Amrani",
            "email": "fatima@kwekerij.example", "phone": "079 123 45 67", "kind": "job",
            "title": "Medewerker kas", "description": "Planten verzorgen.",
            "hours_per_week": "24", "publish_on_portal": "on", HONEYPOT_FIELD: ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def counts(municipality) -> tuple[int, int, int]:
    with tenant_context(municipality):
        return (Employer.objects.count(), ContactPerson.objects.count(),
                Opportunity.objects.count())


def sign_up(municipality, ip: str = "10.1.0.1", **changes):
    return client_for(municipality).post(URL, form_data(**changes), REMOTE_ADDR=ip)


def test_the_form_is_accessible_plain_and_not_cached(zoetermeer):
    response = client_for(zoetermeer).get(URL)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    assert body.count("<fieldset") >= 4 and body.count("<legend") >= 4
    for name, token in (("company_name", "organization"), ("postcode", "postal-code"),
                        ("contact_name", "name"), ("email", "email"), ("phone", "tel")):
        tag = re.search(rf'<[^>]*name="{name}"[^>]*>', body).group(0)
        assert f'autocomplete="{token}"' in tag, tag
        assert f'for="id_{name}"' in body
    assert f'name="{HONEYPOT_FIELD}"' in body
    assert 'name="sector"' in body and "Landbouw" in body  # the SBI sections


def test_a_sign_up_creates_a_prospect_with_contact_and_an_opportunity_for_review(
        zoetermeer, alice, bob, carol, mailoutbox, django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer):
        new_employer(bob, kvk_number="11111111", sector="A", name="Boer Jansen")
        new_employer(alice, kvk_number="22222222", sector="G", name="Winkel")
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(zoetermeer)
    assert response.status_code == 302 and response["Location"] == DONE
    with tenant_context(zoetermeer):
        employer = Employer.objects.get(kvk_number="12345678")
        assert employer.name == "Kwekerij Groen" and employer.status == "prospect"
        assert employer.postcode == "2711 AB" and employer.sector == "A"
        assert employer.owner == bob  # bob owns the employers of sector A
        contact = employer.contacts.get()
        assert (contact.name, contact.email, contact.phone) == (
            "Fatima el Amrani", "fatima@kwekerij.example", "079 123 45 67")
        opportunity = employer.opportunities.get()
        assert opportunity.status == Opportunity.Status.AWAITING_REVIEW
        assert opportunity.posted_via_portal and opportunity.publish_on_portal
        assert (opportunity.kind, opportunity.title, opportunity.hours_per_week) == (
            "job", "Medewerker kas", 24)
        assert "fatima" in employer.search_text
    assert [m.to for m in mailoutbox] == [["bob@zoetermeer.example"]]
    assert "Medewerker kas" in mailoutbox[0].subject


def test_without_a_sector_match_the_manager_with_fewest_employers_gets_it(
        zoetermeer, alice, bob, carol, django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer):
        assert choose_relationship_manager("A") == alice  # nobody has any: ties by id
        new_employer(alice, kvk_number="11111111", sector="G")
        new_employer(alice, kvk_number="22222222", sector="G")
        new_employer(bob, kvk_number="33333333", sector="C")
        assert choose_relationship_manager("A") == bob  # round-robin: fewest employers
        assert choose_relationship_manager("G") == alice  # by sector
        bob.is_active = False
        bob.save()
        assert choose_relationship_manager("C") == alice  # only active ones
        with tenant_context(zoetermeer):
            extra = make_user(zoetermeer, Role.EMPLOYER, "werkgever@example.org")
        assert choose_relationship_manager("") == alice and extra != alice
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_up(zoetermeer, sector="F").status_code == 302
    with tenant_context(zoetermeer):
        assert Employer.objects.get(kvk_number="12345678").owner == alice


def test_an_existing_kvk_number_is_never_overwritten(zoetermeer, alice, bob, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer):
        employer = new_employer(alice, kvk_number="12345678", sector="G", postcode="2712 AA",
                                contacts=[{"name": "Piet", "email": "piet@bakker.example"}])
        before = Employer.objects.values().get(pk=employer.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_up(zoetermeer, company_name="Overgenomen BV", sector="A",
                       postcode="9999 ZZ").status_code == 302
        assert sign_up(zoetermeer, company_name="Nog eens", email="PIET@bakker.example",
                       title="Tweede kans").status_code == 302
    with tenant_context(zoetermeer):
        after = Employer.objects.values().get(pk=employer.pk)
        assert "fatima" in after.pop("search_text")  # derived: the new contact is findable
        before.pop("search_text")
        assert after == before  # name, sector, postcode, owner, version: all the same
        assert sorted(employer.contacts.values_list("email", flat=True)) == [
            "fatima@kwekerij.example", "piet@bakker.example"]  # Piet is not added twice
        assert sorted(employer.opportunities.values_list("title", flat=True)) == [
            "Medewerker kas", "Tweede kans"]
        assert Employer.objects.count() == 1
    assert {m.to[0] for m in mailoutbox} == {"alice@zoetermeer.example"}


def test_an_existing_employer_without_manager_gets_one_and_keeps_its_data(
        zoetermeer, alice, django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer):
        employer = new_employer(None, kvk_number="12345678", name="Zonder Beheerder")
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_up(zoetermeer, company_name="Andere naam").status_code == 302
    with tenant_context(zoetermeer):
        employer.refresh_from_db()
        assert employer.owner == alice and employer.name == "Zonder Beheerder"


@pytest.mark.parametrize(("changes", "field", "dutch"), [
    ({"kvk_number": "1234567"}, "kvk_number", "Een KvK-nummer heeft precies 8 cijfers"),
    ({"kvk_number": "abcdefgh"}, "kvk_number", "Een KvK-nummer heeft precies 8 cijfers"),
    ({"email": "fatima@"}, "email", "Voer een geldig e-mailadres in"),
    ({"company_name": "x" * 201}, "company_name", "niet meer dan 200 tekens"),
    ({"description": "x" * 1001}, "description", "niet meer dan 1000 tekens"),
    ({"postcode": "12345"}, "postcode", "vier cijfers en twee letters"),
    ({"hours_per_week": "80"}, "hours_per_week", "hoogstens 60"),
    ({"title": ""}, "title", "Dit is een verplicht veld"),
    ({"kind": "director"}, "kind", "Selecteer een geldige keuze"),
])
def test_invalid_input_gets_a_dutch_message_and_nothing_is_stored(
        zoetermeer, alice, mailoutbox, changes, field, dutch,
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(zoetermeer, **changes)
    assert response.status_code == 200
    body = response.content.decode()
    assert dutch in body
    assert 'class="werktop-error-summary"' in body and f'href="#id_{field}' in body
    assert 'value="Fatima el Amrani"' in body or field == "contact_name"  # input kept
    assert counts(zoetermeer) == (0, 0, 0) and mailoutbox == []


def test_a_filled_honeypot_stores_nothing(zoetermeer, alice, mailoutbox):
    response = sign_up(zoetermeer, **{HONEYPOT_FIELD: "http://spam.example"})
    assert response.status_code == 200
    assert "spam.example" not in response.content.decode()
    assert counts(zoetermeer) == (0, 0, 0) and mailoutbox == []


def test_too_many_posts_from_one_address_get_429_per_municipality(zoetermeer, hilversum):
    limit = int(RATE.split("/")[0])
    client = client_for(zoetermeer)
    for _ in range(limit):
        assert client.post(URL, {}, REMOTE_ADDR="10.9.9.9").status_code == 200
    response = client.post(URL, form_data(), REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429 and response["Retry-After"]
    assert counts(zoetermeer) == (0, 0, 0)
    assert client.post(URL, {}, REMOTE_ADDR="10.9.9.10").status_code == 200  # another address
    assert client_for(hilversum).post(URL, {}, REMOTE_ADDR="10.9.9.9").status_code == 200
    cache.clear()


def test_html_is_escaped_on_the_thank_you_page_and_in_the_workspace(
        zoetermeer, alice, django_capture_on_commit_callbacks):
    client = client_for(zoetermeer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(company_name=SCRIPT, title=SCRIPT,
                                              contact_name=SCRIPT), follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and SCRIPT not in body
    assert "Bedankt" in body or "Thank you" in body
    again = client.get(DONE).content.decode()  # shown once: no details the second time
    assert "alert(1)" not in again
    with tenant_context(zoetermeer):
        employer = Employer.objects.get()
        opportunity = employer.opportunities.get()
    workspace = logged_in(zoetermeer, alice)
    for path in (f"/werkplek/werkgevers/{employer.pk}/", f"/werkplek/kansen/{opportunity.pk}/",
                 "/werkplek/kansen/"):
        page = workspace.get(path)
        assert page.status_code == 200, path
        assert SCRIPT not in page.content.decode(), path


def test_an_error_in_one_municipality_is_not_in_another(zoetermeer, hilversum, alice, charlie,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_up(hilversum).status_code == 302
    assert counts(zoetermeer) == (0, 0, 0)
    with tenant_context(hilversum):
        assert Employer.objects.get().owner == charlie
