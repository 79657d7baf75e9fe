"""Every link in every menu is there and answers 200 for the role that sees it: the workspace
menu, a meetup's menu, the portal menu and header, the operator's and the ministry's pages.
(A menu link once vanished silently: `{% url … as %}` swallowed a wrong route name.)"""

import re

import pytest
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tests.conftest import make_user
from tests.matching_events.conftest import new_meetup
from tests.relations.conftest import logged_in

NAV = re.compile(r"<nav\b[^>]*>(.*?)</nav>", re.S)
HREF = re.compile(r'<a\b[^>]*href="(/[^"#?]*)(?:\?[^"]*)?"')
# The menus every role must see, at least these links (by path), besides whatever else is there.
EXPECTED = {
    Role.COORDINATOR: {"/werkplek/", "/werkplek/werkgevers/", "/werkplek/kandidaten/",
                       "/werkplek/bijeenkomsten/", "/werkplek/overdragen/", "/werkplek/logboek/",
                       "/werkplek/instellingen/", "/werkplek/abonnement/"},
    Role.RELATIONSHIP_MANAGER: {"/werkplek/", "/werkplek/werkgevers/", "/werkplek/kandidaten/",
                                "/werkplek/bijeenkomsten/", "/werkplek/signalen/"},
    Role.EMPLOYER: {"/mijn-bedrijf/", "/bijeenkomsten/"},
    Role.CANDIDATE: {"/mijn-bijeenkomsten/", "/bijeenkomsten/"},
    Role.OPERATOR: {"/beheer/abonnementen/", "/ministerie/"},
}


def _login(municipality, role, email):
    user = make_user(municipality, role, email)
    return user, logged_in(municipality, user)


def _menu_links(html: str) -> set[str]:
    return {href for nav in NAV.findall(html) for href in HREF.findall(nav)}


def _check(client, start_pages: list[str], expected: set[str]) -> list[str]:
    problems, links = [], set()
    for start in start_pages:
        response = client.get(start)
        assert response.status_code == 200, start
        links |= _menu_links(response.content.decode())
    problems += [f"missing in the menu: {path}" for path in sorted(expected - links)]
    for path in sorted(links):
        status = client.get(path, follow=True).status_code  # "My start page" redirects
        if status != 200:
            problems.append(f"{path}: {status}")
    return problems


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.RELATIONSHIP_MANAGER, Role.EMPLOYER,
                                  Role.CANDIDATE])
def test_every_menu_link_of_a_municipal_role_answers(zoetermeer, role):
    user, client = _login(zoetermeer, role, f"menu-{role.value}@zoetermeer.example")
    starts = ["/", "/bijeenkomsten/"]
    if role in (Role.COORDINATOR, Role.RELATIONSHIP_MANAGER):
        with tenant_context(zoetermeer):
            meetup = new_meetup(user)
        starts += ["/werkplek/", f"/werkplek/bijeenkomsten/{meetup.pk}/"]
    assert _check(client, starts, EXPECTED[role]) == []


def test_every_menu_link_of_the_operator_answers(national):
    _user, client = _login(national, Role.OPERATOR, "menu-operator@werktop.example")
    assert _check(client, ["/", "/beheer/"], EXPECTED[Role.OPERATOR]) == []


def test_every_menu_link_of_the_ministry_answers(national):
    _user, client = _login(national, Role.MINISTRY_ANALYST, "menu-analist@ministerie.example")
    assert _check(client, ["/", "/ministerie/"], set()) == []
