"""A contact person left on the anonymous "Doe mee als ondernemer" form is unconfirmed until
the employer's relationship manager confirms them: until then they receive nothing (meetup
invitation, dates, introduction with a candidate's details, portal account) and the visitor
cannot tell from the answer whether the KvK number was known."""

import re

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from matching_events.models import Conversation, MatchLead
from matching_events.services import accounts, meetups, outcomes
from relations.models import ContactPerson, Employer, NextAction
from relations.services import confirm_contact_person, confirmed_contacts
from tests.matching_events.conftest import new_meetup
from tests.portal.test_employer_signup import DONE, sign_up
from tests.relations.conftest import logged_in, new_candidate, new_employer

OUTSIDER = "indringer@elders.example"
KNOWN_KVK, UNKNOWN_KVK = "12345678", "87654321"  # the form's own number is the known one


@pytest.fixture
def known_employer(zoetermeer, alice):
    """An employer of alice with a public KvK number and no contact person yet."""
    with tenant_context(zoetermeer):
        return new_employer(alice, kvk_number=KNOWN_KVK, sector="Q")


def outsider_signs_up(zoetermeer, **changes):
    response = sign_up(zoetermeer, email=OUTSIDER, contact_name="Iemand Anders", **changes)
    assert response.status_code == 302 and response["Location"].endswith(DONE)
    with tenant_context(zoetermeer):
        return ContactPerson.objects.get(email=OUTSIDER)


def test_existing_rows_and_staff_contacts_are_confirmed(zoetermeer, alice):
    with tenant_context(zoetermeer):
        employer = new_employer(alice, contacts=[{"name": "Piet", "email": "piet@b.example"}])
        assert employer.contacts.get().confirmed is True
        assert list(confirmed_contacts(employer)) == list(employer.contacts.all())


def test_a_contact_from_the_form_is_unconfirmed_for_a_known_and_a_new_employer(
        zoetermeer, alice, known_employer):
    outsider = outsider_signs_up(zoetermeer)
    assert outsider.confirmed is False and outsider.employer_id == known_employer.pk
    sign_up(zoetermeer, kvk_number=UNKNOWN_KVK, email="nieuw@bedrijf.example")
    with tenant_context(zoetermeer):
        new = Employer.objects.get(kvk_number=UNKNOWN_KVK)
        assert [c.confirmed for c in new.contacts.all()] == [False]
        assert list(confirmed_contacts(new)) == []
        # The relationship manager is asked, in "my day", to check the contact.
        assert NextAction.objects.filter(employer=known_employer, owner=alice,
                                         done_at__isnull=True).exists()
        assert new.opportunities.filter(status="awaiting_review").exists()


def test_an_unconfirmed_contact_gets_no_invitation_until_confirmed(
        zoetermeer, alice, known_employer, mailoutbox, django_capture_on_commit_callbacks):
    outsider = outsider_signs_up(zoetermeer)
    with tenant_context(zoetermeer):
        first, second = new_meetup(alice), new_meetup(alice, title="Tweede")
    mailoutbox.clear()
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        (participation,) = meetups.invite_employers(first.pk, [known_employer.pk], by=alice)
        assert participation.contact is None  # cannot become the meetup contact
    assert OUTSIDER not in {to for m in mailoutbox for to in m.to}

    client = logged_in(zoetermeer, alice)
    page = client.get(f"/werkplek/werkgevers/{known_employer.pk}/").content.decode()
    assert "niet bevestigd" in page or "not confirmed" in page
    response = client.post(f"/werkplek/werkgevers/{known_employer.pk}/contactpersonen/"
                           f"{outsider.pk}/bevestigen/")
    assert response.status_code == 302
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        assert ContactPerson.objects.get(pk=outsider.pk).confirmed is True
        (participation,) = meetups.invite_employers(second.pk, [known_employer.pk], by=alice)
        assert participation.contact_id == outsider.pk
    assert OUTSIDER in {to for m in mailoutbox for to in m.to}


def test_a_colleague_of_another_municipality_cannot_confirm(zoetermeer, hilversum, charlie,
                                                           known_employer):
    outsider = outsider_signs_up(zoetermeer)
    response = logged_in(hilversum, charlie).post(
        f"/werkplek/werkgevers/{known_employer.pk}/contactpersonen/{outsider.pk}/bevestigen/")
    assert response.status_code == 404
    with tenant_context(zoetermeer):
        assert ContactPerson.objects.get(pk=outsider.pk).confirmed is False


