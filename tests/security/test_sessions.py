"""Session time-outs (accounts.sessions): logged out after 30 idle minutes and 12 hours after
logging in however active, for staff and portal users alike; the session is written at most
once a minute, not on every request; htmx requests are sent to the login page with
HX-Redirect. The clock is `accounts.sessions._now`, moved by the tests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import tenant_context

from accounts import sessions
from accounts.roles import Role
from audit.models import AuditEntry
from tests.conftest import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db

MINUTE = 60
EXPIRED_MESSAGE = ("You were logged out because your session expired. "
                   "Log in again to continue.")


class Clock:
    def __init__(self) -> None:
        self.now = int(timezone.now().timestamp())

    def advance(self, *, minutes: float = 0, hours: float = 0) -> None:
        self.now += int(minutes * 60 + hours * 3600)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(sessions, "_now", lambda: clock.now)
    return clock


def _logged_in(municipality, role: Role, email: str):
    user = make_user(municipality, role, email)
    client = client_for(municipality)
    assert client.post("/account/login/", {"login": email, "password": PASSWORD}).status_code == 302
    return user, client


def _session_writes(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries
            if "django_session" in q["sql"] and q["sql"].lstrip().startswith(("UPDATE", "INSERT"))]


def test_idle_for_longer_than_30_minutes_logs_out(zoetermeer, clock):
    user, client = _logged_in(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    clock.advance(minutes=29)
    assert client.get("/werkplek/").status_code == 200
    clock.advance(minutes=29)  # 58 minutes after login, but never 30 idle: still in
    assert client.get("/werkplek/").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/werkplek/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/werkplek/"
    assert "_auth_user_id" not in client.session
    with translation.override("nl"):
        expected = gettext(EXPIRED_MESSAGE)
    login_page = client.get(response["Location"])
    assert expected in login_page.content.decode()  # shown once, on the login page
    with tenant_context(zoetermeer):
        entry = AuditEntry.objects.filter(action="logout").get()
    assert (entry.object_id, entry.detail, entry.actor_id) == (str(user.pk), "time-out", user.pk)


def test_twelve_hours_after_login_logs_out_despite_activity(zoetermeer, clock):
    _user, client = _logged_in(zoetermeer, Role.COORDINATOR, "carol@zoetermeer.example")
    for _ in range(12 * 3):  # a request every 20 minutes for 12 hours
        clock.advance(minutes=20)
        assert client.get("/werkplek/").status_code == 200
    clock.advance(minutes=2)
    assert client.get("/werkplek/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_portal_users_time_out_too(zoetermeer, clock):
    _user, client = _logged_in(zoetermeer, Role.CANDIDATE, "kandidaat@example.org")
    assert client.get("/mijn-bijeenkomsten/").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/mijn-bijeenkomsten/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")


def test_the_session_is_written_at_most_once_a_minute(zoetermeer, clock):
    _user, client = _logged_in(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    client.get("/werkplek/")
    for _ in range(3):
        clock.advance(minutes=0.25)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/werkplek/").status_code == 200
        assert _session_writes(captured) == []
    clock.advance(minutes=1)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/werkplek/").status_code == 200
    assert len(_session_writes(captured)) == 1  # the last request time, once


def test_an_htmx_request_gets_hx_redirect(zoetermeer, clock):
    _user, client = _logged_in(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    clock.advance(minutes=31)
    response = client.get("/werkplek/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/account/login/"
    assert "_auth_user_id" not in client.session


def test_a_session_from_before_the_time_outs_starts_its_clock(zoetermeer, clock):
    _user, client = _logged_in(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    session = client.session
    del session[sessions.LOGIN_AT], session[sessions.SEEN_AT]
    session.save()
    clock.advance(hours=20)
    assert client.get("/werkplek/").status_code == 200
    assert client.session[sessions.LOGIN_AT] == clock.now


def test_the_cookie_lasts_as_long_as_the_absolute_limit(settings):
    assert settings.SESSION_COOKIE_AGE == settings.WERKTOP_SESSION_MAX_HOURS * 3600
    assert (settings.WERKTOP_SESSION_IDLE_MINUTES, settings.WERKTOP_SESSION_MAX_HOURS) == (30, 12)
