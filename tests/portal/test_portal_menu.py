"""Once logged in, an employer reaches "Mijn bedrijf" and a candidate "Mijn bijeenkomsten"
from the menu of every page, the portal's home page included."""

import pytest

from accounts.roles import Role
from tests.conftest import PASSWORD, client_for, make_user


@pytest.mark.parametrize(("role", "link", "text"), [
    (Role.EMPLOYER, "/mijn-bedrijf/", "Mijn bedrijf"),
    (Role.CANDIDATE, "/mijn-bijeenkomsten/", "Mijn bijeenkomsten"),
])
def test_the_portal_menu_leads_to_the_own_page(zoetermeer, role, link, text):
    user = make_user(zoetermeer, role, f"menu-{role.value}@zoetermeer.example")
    client = client_for(zoetermeer)
    assert client.post("/account/login/", {"login": user.email,
                                           "password": PASSWORD}).status_code == 302
    for path in ("/", "/bijeenkomsten/"):
        html = client.get(path).content.decode()
        assert f'<a href="{link}">{text}</a>' in html, path
    assert client.get(link).status_code == 200
