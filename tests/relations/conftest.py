"""People of the relationship-management tests.

alice and bob: relationship managers in Zoetermeer; carol: Zoetermeer's coordinator;
charlie: relationship manager in Hilversum."""

import pytest
from django_tenants.utils import tenant_context

from accounts.roles import Role
from relations import services
from tests.conftest import PASSWORD, client_for, make_user


@pytest.fixture
def alice(zoetermeer):
    return make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")


@pytest.fixture
def bob(zoetermeer):
    return make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "bob@zoetermeer.example")


@pytest.fixture
def carol(zoetermeer):
    return make_user(zoetermeer, Role.COORDINATOR, "carol@zoetermeer.example")


@pytest.fixture
def charlie(hilversum):
    return make_user(hilversum, Role.RELATIONSHIP_MANAGER, "charlie@hilversum.example")


def logged_in(municipality, user):
    client = client_for(municipality)
    response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, "login failed"
    return client


@pytest.fixture
def in_zoetermeer(zoetermeer):
    with tenant_context(zoetermeer):
        yield


def new_candidate(owner, **fields):
    values = {"first_name": "Samira", "last_name": "Bouzid", "email": "samira@example.org",
              "owner": owner, "status": "active"}
    values.update(fields)
    return services.create_candidate(by=owner, **values)


def new_employer(owner, **fields):
    values = {"name": "Bakkerij De Korenschoof", "kvk_number": "27312152", "owner": owner}
    values.update(fields)
    return services.create_employer(by=owner, **values)
