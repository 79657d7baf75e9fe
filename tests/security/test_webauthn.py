"""Security keys (WebAuthn) as the second factor: the two-factor page offers them, their
pages render in our layout with the CSP nonce on allauth's scripts, and a staff user with a
security key (and no authenticator app) meets the two-factor requirement."""

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django_tenants.utils import tenant_context

from accounts.roles import Role
from accounts.two_factor import has_two_factor
from tests.conftest import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.WERKTOP_REQUIRE_MFA = True


def _login(client, email: str):
    return client.post("/account/login/", {"login": email, "password": PASSWORD})


def test_webauthn_is_a_supported_second_factor():
    assert "webauthn" in settings.MFA_SUPPORTED_TYPES
    # Only development accepts http:// origins.
    assert not getattr(settings, "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)


def test_the_two_factor_page_offers_a_security_key(zoetermeer):
    make_user(zoetermeer, Role.CANDIDATE, "kandidaat@example.org")  # no 2FA requirement
    client = client_for(zoetermeer)
    _login(client, "kandidaat@example.org")
    page = client.get("/account/2fa/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "/account/2fa/webauthn/add/" in text
    assert "werktop-page" in text  # our layout


def test_the_webauthn_scripts_carry_the_csp_nonce():
    request = RequestFactory().get("/account/2fa/webauthn/add/")
    request.csp_nonce = "n0nc3"
    html = render_to_string("mfa/webauthn/snippets/scripts.html", request=request)
    assert html.count("<script src=") == 3
    assert html.count('nonce="n0nc3"') == 3


def test_a_staff_user_with_a_security_key_meets_the_requirement(zoetermeer):
    user = make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    client = client_for(zoetermeer)
    assert _login(client, "alice@zoetermeer.example").status_code == 302
    assert client.get("/werkplek/")["Location"] == "/account/2fa/totp/activate/"
    with tenant_context(zoetermeer):
        assert not has_two_factor(user)
        Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN,
                                     data={"name": "Sleutel", "credential": {}})
        assert has_two_factor(user)
    assert client.get("/werkplek/").status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(zoetermeer):
    user = make_user(zoetermeer, Role.COORDINATOR, "carol@zoetermeer.example")
    with tenant_context(zoetermeer):
        Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES,
                                     data={"seed": "x"})
        assert not has_two_factor(user)


def test_the_add_key_page_renders_in_our_layout_with_the_policy_s_nonce(zoetermeer):
    import re

    make_user(zoetermeer, Role.CANDIDATE, "kandidaat@example.org")
    client = client_for(zoetermeer)
    _login(client, "kandidaat@example.org")
    page = client.get("/account/2fa/webauthn/add/")
    if page.status_code == 302:  # allauth asks for the password again before adding a key
        assert page["Location"].startswith("/account/reauthenticate/")
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get("/account/2fa/webauthn/add/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "werktop-page" in text and "mfa/js/webauthn.js" in text
    nonces = set(re.findall(r'<script src="[^"]+" nonce="([^"]+)"', text))
    assert len(nonces) == 1
    policy = page.headers.get("Content-Security-Policy", "")
    if "nonce-" in policy:  # django-csp in the middleware: the same nonce
        assert f"'nonce-{nonces.pop()}'" in policy
