"""Asking for a file outside one's portfolio: a 404, as if it did not exist, AND a "refused"
entry in the audit trail. And what the API list and the exports showed is in the trail by
number, one entry per candidate.

alice: relationship manager of Zoetermeer; bob: her colleague, whose candidate she may not
see; carol: the coordinator, who sees everything."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import tenant_context

from audit.models import AuditEntry
from relations import services
from relations.imports import services as imports
from relations.imports.files import read_table
from relations.models import Candidate
from tests.relations.conftest import logged_in, new_candidate

# A candidate's number in a URL: the workspace's <int:pk>, the contact moment and next
# action routes (<relation:kind> = "kandidaten") and the API router's (?P<pk>[^/.]+).
CANDIDATE_PK = re.compile(r"kandidaten/(<int:pk>|\(\?P<pk>\[\^/\.\]\+\))|<relation:kind>/<int:pk>")


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def candidate_routes() -> list[str]:
    """Every URL of the municipality's site that takes a candidate's number, as a template
    with {pk}. Found by walking the resolver, so a new one is tested without being listed."""
    found = []
    for route in _routes(get_resolver("werktop.urls_tenant").url_patterns):
        if not CANDIDATE_PK.search(route) or "(?P<format>" in route:
            continue
        url = (route.replace("<relation:kind>", "kandidaten").replace("<int:pk>", "{pk}")
               .replace("(?P<pk>[^/.]+)", "{pk}").replace("^", "").replace("$", ""))
        assert "<" not in url and "(" not in url, f"cannot build a URL from {route}"
        found.append("/" + url)
    return sorted(set(found))


CANDIDATE_ROUTES = candidate_routes()


def test_the_resolver_walk_finds_the_known_candidate_urls():
    for known in ("/werkplek/kandidaten/{pk}/", "/werkplek/kandidaten/{pk}/cv/",
                  "/werkplek/kandidaten/{pk}/gegevens.json", "/api/v1/kandidaten/{pk}/",
                  "/werkplek/kandidaten/{pk}/contactmoment/",
                  "/werkplek/kandidaten/{pk}/suggesties/"):
        assert known in CANDIDATE_ROUTES
    assert len(CANDIDATE_ROUTES) >= 12


@pytest.fixture
def bobs_candidate(zoetermeer, bob) -> Candidate:
    with tenant_context(zoetermeer):
        return new_candidate(bob, first_name="Kees", last_name="Mulder",
                             email="kees@example.org")


def _ask(client, url: str):
    response = client.get(url)
    if response.status_code == 405:  # an action: POST only
        response = client.post(url, {"summary": "x", "description": "x", "rung": 3,
                                     "on": "2026-01-05", "reason": "x", "colleague": 1})
    return response


def refusals(municipality, **filters) -> list[AuditEntry]:
    with tenant_context(municipality):
        return list(AuditEntry.objects.filter(action="refused", **filters))


@pytest.mark.parametrize("route", CANDIDATE_ROUTES)
def test_a_colleagues_candidate_is_not_found_and_the_attempt_is_recorded(
        zoetermeer, alice, bobs_candidate, route):
    client = logged_in(zoetermeer, alice)
    response = _ask(client, route.format(pk=bobs_candidate.pk))
    assert response.status_code == 404
    entries = refusals(zoetermeer, object_type="candidate", object_id=str(bobs_candidate.pk))
    assert len(entries) == 1
    assert entries[0].actor_id == alice.pk and entries[0].origin == "127.0.0.1"
    with tenant_context(zoetermeer):
        kees = Candidate.objects.get(pk=bobs_candidate.pk)
        assert (kees.first_name, kees.version) == ("Kees", 1)
        assert not kees.contactmoments.exists() and not kees.nextactions.exists()
        assert not kees.ladder.exists() and not kees.zrm.exists()
        assert not AuditEntry.objects.filter(action="view", object_id=str(kees.pk)).exists()


def test_a_number_that_does_not_exist_is_recorded_as_such(zoetermeer, alice):
    client = logged_in(zoetermeer, alice)
    assert client.get("/werkplek/kandidaten/987654/").status_code == 404
    assert client.get("/api/v1/kandidaten/abc/").status_code == 404
    details = {(e.object_id, e.detail) for e in refusals(zoetermeer)}
    assert details == {("987654", "candidate_detail (bestaat niet)"),
                       ("abc", "api (bestaat niet)")}


def test_the_coordinator_is_not_refused(zoetermeer, carol, bobs_candidate):
    client = logged_in(zoetermeer, carol)
    assert client.get(f"/werkplek/kandidaten/{bobs_candidate.pk}/").status_code == 200
    assert client.get(f"/api/v1/kandidaten/{bobs_candidate.pk}/").status_code == 200
    assert refusals(zoetermeer) == []


def test_completing_a_next_action_on_a_colleagues_candidate_is_refused(
        zoetermeer, alice, bob, bobs_candidate):
    with tenant_context(zoetermeer):
        action = services.plan_next_action(bobs_candidate, by=bob, description="Bellen",
                                           due_on=bobs_candidate.created_at.date(), kind="call",
                                           owner=bob)
    client = logged_in(zoetermeer, alice)
    response = client.post(f"/werkplek/acties/{action.pk}/afronden/", {"summary": "klaar"})
    assert response.status_code == 404
    assert [(e.object_type, e.object_id) for e in refusals(zoetermeer)] == [
        ("next_action", str(action.pk))]
    with tenant_context(zoetermeer):
        action.refresh_from_db()
        assert action.done_at is None


@pytest.mark.parametrize("step", ["", "kolommen/", "voortgang/", "importeren/"])
def test_a_colleagues_import_job_is_not_found_and_the_attempt_is_recorded(
        zoetermeer, alice, bob, step):
    data = b"Voornaam;Achternaam\r\nKees;Mulder\r\n"
    with tenant_context(zoetermeer):
        job = imports.create_job(user=bob, kind="candidates", filename="kandidaten.csv",
                                 data=data, table=read_table("kandidaten.csv", data))
    client = logged_in(zoetermeer, alice)
    response = _ask(client, f"/werkplek/importeren/{job.pk}/{step}")
    assert response.status_code == 404
    assert [(e.object_type, e.object_id, e.actor_id) for e in refusals(zoetermeer)] == [
        ("import", str(job.pk), alice.pk)]


def test_the_api_list_records_every_candidate_it_shows(zoetermeer, alice, bobs_candidate):
    with tenant_context(zoetermeer):
        mine = [new_candidate(alice, email=f"k{n}@example.org").pk for n in range(27)]
    client = logged_in(zoetermeer, alice)
    first = client.get("/api/v1/kandidaten/").json()
    second = client.get("/api/v1/kandidaten/?page=2").json()
    shown = [row["id"] for row in first["results"] + second["results"]]
    assert sorted(shown) == sorted(mine)
    with tenant_context(zoetermeer):
        entries = AuditEntry.objects.filter(action="view", object_type="candidate",
                                            detail="api-lijst")
        recorded = sorted(int(e.object_id) for e in entries)
        assert {e.actor_id for e in entries} == {alice.pk}
    assert recorded == sorted(mine)  # 25 + 2: each once, bob's never


def test_a_candidate_export_records_every_candidate_in_the_file(zoetermeer, alice, bob,
                                                                 bobs_candidate):
    with tenant_context(zoetermeer):
        mine = sorted(new_candidate(alice, email=f"e{n}@example.org").pk for n in range(3))
    client = logged_in(zoetermeer, alice)
    assert client.get("/werkplek/kandidaten/?bestand=xlsx").status_code == 200
    with tenant_context(zoetermeer):
        exported = AuditEntry.objects.filter(action="export", object_type="candidate")
        assert sorted(int(e.object_id) for e in exported if e.object_id) == mine
        assert exported.get(object_id="").detail == "3 rijen, xlsx"
