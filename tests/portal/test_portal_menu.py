"""Once logged in, an employer reaches "Mijn bedrijf" and a candidate "Mijn bijeenkomsten"
from the menu of every page, the portal's home page included."""

import pytest

from accounts.roles import Role
from tests.conftest import make_user
from tests.relations.conftest import logged_in


@pytest.mark.parametrize(("role", "link", "text"), [
    (Role.EMPLOYER, "/mijn-bedrijf/", "Mijn bedrijf"),
    (Role.CANDIDATE, "/mijn-bijeenkomsten/", "Mijn bijeenkomsten"),
])
def test_the_portal_menu_leads_to_the_own_page(zoetermeer, role, link, text):
    client = logged_in(zoetermeer, make_user(zoetermeer, role,
                                             f"menu-{role.value}@zoetermeer.example"))
    for path in ("/", "/bijeenkomsten/"):
        html = client.get(path).content.decode()
        assert f'<a href="{link}">{text}</a>' in html, path
    assert client.get(link).status_code == 200
