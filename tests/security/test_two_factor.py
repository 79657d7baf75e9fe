"""Two-factor authentication is required for staff roles, not for employers and candidates;
with an authenticator app, logging in asks for the code."""

import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tests.conftest import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.WERKTOP_REQUIRE_MFA = True


def _login(client, email: str):
    return client.post("/account/login/", {"login": email, "password": PASSWORD})


@pytest.mark.parametrize("role", [Role.RELATIONSHIP_MANAGER, Role.COORDINATOR, Role.EDITOR])
def test_staff_must_set_up_two_factor_before_anything_else(zoetermeer, role):
    make_user(zoetermeer, role, "staff@zoetermeer.example")
    client = client_for(zoetermeer)
    _login(client, "staff@zoetermeer.example")
    response = client.get("/werkplek/")
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/totp/activate/"
    # Setting it up stays reachable (allauth may ask for the password again first).
    setup = client.get("/account/2fa/totp/activate/", follow=True)
    assert setup.status_code == 200
    assert setup.redirect_chain == [] or setup.redirect_chain[-1][0].startswith(
        "/account/reauthenticate/")
    if setup.redirect_chain:
        again = client.post(setup.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
        assert again.status_code == 200
        assert again.request["PATH_INFO"] == "/account/2fa/totp/activate/"


def test_national_staff_must_set_up_two_factor(national):
    make_user(national, Role.MINISTRY_ANALYST, "analist@ministerie.example")
    client = client_for(national)
    _login(client, "analist@ministerie.example")
    assert client.get("/ministerie/")["Location"] == "/account/2fa/totp/activate/"


def test_portal_users_do_not_need_two_factor(zoetermeer):
    make_user(zoetermeer, Role.CANDIDATE, "kandidaat@example.org")
    client = client_for(zoetermeer)
    _login(client, "kandidaat@example.org")
    assert client.get("/mijn-bijeenkomsten/").status_code == 200


def test_with_an_authenticator_the_login_asks_for_the_code(zoetermeer):
    user = make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    secret = generate_totp_secret()
    with tenant_context(zoetermeer):
        TOTP.activate(user, secret)
    client = client_for(zoetermeer)
    first = _login(client, "alice@zoetermeer.example")
    assert first.status_code == 302 and "/account/2fa/authenticate/" in first["Location"]
    assert client.get("/werkplek/").status_code == 302  # not logged in yet
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    done = client.post("/account/2fa/authenticate/", {"code": code})
    assert done.status_code == 302
    assert client.get("/werkplek/").status_code == 200
