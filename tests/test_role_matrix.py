"""Who opens which page, role by role (the fresh-eyes walk of the one permission vocabulary,
docs/permissions.md, kept as a test): 200 for the roles the page is for, 403 for every other
logged-in role. Role checks go through permissions, never through a group name."""

import pytest

from accounts.roles import Role
from tests.conftest import make_user
from tests.relations.conftest import logged_in

COORDINATOR, MANAGER, EDITOR = Role.COORDINATOR, Role.RELATIONSHIP_MANAGER, Role.EDITOR
EMPLOYER, CANDIDATE = Role.EMPLOYER, Role.CANDIDATE
MUNICIPAL_ROLES = (COORDINATOR, MANAGER, EDITOR, EMPLOYER, CANDIDATE)

PAGES = {
    "/werkplek/": {COORDINATOR, MANAGER},
    "/werkplek/kandidaten/": {COORDINATOR, MANAGER},
    "/werkplek/signalen/": {COORDINATOR, MANAGER},
    "/werkplek/overdragen/": {COORDINATOR},
    "/werkplek/logboek/": {COORDINATOR},
    "/werkplek/instellingen/": {COORDINATOR},
    "/werkplek/doelen/periode/": {COORDINATOR},
    "/werkplek/abonnement/": {COORDINATOR},
    "/mijn-bedrijf/": {EMPLOYER},
    "/mijn-bijeenkomsten/": {CANDIDATE},
}


@pytest.fixture
def clients(zoetermeer):
    return {role: logged_in(zoetermeer, make_user(zoetermeer, role, f"{role.value}@matrix.example"))
            for role in MUNICIPAL_ROLES}


def test_every_role_opens_exactly_its_pages(clients):
    wrong = []
    for path, allowed in PAGES.items():
        for role, client in clients.items():
            status = client.get(path).status_code
            expected = 200 if role in allowed else 403
            if status != expected:
                wrong.append((path, role.value, status, expected))
    assert wrong == []
