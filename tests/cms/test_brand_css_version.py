"""An editor who changes the brand colour sees it at once: the stylesheet's address carries
the colour, so a browser's cached copy (five minutes) of the old one is not used."""

from django_tenants.utils import tenant_context

from cms.services import set_branding
from tests.conftest import client_for


def test_the_brand_stylesheet_url_changes_with_the_colour(zoetermeer):
    client = client_for(zoetermeer)
    with tenant_context(zoetermeer):
        set_branding(brand_colour="#00665e")
    assert '/huisstijl.css?v=00665e"' in client.get("/").content.decode()
    with tenant_context(zoetermeer):
        set_branding(brand_colour="#7a2a6e")
    html = client.get("/").content.decode()
    assert '/huisstijl.css?v=7a2a6e"' in html
    css = client.get("/huisstijl.css?v=7a2a6e").content.decode()
    assert "#7a2a6e" in css
