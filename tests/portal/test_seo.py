"""Search engines and link previews, per host: sitemap.xml, robots.txt, canonical URLs, Open
Graph tags and noindex on the logged-in parts."""

import re

from django.test import Client
from django_tenants.utils import tenant_context
from wagtail.models import Page

from accounts.roles import Role
from cms.models import ContentPage
from tests.conftest import PASSWORD, client_for, make_user


def add_page(municipality, title: str, slug: str, *, live: bool = True) -> Page:
    with tenant_context(municipality):
        home = Page.objects.get(depth=2)
        return home.add_child(instance=ContentPage(title=title, slug=slug, live=live))


def meta(body: str, prop: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)">', body)
    return match.group(1) if match else None


def canonical(body: str) -> str | None:
    match = re.search(r'<link rel="canonical" href="([^"]*)">', body)
    return match.group(1) if match else None


def test_the_sitemap_lists_only_the_municipalitys_own_live_pages(zoetermeer, hilversum):
    add_page(zoetermeer, "Alleen in Zoetermeer", "alleen-zoetermeer")
    add_page(zoetermeer, "Nog een concept", "concept-zoetermeer", live=False)
    add_page(hilversum, "Alleen in Hilversum", "alleen-hilversum")

    response = client_for(zoetermeer).get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    body = response.content.decode()
    assert "<loc>http://zoetermeer.localhost/</loc>" in body
    assert "<loc>http://zoetermeer.localhost/alleen-zoetermeer/</loc>" in body
    assert "concept-zoetermeer" not in body
    assert "hilversum" not in body.lower()

    body = client_for(hilversum).get("/sitemap.xml").content.decode()
    assert "<loc>http://hilversum.localhost/alleen-hilversum/</loc>" in body
    assert "zoetermeer" not in body.lower()


def test_robots_txt_per_municipality_points_to_its_own_sitemap(zoetermeer, hilversum):
    response = client_for(zoetermeer).get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/werkplek/", "/cms-beheer/", "/account/", "/api/"):
        assert f"Disallow: {path}" in lines
    assert "Allow: /" in lines
    assert "Sitemap: http://zoetermeer.localhost/sitemap.xml" in lines
    assert "hilversum" not in response.content.decode()
    hilversum_robots = client_for(hilversum).get("/robots.txt").content.decode()
    assert "Sitemap: http://hilversum.localhost/sitemap.xml" in hilversum_robots


def test_robots_txt_on_the_national_site(national):
    response = Client(HTTP_HOST="localhost").get("/robots.txt")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Disallow: /ministerie/" in body and "Disallow: /beheer/" in body
    assert "Sitemap:" not in body  # the national site has no Wagtail pages


def test_the_home_page_has_a_canonical_url_and_open_graph_tags(zoetermeer):
    with tenant_context(zoetermeer):
        home = Page.objects.get(depth=2).specific
        home.search_description = "Ondernemers en gemeente samen aan het werk."
        home.save_revision().publish()
    body = client_for(zoetermeer).get("/?utm_source=nieuwsbrief").content.decode()
    assert canonical(body) == "http://zoetermeer.localhost/"
    assert meta(body, "og:url") == "http://zoetermeer.localhost/"
    assert meta(body, "og:title") == "Werk in Zoetermeer"
    assert meta(body, "og:type") == "website"
    assert meta(body, "og:site_name") == "Gemeente Zoetermeer"
    assert meta(body, "og:locale") == "nl_NL"
    assert meta(body, "og:description") == "Ondernemers en gemeente samen aan het werk."
    assert meta(body, "description") == "Ondernemers en gemeente samen aan het werk."
    assert meta(body, "robots") is None


def test_no_description_tags_without_a_search_description(hilversum):
    add_page(hilversum, "Zonder omschrijving", "zonder")
    body = client_for(hilversum).get("/zonder/").content.decode()
    assert meta(body, "og:description") is None and meta(body, "description") is None
    assert meta(body, "og:title") == "Zonder omschrijving"
    assert canonical(body) == "http://hilversum.localhost/zonder/"


def test_other_pages_get_their_address_without_query_string_as_canonical(zoetermeer, national):
    body = client_for(zoetermeer).get("/account/login/?next=/werkplek/").content.decode()
    assert canonical(body) == "http://zoetermeer.localhost/account/login/"
    assert meta(body, "robots") == "noindex"
    national_body = Client(HTTP_HOST="localhost").get("/").content.decode()
    assert canonical(national_body) == "http://localhost/"
    assert meta(national_body, "og:site_name") == "Werktop Nederland"
    assert meta(national_body, "robots") is None


def test_the_workspace_is_noindex(zoetermeer):
    make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "rm@zoetermeer.example")
    client = client_for(zoetermeer)
    client.post("/account/login/", {"login": "rm@zoetermeer.example", "password": PASSWORD})
    response = client.get("/werkplek/")
    assert response.status_code == 200
    assert meta(response.content.decode(), "robots") == "noindex"