def test_an_unconfirmed_contact_gets_no_introduction_and_no_portal_account(
        zoetermeer, alice, known_employer, mailoutbox, django_capture_on_commit_callbacks):
    outsider = outsider_signs_up(zoetermeer)
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice)
        samira = new_candidate(alice)
        meetups.invite_employers(meetup.pk, [known_employer.pk], by=alice)
        conversation = Conversation.objects.create(
            meetup=meetup, employer=known_employer, candidate=samira, employer_says="yes",
            candidate_says="yes")
        lead = MatchLead.objects.create(conversation=conversation, employer=known_employer,
                                        candidate=samira, owner=alice)
        with pytest.raises(ValidationError):
            accounts.invite_employer_user(known_employer.pk, outsider.pk, by=alice)
    mailoutbox.clear()
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        outcomes.approve_match_lead(lead.pk, by=alice)
        details = outcomes.contact_details_for_candidate(MatchLead.objects.get(pk=lead.pk))
        assert OUTSIDER not in details.values()
    recipients = {to for m in mailoutbox for to in m.to}
    assert OUTSIDER not in recipients and "samira@example.org" in recipients
    assert not any("samira" in m.body and OUTSIDER in m.to for m in mailoutbox)

    with tenant_context(zoetermeer):
        confirm_contact_person(outsider.pk, by=alice)
        lead2 = MatchLead.objects.create(
            conversation=Conversation.objects.create(
                meetup=new_meetup(alice, title="Nog een"), employer=known_employer,
                candidate=samira, employer_says="yes", candidate_says="yes"),
            employer=known_employer, candidate=samira, owner=alice)
    mailoutbox.clear()
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        outcomes.approve_match_lead(lead2.pk, by=alice)
    assert OUTSIDER in {to for m in mailoutbox for to in m.to}


def _page(response) -> str:
    text = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


@pytest.mark.parametrize("changes", [
    {},  # accepted
    {"postcode": "99999"},  # refused by a check
    {"phone": "bel me maar"},
])
def test_the_answer_does_not_tell_whether_the_kvk_number_is_known(zoetermeer, alice,
                                                                  known_employer, changes):
    answers = []
    for number, kvk in enumerate((KNOWN_KVK, UNKNOWN_KVK)):
        response = sign_up(zoetermeer, ip=f"10.9.0.{number}", kvk_number=kvk,
                           email=f"p{number}@x.example", **changes)
        if response.status_code == 302:
            answers.append(("redirect", response["Location"]))
        else:
            answers.append((response.status_code, _page(response)
                            .replace(f'value="{kvk}"', 'value="KVK"')
                            .replace(f"p{number}@x.example", "MAIL")))
    assert answers[0] == answers[1]


def test_confirming_later_sends_the_open_invitation_that_had_nobody(
        zoetermeer, alice, known_employer, mailoutbox, django_capture_on_commit_callbacks):
    outsider = outsider_signs_up(zoetermeer)
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        meetup = new_meetup(alice)
        (participation,) = meetups.invite_employers(meetup.pk, [known_employer.pk], by=alice)
    mailoutbox.clear()
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        sent = meetups.confirm_employer_contact(outsider.pk, by=alice)
        assert [p.pk for p in sent] == [participation.pk]
        participation.refresh_from_db()
        assert participation.contact_id == outsider.pk
    assert [m.to for m in mailoutbox] == [[OUTSIDER]]
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        assert meetups.confirm_employer_contact(outsider.pk, by=alice) == []  # once only
    assert len(mailoutbox) == 1


def test_an_outsider_s_offer_does_not_appear_in_the_employer_s_own_portal(
        zoetermeer, alice, known_employer):
    """Found by the fresh-eyes attack: the visitor's offer showed (and could be edited) in the
    real employer's "mijn bedrijf" until a relationship manager had reviewed it."""
    from accounts.roles import Role
    from matching_events.models import EmployerAccount, Opportunity
    from tests.conftest import PASSWORD, client_for, make_user

    outsider_signs_up(zoetermeer, title="Nepvacature van een buitenstaander")
    owner = make_user(zoetermeer, Role.EMPLOYER, "eigen@bakkerij.example")
    with tenant_context(zoetermeer):
        EmployerAccount.objects.create(user=owner, employer=known_employer)
        offer = Opportunity.objects.get(title="Nepvacature van een buitenstaander")
    client = client_for(zoetermeer)
    client.post("/account/login/", {"login": owner.email, "password": PASSWORD})
    page = client.get("/mijn-bedrijf/")
    assert page.status_code == 200
    assert "Nepvacature" not in page.content.decode()
    assert client.get(f"/mijn-bedrijf/kansen/{offer.pk}/bewerken/").status_code == 404
