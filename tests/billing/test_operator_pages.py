"""The operator's start page leads somewhere: to every subscription and to the ministry view;
the subscriptions page lists every participating municipality, also those without a
subscription (it said "Nog geen abonnementen" while three ran)."""

from accounts.roles import Role
from tests.conftest import make_user
from tests.relations.conftest import logged_in


def _operator(national):
    return logged_in(national, make_user(national, Role.OPERATOR, "ops-start@werktop.example"))


def test_the_operators_start_page_links_to_subscriptions_and_the_ministry_view(national):
    html = _operator(national).get("/beheer/").content.decode()
    assert 'href="/beheer/abonnementen/"' in html
    assert 'href="/ministerie/"' in html


def test_every_participating_municipality_is_listed(national, zoetermeer, hilversum):
    html = _operator(national).get("/beheer/abonnementen/").content.decode()
    assert "Zoetermeer" in html and "Hilversum" in html
    assert "Nog geen abonnementen" not in html
