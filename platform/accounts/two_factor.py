"""Two-factor authentication is required for everyone who works with people's files or runs
the platform: relationship managers, coordinators, editors, operators and ministry users.

`RequireTwoFactorMiddleware`: a logged-in user with one of those roles but without an
authenticator app is sent to set one up (allauth.mfa) before any other page; the account pages
(logging out, the set-up itself, /account/2fa/ where a security key can be added instead) stay
reachable. Once the user has TOTP or a security key (WebAuthn), allauth asks for it at every
login. The check costs queries once per session (remembered in the session).
Switched by WERKTOP_REQUIRE_MFA (on by default; the tests and the demo switch it off)."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

STAFF_PERMISSIONS = ("accounts.access_workspace", "accounts.edit_portal",
                     "accounts.operate_platform", "accounts.view_ministry_dashboard")
ALWAYS_ALLOWED = ("/account/", "/static/", "/taal/", "/huisstijl.css")
SESSION_KEY = "werktop_two_factor_ok"


def needs_two_factor(user) -> bool:
    return any(user.has_perm(permission) for permission in STAFF_PERMISSIONS)


SECOND_FACTORS = ("totp", "webauthn")  # recovery codes alone are no second factor


def has_two_factor(user) -> bool:
    """An authenticator app (TOTP) or a security key (WebAuthn): allauth asks for either at
    login."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (settings.WERKTOP_REQUIRE_MFA and request.user.is_authenticated
                and not request.path.startswith(ALWAYS_ALLOWED)
                and not request.session.get(SESSION_KEY)):
            if needs_two_factor(request.user) and not has_two_factor(request.user):
                messages.info(request, _("Set up two-factor authentication with an "
                                         "authenticator app first: it protects the files of "
                                         "the people you work with."))
                return redirect("mfa_activate_totp")
            request.session[SESSION_KEY] = True
        return self.get_response(request)
