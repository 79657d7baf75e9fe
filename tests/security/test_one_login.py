"""One login (issue 17, item 2): allauth's, with its second factor and lock-out.

Every URL pattern of both sites (municipality: workspace, portal, API, Wagtail admin and
front-end, documents, allauth; national: ministry, operator, billing, API) is taken from the
resolver, so a new pattern is checked without a code change:

- GET, anonymous and logged in: a page with a password field is allowed only from allauth;
- POST a staff member's correct credentials under every field name a login form uses: only
  allauth's login may start a session, and with a second factor set up it must not finish the
  login on the password alone.
"""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import get_resolver, resolve
from django_tenants.utils import schema_context, tenant_context

from accounts.roles import Role
from tests.conftest import PASSWORD, client_for, make_user
from tests.security.test_tenant_isolation_suite import fill, iter_patterns

pytestmark = pytest.mark.django_db
ALLAUTH_LOGIN = "/account/login/"
URLCONFS = {"municipality": "werktop.urls_tenant", "national": "werktop.urls_public"}
VALUES = {"int": "1", "str": "x", "slug": "x", "path": "x/y", "uuid":
          "00000000-0000-0000-0000-000000000001", "pk": "1"}


def _paths(urlconf: str) -> list[str]:
    return sorted({fill(route, VALUES) for route in iter_patterns(
        get_resolver(urlconf).url_patterns)})


def _view_module(path: str, urlconf: str) -> str:
    try:
        match = resolve(path.split("?")[0], urlconf=urlconf)
    except Exception:  # noqa: BLE001 - an unresolvable filled-in path has no view to blame
        return ""
    view = getattr(match.func, "view_class", None) or match.func
    return getattr(view, "__module__", "")


def _give_totp(user, schema: str) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    with schema_context(schema):
        TOTP.activate(user, generate_totp_secret())
        assert Authenticator.objects.filter(user=user).exists()


def _credentials(email: str) -> dict[str, str]:
    return {"login": email, "username": email, "email": email, "password": PASSWORD,
            "password1": PASSWORD, "old_password": PASSWORD, "return_url": "/"}


@pytest.mark.parametrize("site", ["municipality", "national"])
def test_only_allauth_asks_for_a_password(site, zoetermeer, national):
    municipality = zoetermeer if site == "municipality" else national
    role = Role.EDITOR if site == "municipality" else Role.OPERATOR
    user = make_user(municipality, role, f"pw-{site}@example.org")
    anonymous, member = client_for(municipality), client_for(municipality)
    anonymous.raise_request_exception = member.raise_request_exception = False
    member.force_login(user) if site == "national" else _login(member, user)
    offenders = []
    for path in _paths(URLCONFS[site]):
        for who, client in (("anonymous", anonymous), ("logged in", member)):
            response = client.get(path)
            body = response.content if not getattr(response, "streaming", False) else b""
            if b'type="password"' in body:
                module = _view_module(path, URLCONFS[site])
                if not module.startswith("allauth."):
                    offenders.append(f"{who} GET {path} ({module})")
    assert offenders == []


def _login(client: Client, user) -> None:
    response = client.post(ALLAUTH_LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("site", ["municipality", "national"])
def test_a_password_signs_in_only_through_allauth(site, zoetermeer, national):
    municipality = zoetermeer if site == "municipality" else national
    role = Role.RELATIONSHIP_MANAGER if site == "municipality" else Role.MINISTRY_ANALYST
    user = make_user(municipality, role, f"login-{site}@example.org")
    _give_totp(user, municipality.schema_name)
    signed_in = []
    for path in _paths(URLCONFS[site]):
        client = client_for(municipality)
        client.raise_request_exception = False
        client.post(path, _credentials(user.email))
        if "_auth_user_id" in client.session:
            signed_in.append(path)
    # Not even allauth's login finishes on the password alone: it asks for the second factor.
    assert signed_in == []


def test_wagtail_login_forms_send_people_to_allauth(zoetermeer):
    client = client_for(zoetermeer)
    for path in ("/cms-beheer/login/?next=/cms-beheer/pages/", "/_util/login/?next=/x/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(ALLAUTH_LOGIN)
        assert "next=" in response["Location"]
    # the admin itself sends an anonymous visitor to allauth's login, not its own
    response = client.get("/cms-beheer/", follow=True)
    assert response.redirect_chain[-1][0].startswith(ALLAUTH_LOGIN)
    assert b'name="password"' in response.content


def test_staff_without_admin_rights_get_no_access_not_a_redirect_loop(zoetermeer):
    coordinator = make_user(zoetermeer, Role.COORDINATOR, "lus@zoetermeer.example")
    client = client_for(zoetermeer)
    _login(client, coordinator)
    response = client.get("/cms-beheer/", follow=True)
    assert len(response.redirect_chain) <= 2
    assert response.status_code == 403


def test_editors_cannot_protect_pages_or_documents_with_a_shared_password(zoetermeer):
    from wagtail.admin.forms.collections import CollectionViewRestrictionForm
    from wagtail.admin.forms.pages import PageViewRestrictionForm

    with tenant_context(zoetermeer):
        for form in (PageViewRestrictionForm(), CollectionViewRestrictionForm()):
            choices = [value for value, _label in form.fields["restriction_type"].choices]
            assert "password" not in choices
