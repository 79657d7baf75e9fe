"""Roles and their start pages. alice (relationship manager), bob (employer) of Zoetermeer."""

import pytest
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context, tenant_context

from accounts.roles import ROLES, Role
from accounts.services import RoleNotAvailable, create_user_with_role
from tests.conftest import PASSWORD, client_for, make_user

START_PAGES = [
    ("zoetermeer", Role.COORDINATOR, "/werkplek/"),
    ("zoetermeer", Role.RELATIONSHIP_MANAGER, "/werkplek/"),
    ("zoetermeer", Role.EDITOR, "/cms-beheer/"),
    ("zoetermeer", Role.EMPLOYER, "/mijn-bedrijf/"),
    ("zoetermeer", Role.CANDIDATE, "/mijn-bijeenkomsten/"),
    ("national", Role.MINISTRY_ANALYST, "/ministerie/"),
    ("national", Role.OPERATOR, "/beheer/"),
]


def _logged_in(municipality, role):
    email = f"{role.value}@test.example"
    make_user(municipality, role, email)
    client = client_for(municipality)
    response = client.post("/account/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize(("site", "role", "start"), START_PAGES)
def test_each_role_lands_on_its_own_start_page(request, site, role, start):
    client = _logged_in(request.getfixturevalue(site), role)
    response = client.get("/na-inloggen/")
    assert response.status_code == 302 and response["Location"] == start
    assert client.get(start).status_code == 200


def test_an_employer_cannot_open_the_workspace(zoetermeer):
    response = _logged_in(zoetermeer, Role.EMPLOYER).get("/werkplek/")
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


def test_an_analyst_cannot_operate_the_platform(national):
    assert _logged_in(national, Role.MINISTRY_ANALYST).get("/beheer/").status_code == 403


def test_role_pages_need_a_login(zoetermeer):
    response = client_for(zoetermeer).get("/werkplek/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")


def test_the_login_page_is_dutch_and_sign_up_is_closed(zoetermeer):
    client = client_for(zoetermeer)
    assert "Inloggen" in client.get("/account/login/").content.decode()
    closed = client.get("/account/signup/")
    assert "account/signup_closed.html" in [t.name for t in closed.templates]
    response = client.post("/account/signup/", {
        "email": "mallory@example.com", "password1": "Ab12!xyzxyz", "password2": "Ab12!xyzxyz"})
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    with tenant_context(zoetermeer):
        from accounts.models import User
        assert not User.objects.filter(email="mallory@example.com").exists()


def test_wrong_password_gives_a_dutch_message_without_revealing_the_account(zoetermeer):
    make_user(zoetermeer, Role.COORDINATOR, "coordinator@test.example")
    client = client_for(zoetermeer)
    known = client.post("/account/login/", {"login": "coordinator@test.example",
                                            "password": "wrong-password"})
    unknown = client.post("/account/login/", {"login": "nobody@test.example",
                                              "password": "wrong-password"})
    assert known.status_code == unknown.status_code == 200
    assert "niet correct" in known.content.decode()
    assert known.context["form"].errors == unknown.context["form"].errors


def test_national_roles_do_not_exist_in_a_municipality(zoetermeer):
    with tenant_context(zoetermeer):
        assert not Group.objects.filter(name=ROLES[Role.OPERATOR].group_name).exists()
        with pytest.raises(RoleNotAvailable):
            create_user_with_role("x@test.example", PASSWORD, Role.OPERATOR)
    with schema_context("public"):
        assert not Group.objects.filter(name=ROLES[Role.EDITOR].group_name).exists()


def test_an_editor_can_edit_the_portal_pages(zoetermeer):
    client = _logged_in(zoetermeer, Role.EDITOR)
    assert client.get("/cms-beheer/").status_code == 200
    with tenant_context(zoetermeer):
        from cms.models import HomePage
        home = HomePage.objects.get()
    assert client.get(f"/cms-beheer/pages/{home.pk}/edit/").status_code == 200


def test_two_factor_authentication_is_available_in_each_municipality(zoetermeer):
    client = _logged_in(zoetermeer, Role.COORDINATOR)
    response = client.get("/account/2fa/")
    assert response.status_code == 200
    # activating TOTP asks for the password again first
    assert client.get("/account/2fa/totp/activate/").status_code == 302
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    activate = client.get("/account/2fa/totp/activate/")
    assert activate.status_code == 200 and activate.context["form"] is not None
