"""Only a meetup's organiser and the coordinators run it (found by the fresh-eyes attack on
issue 17): a colleague could edit and cancel someone else's meetup, which e-mails every
invited candidate, also those of other portfolios. Every changing page and every service
refuses the colleague; the coordinator and the organiser may."""

import pytest
from django.core.exceptions import PermissionDenied
from django_tenants.utils import tenant_context

from matching_events.models import Meetup
from matching_events.services import meetups, registrations
from tests.matching_events.conftest import new_meetup
from tests.relations.conftest import logged_in, new_employer

CHANGING = [("bewerken/", {"title": "Overgenomen"}), ("publiceren/", {}),
            ("annuleren/", {"reason": "weg", "confirm": "on"}), ("afgerond/", {}),
            ("data/", {}), ("data/kiezen/", {}), ("werkgevers/", {"employers": "1"})]


@pytest.fixture
def meetup(zoetermeer, alice):
    with tenant_context(zoetermeer):
        return new_meetup(alice)


@pytest.mark.parametrize(("path", "data"), CHANGING)
def test_a_colleague_cannot_change_someone_else_s_meetup(path, data, zoetermeer, bob, meetup):
    client = logged_in(zoetermeer, bob)
    url = f"/werkplek/bijeenkomsten/{meetup.pk}/{path}"
    assert client.post(url, data).status_code == 403
    if path not in ("werkgevers/",):  # the employer list itself is for everyone to read
        assert client.get(url).status_code in (403, 405)
    with tenant_context(zoetermeer):
        fresh = Meetup.objects.get(pk=meetup.pk)
    assert (fresh.title, fresh.status) == (meetup.title, meetup.status)


def test_the_services_refuse_the_colleague_and_allow_organiser_and_coordinator(
        zoetermeer, alice, bob, carol, meetup):
    with tenant_context(zoetermeer):
        employer = new_employer(alice)
        for call in (lambda: meetups.update_meetup(meetup.pk, by=bob, title="x"),
                     lambda: meetups.cancel_meetup(meetup.pk, by=bob),
                     lambda: meetups.mark_held(meetup.pk, by=bob),
                     lambda: meetups.invite_employers(meetup.pk, [employer.pk], by=bob),
                     lambda: registrations.change_capacity(meetup.pk, 30, by=bob)):
            with pytest.raises(PermissionDenied):
                call()
        assert meetups.update_meetup(meetup.pk, by=alice, title="Door de organisator").title
        assert meetups.update_meetup(meetup.pk, by=carol, title="Door de coördinator").title


def test_a_colleague_sees_the_meetup_without_the_buttons(zoetermeer, bob, meetup):
    page = logged_in(zoetermeer, bob).get(f"/werkplek/bijeenkomsten/{meetup.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"/werkplek/bijeenkomsten/{meetup.pk}/bewerken/" not in html
    assert f"/werkplek/bijeenkomsten/{meetup.pk}/annuleren/" not in html


def test_trying_a_colleague_s_registration_is_refused_and_audited(
        zoetermeer, alice, bob, meetup):
    from audit.models import AuditEntry
    from tests.matching_events.conftest import confirmed_registration
    from tests.relations.conftest import new_candidate

    with tenant_context(zoetermeer):
        candidate = new_candidate(alice)
        registration = confirmed_registration(meetup, candidate, alice)
    client = logged_in(zoetermeer, bob)
    base = f"/werkplek/bijeenkomsten/{meetup.pk}/"
    for path in (f"kandidaten/{registration.pk}/bevestigen/",
                 f"kandidaten/{registration.pk}/afmelden/",
                 f"aanmelden/kandidaten/{registration.pk}/"):
        assert client.post(base + path, {"present": "1"}).status_code == 404, path
    with tenant_context(zoetermeer):
        refused = AuditEntry.objects.filter(action="refused", actor=bob, object_type="candidate",
                                            object_id=str(candidate.pk))
        assert refused.count() == 3
        registration.refresh_from_db()
        assert registration.status == "confirmed"


def test_a_colleague_s_placement_or_match_lead_is_a_404_and_audited(zoetermeer, alice, bob):
    from audit.models import AuditEntry
    from matching_events.services import placements
    from tests.relations.conftest import new_candidate

    with tenant_context(zoetermeer):
        candidate = new_candidate(alice)
        employer = new_employer(alice)
        placement = placements.record_placement(
            candidate_id=candidate.pk, employer_id=employer.pk, by=alice, kind="job",
            start_date=candidate.created_at.date())
    client = logged_in(zoetermeer, bob)
    for path in (f"/werkplek/plaatsingen/{placement.pk}/",
                 f"/werkplek/plaatsingen/{placement.pk}/bewerken/"):
        assert client.get(path).status_code == 404, path
    with tenant_context(zoetermeer):
        assert AuditEntry.objects.filter(action="refused", actor=bob, object_type="placement",
                                         object_id=str(placement.pk)).count() == 2
