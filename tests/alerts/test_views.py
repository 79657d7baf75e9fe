"""The signal list, dismissal and "my day": permissions, Dutch errors, query budget,
isolation between municipalities."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from alerts.models import Signal
from alerts.services import raise_signals

from .conftest import logged_in, months_ago, new_candidate

pytestmark = pytest.mark.usefixtures("no_project_period")


def raise_nine_month_signal(municipality, owner, **fields) -> Signal:
    with tenant_context(municipality):
        candidate = new_candidate(owner, programme_start=months_ago(9), **fields)
        raise_signals()
        return Signal.objects.get(candidate=candidate)


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len([q for q in captured.captured_queries
                if not q["sql"].startswith("SET search_path")])


def test_the_list_shows_a_relationship_managers_own_signals(zoetermeer, alice, bob):
    raise_nine_month_signal(zoetermeer, alice)
    page = logged_in(zoetermeer, alice).get("/werkplek/signalen/").content.decode()
    assert "Samira Bouzid" in page and 'name="reason"' in page
    assert "Samira" not in logged_in(zoetermeer, bob).get("/werkplek/signalen/").content.decode()


def test_a_coordinator_sees_all_and_filters(zoetermeer, alice, bob, carol):
    raise_nine_month_signal(zoetermeer, alice)
    raise_nine_month_signal(zoetermeer, bob, first_name="Piet", email="piet@example.org")
    client = logged_in(zoetermeer, carol)
    page = client.get("/werkplek/signalen/").content.decode()
    assert "Samira" in page and "Piet" in page
    page = client.get(f"/werkplek/signalen/?owner={bob.pk}").content.decode()
    assert "Piet" in page and "Samira" not in page
    page = client.get("/werkplek/signalen/?kind=no_contact").content.decode()
    assert "Piet" not in page
    for bad in ("?owner=abc", "?kind=nonsense", "?pagina=zzz", "?owner=999999"):
        assert client.get(f"/werkplek/signalen/{bad}").status_code == 200


def test_dismissing_needs_a_reason_and_never_fails(zoetermeer, alice):
    signal = raise_nine_month_signal(zoetermeer, alice)
    client = logged_in(zoetermeer, alice)
    url = f"/werkplek/signalen/{signal.pk}/wegzetten/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "   ", "next": "/werkplek/"})
    assert response.status_code == 200
    assert 'class="werktop-error-summary"' in response.content.decode()
    response = client.post(url, {"reason": "x" * 600})
    assert response.status_code == 200
    response = client.post(url, {"reason": "Aanbod gedaan per telefoon", "next": "/werkplek/"})
    assert response.status_code == 302 and response["Location"] == "/werkplek/"
    with tenant_context(zoetermeer):
        signal.refresh_from_db()
        assert signal.dismissed_by == alice and signal.dismiss_reason
    assert client.post(url, {"reason": "Nog eens"}).status_code == 404  # no longer open
    assert client.put(url).status_code in (404, 405)


def test_an_unsafe_next_goes_to_the_list(zoetermeer, alice):
    signal = raise_nine_month_signal(zoetermeer, alice)
    response = logged_in(zoetermeer, alice).post(
        f"/werkplek/signalen/{signal.pk}/wegzetten/",
        {"reason": "Geregeld", "next": "https://evil.example/"})
    assert response["Location"] == "/werkplek/signalen/"


def test_a_colleague_cannot_see_or_dismiss_anothers_signal(zoetermeer, alice, bob, carol):
    signal = raise_nine_month_signal(zoetermeer, alice)
    url = f"/werkplek/signalen/{signal.pk}/wegzetten/"
    client = logged_in(zoetermeer, bob)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Weg ermee"}).status_code == 404
    assert logged_in(zoetermeer, carol).post(url, {"reason": "Besproken"}).status_code == 302


def test_another_municipality_cannot_see_or_dismiss_it(zoetermeer, hilversum, alice, charlie):
    signal = raise_nine_month_signal(zoetermeer, alice)
    client = logged_in(hilversum, charlie)
    url = f"/werkplek/signalen/{signal.pk}/wegzetten/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Weg ermee"}).status_code == 404
    assert "Samira" not in client.get("/werkplek/signalen/").content.decode()
    with tenant_context(zoetermeer):
        signal.refresh_from_db()
        assert signal.is_open


def test_anonymous_visitors_are_sent_to_the_login(zoetermeer):
    from tests.conftest import client_for

    response = client_for(zoetermeer).get("/werkplek/signalen/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_my_day_shows_the_open_signals_on_top_in_a_fixed_number_of_queries(zoetermeer, alice):
    raise_nine_month_signal(zoetermeer, alice)
    client = logged_in(zoetermeer, alice)
    page = client.get("/werkplek/").content.decode()
    assert "Samira Bouzid" in page
    assert page.index('id="dag-signalen"') < page.index("Samira Bouzid")
    one = queries_of(client, "/werkplek/")
    for n in range(12):
        raise_nine_month_signal(zoetermeer, alice, first_name=f"Kandidaat{n}",
                                email=f"k{n}@example.org")
    assert queries_of(client, "/werkplek/") == one
    assert one <= 12
    page = client.get("/werkplek/").content.decode()
    assert page.count('action="/werkplek/signalen/') == 10  # the first ten, then a link
    assert 'href="/werkplek/signalen/"' in page


def test_dismissed_signals_leave_my_day(zoetermeer, alice):
    signal = raise_nine_month_signal(zoetermeer, alice)
    client = logged_in(zoetermeer, alice)
    client.post(f"/werkplek/signalen/{signal.pk}/wegzetten/", {"reason": "Geregeld"})
    assert "Samira Bouzid" not in client.get("/werkplek/").content.decode()
