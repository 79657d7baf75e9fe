"""The audit trail of meetups: registration lists, the table plan and its PDF, check-in,
conversations and placements are recorded by type and number (never a name), with the
numbers of exactly the candidates that were shown by name."""

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from audit.models import AuditEntry
from matching_events.models import Placement
from matching_events.services import seating
from tests.matching_events.test_meetup_visibility import world  # noqa: F401  (fixture)
from tests.relations.conftest import logged_in

BASE = "/werkplek/bijeenkomsten/"


def entries(zoetermeer, user, **filters) -> list[AuditEntry]:
    with tenant_context(zoetermeer):
        return list(AuditEntry.objects.filter(actor=user, **filters).order_by("pk"))


def candidates_recorded(zoetermeer, user, action: str = "view") -> set[int]:
    return {int(e.object_id) for e in entries(zoetermeer, user, action=action,
                                              object_type="candidate")}


@pytest.mark.parametrize("page", ["", "kandidaten/", "aanmelden/", "gesprekken/",
                                  "tafelindeling/"])
def test_a_meetup_page_records_the_candidates_it_names(zoetermeer, world, page):  # noqa: F811
    bob = world.users["colleague_with_candidates"]
    assert logged_in(zoetermeer, bob).get(f"{BASE}{world.meetup.pk}/{page}").status_code == 200
    (meetup_entry,) = entries(zoetermeer, bob, object_type="meetup")
    assert meetup_entry.action == "view" and meetup_entry.object_id == str(world.meetup.pk)
    assert candidates_recorded(zoetermeer, bob) == {world.bobs[0][0].pk}
    for entry in entries(zoetermeer, bob):
        assert "Kastanje" not in entry.detail and "Boudewijn" not in entry.detail


def test_the_pdf_is_an_export_of_every_name_for_the_organiser(zoetermeer, world,  # noqa: F811
                                                               monkeypatch):
    monkeypatch.setattr(seating, "html_to_pdf", lambda html: html.encode())
    alice = world.users["organiser"]
    logged_in(zoetermeer, alice).get(f"{BASE}{world.meetup.pk}/tafelindeling.pdf")
    seated = {c.pk for c, _r, _n in world.alices[:2] + world.bobs}  # the waiting one is not
    assert candidates_recorded(zoetermeer, alice, "export") == seated
    (meetup_entry,) = entries(zoetermeer, alice, object_type="meetup", action="export")
    assert meetup_entry.detail.startswith("tafelindeling (pdf)")


def test_check_in_is_recorded_with_the_registration(zoetermeer, world):  # noqa: F811
    alice = world.users["organiser"]
    registration = world.alices[0][1]
    client = logged_in(zoetermeer, alice)
    client.post(f"{BASE}{world.meetup.pk}/aanmelden/kandidaten/{registration.pk}/",
                {"present": "0"}, HTTP_HX_REQUEST="true")
    client.post(f"{BASE}{world.meetup.pk}/aanmelden/werkgevers/"
                f"{world.participations[0].pk}/", {"present": "1"})
    (candidate_entry,) = entries(zoetermeer, alice, object_type="registration")
    assert candidate_entry.action == "change"
    assert candidate_entry.object_id == str(registration.pk)
    assert candidate_entry.detail == f"bijeenkomst {world.meetup.pk}: afwezig"
    (employer_entry,) = entries(zoetermeer, alice, object_type="meetup_employer")
    assert employer_entry.object_id == str(world.participations[0].pk)


def test_a_recorded_conversation_is_in_the_trail(zoetermeer, world):  # noqa: F811
    alice = world.users["organiser"]
    candidate, registration, _note = world.alices[1]
    logged_in(zoetermeer, alice).post(f"{BASE}{world.meetup.pk}/gesprekken/", {
        "registration": registration.pk, "participation": world.participations[1].pk,
        "employer_says": "maybe", "candidate_says": "yes"})
    (entry,) = entries(zoetermeer, alice, object_type="conversation")
    assert f"kandidaat {candidate.pk}" in entry.detail


def test_placements_are_recorded_when_made_listed_and_viewed(zoetermeer, world):  # noqa: F811
    bob = world.users["colleague_with_candidates"]
    candidate = world.bobs[0][0]
    client = logged_in(zoetermeer, bob)
    response = client.post("/werkplek/plaatsingen/nieuw/", {
        "candidate": candidate.pk, "employer": world.participations[0].employer_id,
        "kind": "job", "start_date": timezone.localdate().isoformat(), "status": "started"})
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(zoetermeer):
        placement = Placement.objects.get(candidate=candidate)
    client.get("/werkplek/plaatsingen/")
    client.get(f"/werkplek/plaatsingen/{placement.pk}/")
    made, listed, viewed = entries(zoetermeer, bob, object_type="placement")
    assert (made.action, made.object_id) == ("change", str(placement.pk))
    assert listed.action == "view" and str(placement.pk) in listed.detail
    assert (viewed.action, viewed.object_id) == ("view", str(placement.pk))
    assert candidates_recorded(zoetermeer, bob) == {candidate.pk}
