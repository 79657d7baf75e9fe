"""The operator's start page leads somewhere: to every subscription and to the ministry view;
the subscriptions page lists every participating municipality, also those without a
subscription (it said "Nog geen abonnementen" while three ran)."""

from accounts.roles import Role
from tests.conftest import PASSWORD, client_for, make_user


def _operator(national):
    operator = make_user(national, Role.OPERATOR, "ops-start@werktop.example")
    client = client_for(national)
    assert client.post("/account/login/", {"login": operator.email,
                                           "password": PASSWORD}).status_code == 302
    return client


def test_the_operators_start_page_links_to_subscriptions_and_the_ministry_view(national):
    html = _operator(national).get("/beheer/").content.decode()
    assert 'href="/beheer/abonnementen/"' in html
    assert 'href="/ministerie/"' in html


def test_every_participating_municipality_is_listed(national, zoetermeer, hilversum):
    html = _operator(national).get("/beheer/abonnementen/").content.decode()
    assert "Zoetermeer" in html and "Hilversum" in html
    assert "Nog geen abonnementen" not in html
