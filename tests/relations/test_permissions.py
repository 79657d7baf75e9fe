"""Portfolios: a relationship manager sees all employers but only their own and shared
candidates; coordinators see everything; another municipality sees nothing."""

import pytest
from django_tenants.utils import tenant_context

from relations import services
from relations.models import Candidate
from relations.selectors import visible_candidates
from tests.relations.conftest import logged_in, new_candidate, new_employer

CANDIDATE_URLS = ["/werkplek/kandidaten/{pk}/", "/werkplek/kandidaten/{pk}/bewerken/",
                  "/werkplek/kandidaten/{pk}/zrm/", "/werkplek/kandidaten/{pk}/gegevens.json",
                  "/api/v1/kandidaten/{pk}/"]


@pytest.fixture
def bobs_candidate(zoetermeer, bob):
    with tenant_context(zoetermeer):
        return new_candidate(bob, first_name="Kees", last_name="Mulder", email="kees@example.org")


@pytest.mark.parametrize("url", CANDIDATE_URLS)
def test_alice_cannot_open_bobs_unshared_candidate(zoetermeer, alice, bobs_candidate, url):
    client = logged_in(zoetermeer, alice)
    assert client.get(url.format(pk=bobs_candidate.pk)).status_code == 404


def test_alice_does_not_find_bobs_candidate_in_lists_or_the_api(zoetermeer, alice,
                                                                   bobs_candidate):
    client = logged_in(zoetermeer, alice)
    assert b"Mulder" not in client.get("/werkplek/kandidaten/").content
    assert client.get("/api/v1/kandidaten/").json()["count"] == 0
    assert b"Mulder" not in client.get("/werkplek/kandidaten/?bestand=csv").content


def test_alice_cannot_write_to_bobs_candidate(zoetermeer, alice, bobs_candidate):
    client = logged_in(zoetermeer, alice)
    pk = bobs_candidate.pk
    moment = client.post(f"/werkplek/kandidaten/{pk}/contactmoment/", {
        "kind": "call", "occurred_at": "2026-11-01T10:00", "summary": "x"})
    edit = client.post(f"/werkplek/kandidaten/{pk}/bewerken/", {
        "first_name": "X", "last_name": "Y", "status": "active", "version": 1})
    assert moment.status_code == edit.status_code == 404
    with tenant_context(zoetermeer):
        assert Candidate.objects.get(pk=pk).first_name == "Kees"
        assert not Candidate.objects.get(pk=pk).contactmoments.exists()


def test_a_shared_candidate_becomes_visible(zoetermeer, alice, bob, bobs_candidate):
    with tenant_context(zoetermeer):
        services.share_candidate(bobs_candidate, with_user=alice, by=bob)
    client = logged_in(zoetermeer, alice)
    assert client.get(f"/werkplek/kandidaten/{bobs_candidate.pk}/").status_code == 200
    assert client.get("/api/v1/kandidaten/").json()["count"] == 1


def test_employers_are_shared_market_knowledge(zoetermeer, alice, bob):
    with tenant_context(zoetermeer):
        employer = new_employer(bob)
    client = logged_in(zoetermeer, alice)
    assert client.get(f"/werkplek/werkgevers/{employer.pk}/").status_code == 200
    assert client.get("/api/v1/werkgevers/").json()["count"] == 1


def test_the_coordinator_sees_every_candidate(zoetermeer, carol, bobs_candidate):
    client = logged_in(zoetermeer, carol)
    assert client.get(f"/werkplek/kandidaten/{bobs_candidate.pk}/").status_code == 200
    with tenant_context(zoetermeer):
        assert visible_candidates(carol).count() == 1


def test_only_coordinators_hand_over_and_read_the_log(zoetermeer, alice):
    client = logged_in(zoetermeer, alice)
    for url in ("/werkplek/overdragen/", "/werkplek/logboek/", "/werkplek/instellingen/"):
        assert client.get(url).status_code == 403


def test_another_municipality_cannot_see_or_change_anything(zoetermeer, hilversum, charlie,
                                                            bobs_candidate, bob):
    with tenant_context(zoetermeer):
        employer = new_employer(bob)
    client = logged_in(hilversum, charlie)
    for url in [u.format(pk=bobs_candidate.pk) for u in CANDIDATE_URLS] + [
            f"/werkplek/werkgevers/{employer.pk}/", f"/api/v1/werkgevers/{employer.pk}/"]:
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/werkgevers/").json()["count"] == 0
    response = client.post(f"/werkplek/werkgevers/{employer.pk}/bewerken/", {
        "name": "Overgenomen", "kvk_number": "27312152", "status": "prospect", "version": 1})
    assert response.status_code == 404
    with tenant_context(zoetermeer):
        employer.refresh_from_db()
        assert employer.name == "Bakkerij De Korenschoof"


def test_a_session_of_zoetermeer_is_anonymous_in_hilversum(zoetermeer, hilversum, alice):
    client = logged_in(zoetermeer, alice)
    client.defaults["HTTP_HOST"] = hilversum.get_primary_domain().domain
    assert client.get("/werkplek/werkgevers/").status_code == 302  # to the login page
    assert client.get("/api/v1/kandidaten/").status_code == 403


def test_anonymous_users_are_sent_to_login(zoetermeer):
    from tests.conftest import client_for

    response = client_for(zoetermeer).get("/werkplek/kandidaten/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
