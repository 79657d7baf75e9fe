"""The workspace screens: bad input gets a Dutch message and loses nothing, a stale edit is
not silently overwritten, the lists stay within their query budget."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from relations import services
from relations.models import Candidate, Employer
from tests.conftest import query_budget
from tests.relations.conftest import logged_in, new_candidate, new_employer

EMPLOYER = {"name": "Hotel De Zwaan", "kvk_number": "12345678", "postcode": "2711 ab",
            "status": "prospect", "sector": "I"}


def test_a_relationship_manager_adds_an_employer(zoetermeer, alice):
    client = logged_in(zoetermeer, alice)
    response = client.post("/werkplek/werkgevers/nieuw/", {**EMPLOYER, "owner": alice.pk})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        employer = Employer.objects.get()
        assert (employer.postcode, employer.owner) == ("2711 AB", alice)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("kvk_number", "1234", "precies 8 cijfers"),
    ("postcode", "27111 AB", "Nederlandse postcode"),
    ("website", "niet een adres", "geldige URL"),
])
def test_bad_employer_input_gets_a_dutch_message_at_the_field(zoetermeer, alice, field, value,
                                                              message):
    client = logged_in(zoetermeer, alice)
    response = client.post("/werkplek/werkgevers/nieuw/", {**EMPLOYER, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    assert value.encode() in response.content  # the input is kept
    with tenant_context(zoetermeer):
        assert not Employer.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("email", "samira@", "geldig e-mailadres"),
    ("year_of_birth", "2024", "geboortejaar"),
    ("programme_start", "2099-01-01", "toekomst"),
    ("client_reference", "", None),
])
def test_bad_candidate_input_gets_a_dutch_message(zoetermeer, alice, field, value, message):
    client = logged_in(zoetermeer, alice)
    data = {"first_name": "Samira", "last_name": "Bouzid", "status": "intake", field: value}
    response = client.post("/werkplek/kandidaten/nieuw/", data)
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_future_contact_moment_is_refused_and_nothing_is_saved(zoetermeer, alice):
    with tenant_context(zoetermeer):
        employer = new_employer(alice)
    client = logged_in(zoetermeer, alice)
    response = client.post(f"/werkplek/werkgevers/{employer.pk}/contactmoment/", {
        "kind": "call", "occurred_at": "2099-01-01T10:00", "summary": "Gesprek"})
    assert response.status_code == 200
    assert "toekomst" in response.content.decode()
    with tenant_context(zoetermeer):
        assert not employer.contactmoments.exists()


def test_a_zrm_form_with_a_missing_score_keeps_the_other_scores(zoetermeer, alice):
    with tenant_context(zoetermeer):
        candidate = new_candidate(alice)
    data = {"assessed_on": "2026-11-01", **{f"domain_{d}": "3" for d in range(1, 13)}}
    response = logged_in(zoetermeer, alice).post(f"/werkplek/kandidaten/{candidate.pk}/zrm/",
                                                  data)
    assert response.status_code == 200
    assert "score van 1 tot 5" in response.content.decode()
    assert '<option value="3" selected>' in response.content.decode()
    with tenant_context(zoetermeer):
        assert not candidate.zrm.exists()


def test_an_edit_on_top_of_a_colleagues_change_is_not_saved_silently(zoetermeer, alice, bob):
    with tenant_context(zoetermeer):
        employer = new_employer(alice)
        services.update_employer(employer.pk, by=bob, expected_version=1, city="Zoetermeer")
    client = logged_in(zoetermeer, alice)
    data = {**EMPLOYER, "kvk_number": employer.kvk_number, "name": "Mijn naam", "version": 1}
    response = client.post(f"/werkplek/werkgevers/{employer.pk}/bewerken/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "intussen gewijzigd" in page and "Mijn naam" in page
    with tenant_context(zoetermeer):
        employer.refresh_from_db()
        assert (employer.name, employer.city) == ("Bakkerij De Korenschoof", "Zoetermeer")
    # Saving again, having seen the warning, goes through on top of the new version.
    again = client.post(f"/werkplek/werkgevers/{employer.pk}/bewerken/", {**data, "version": 2})
    assert again.status_code == 302


def test_my_day_shows_overdue_actions_first(zoetermeer, alice):
    with tenant_context(zoetermeer):
        employer = new_employer(alice)
        today = timezone.localdate()
        services.plan_next_action(employer, description="Vandaag bellen", due_on=today,
                                  owner=alice, by=alice)
        services.plan_next_action(employer, description="Gisteren al bellen",
                                  due_on=today - timedelta(days=1), owner=alice, by=alice)
    page = logged_in(zoetermeer, alice).get("/werkplek/").content.decode()
    assert page.index("Gisteren al bellen") < page.index("Vandaag bellen")


def test_done_from_my_day_logs_a_contact_moment(zoetermeer, alice):
    with tenant_context(zoetermeer):
        employer = new_employer(alice)
        action = services.plan_next_action(employer, description="Bellen", owner=alice,
                                           by=alice, due_on=timezone.localdate())
    response = logged_in(zoetermeer, alice).post(
        f"/werkplek/acties/{action.pk}/afronden/", {"summary": "Afspraak gemaakt",
                                                    "next": "/werkplek/"})
    assert response.status_code == 302 and response["Location"] == "/werkplek/"
    with tenant_context(zoetermeer):
        assert employer.contactmoments.get().summary == "Afspraak gemaakt"


def test_handover_through_the_screen(zoetermeer, alice, bob, carol):
    with tenant_context(zoetermeer):
        new_candidate(alice)
    response = logged_in(zoetermeer, carol).post("/werkplek/overdragen/", {
        "from_user": alice.pk, "to_user": bob.pk, "scope": "all", "confirm": "1"})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        assert Candidate.objects.get().owner == bob


@pytest.mark.parametrize("url", [
    "/werkplek/werkgevers/", "/werkplek/werkgevers/?q=bakkerij&status=prospect&sort=-name",
    "/werkplek/kandidaten/", "/werkplek/kandidaten/?q=samira&day=ma&min_hours=8&ladder_rung=3",
    "/werkplek/kandidaten/?postcode=27&sort=-updated&pagina=2",
])
@pytest.mark.parametrize("who", ["alice", "carol"])
def test_list_pages_stay_within_their_query_budget(zoetermeer, alice, carol, bob, url, who,
                                                   request):
    with tenant_context(zoetermeer):
        for n in range(30):
            new_employer(bob if n % 2 else alice, kvk_number=f"{20000000 + n}",
                         name=f"Bakkerij {n}")
            candidate = new_candidate(bob if n % 2 else alice, email=f"s{n}@example.org",
                                      days_available=["ma"], hours_per_week=20, ladder_rung=3,
                                      postcode="2711 AB")
            if n % 3 == 0:
                services.share_candidate(candidate, with_user=alice, by=bob)
    client = logged_in(zoetermeer, request.getfixturevalue(who))
    client.get(url)  # warm the per-process caches (content types, templates)
    with query_budget(12):
        assert client.get(url).status_code == 200


def test_an_htmx_filter_request_gets_the_page_for_swapping(zoetermeer, alice):
    response = logged_in(zoetermeer, alice).get("/werkplek/werkgevers/?q=x",
                                                HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b'id="resultaten"' in response.content


def test_relations_without_a_relationship_manager_are_shown(zoetermeer, alice, carol):
    with tenant_context(zoetermeer):
        employer = services.create_employer(by=alice, name="Zonder eigenaar",
                                            kvk_number="87654321")
        candidate = services.create_candidate(by=alice, first_name="Zonder",
                                              last_name="Eigenaar")
    client = logged_in(zoetermeer, carol)
    for url in ("/werkplek/werkgevers/", "/werkplek/kandidaten/",
                f"/werkplek/werkgevers/{employer.pk}/", f"/werkplek/kandidaten/{candidate.pk}/"):
        assert client.get(url).status_code == 200, url


def test_sorted_pages_neither_repeat_nor_skip_rows(zoetermeer, alice):
    with tenant_context(zoetermeer):
        for n in range(60):  # all with the same name: only the tie-breaker orders them
            new_candidate(alice, email=f"s{n}@example.org")
    client = logged_in(zoetermeer, alice)
    seen = []
    for page in (1, 2, 3):
        response = client.get(f"/werkplek/kandidaten/?sort=-programme_start&pagina={page}")
        seen += [c.pk for c in response.context["page"].object_list]
    assert len(seen) == len(set(seen)) == 60


def test_done_never_redirects_to_another_site(zoetermeer, alice):
    with tenant_context(zoetermeer):
        employer = new_employer(alice)
        action = services.plan_next_action(employer, description="Bellen", owner=alice,
                                           by=alice, due_on=timezone.localdate())
    response = logged_in(zoetermeer, alice).post(
        f"/werkplek/acties/{action.pk}/afronden/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/werkplek/"
