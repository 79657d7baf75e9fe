"""Session time-outs for everyone with an account (staff, employers, candidates):

- idle: no request for WERKTOP_SESSION_IDLE_MINUTES (30) minutes;
- absolute: WERKTOP_SESSION_MAX_HOURS (12) hours after logging in, however active.

The login time is stored in the session at login (`user_logged_in`); the time of the last
request is stored at most once a minute (TOUCH_SECONDS), so an ordinary request writes nothing
(SESSION_ENGINE is cached_db: a write is a database write). On expiry the user is logged out
(the audit trail gets "logout" with detail "time-out") and sent to the login page with a
message; an htmx request gets an HX-Redirect header instead of a redirect it would swap in.
Times are whole seconds since the epoch (JSON-serialisable, time-zone free)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _

LOGIN_AT = "werktop_login_at"
SEEN_AT = "werktop_seen_at"
TOUCH_SECONDS = 60
# Read by audit.security_events.logged_out: the detail of the "logout" entry.
LOGOUT_REASON_ATTRIBUTE = "werktop_logout_reason"


def _now() -> int:
    return int(timezone.now().timestamp())


def expired(login_at: int, seen_at: int, now: int) -> bool:
    idle = settings.WERKTOP_SESSION_IDLE_MINUTES * 60
    absolute = settings.WERKTOP_SESSION_MAX_HOURS * 60 * 60
    return now - seen_at > idle or now - login_at > absolute


def start(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_in: the clock starts."""
    if request is not None and hasattr(request, "session"):
        now = _now()
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = _now()
            login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
            if login_at is None or seen_at is None:
                # A session from before the time-outs existed: its clock starts now.
                session[LOGIN_AT] = login_at or now
                session[SEEN_AT] = now
            elif expired(login_at, seen_at, now):
                return self.time_out(request)
            elif now - seen_at >= TOUCH_SECONDS:
                session[SEEN_AT] = now
        return self.get_response(request)

    def time_out(self, request: HttpRequest) -> HttpResponse:
        setattr(request, LOGOUT_REASON_ATTRIBUTE, "time-out")
        logout(request)
        # MessageMiddleware runs after this one: store the message ourselves.
        storage = default_storage(request)
        request._messages = storage
        messages.info(request, _("You were logged out because your session expired. "
                                 "Log in again to continue."))
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=200)
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
        else:
            response = redirect_to_login(request.get_full_path())
        storage.update(response)
        return response


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(start, dispatch_uid="werktop-session-start")
