"""Host routing: each municipality on its own host, the national site, and unknown hosts."""

import pytest
from django.test import Client

from tests.conftest import client_for, query_budget


def test_two_municipality_hosts_show_their_own_name_and_pages(zoetermeer, hilversum):
    z = client_for(zoetermeer).get("/").content.decode()
    h = client_for(hilversum).get("/").content.decode()
    assert "Werk in Zoetermeer" in z and "Gemeente Zoetermeer" in z
    assert "Werk in Hilversum" in h and "Gemeente Hilversum" in h
    assert "Hilversum" not in z and "Zoetermeer" not in h


def test_unknown_host_gets_a_friendly_dutch_404(db):
    response = Client(HTTP_HOST="atlantis.localhost").get("/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Deze gemeente is niet aangesloten op het platform" in body
    assert 'href="http://localhost/"' in body
    assert '<html lang="nl"' in body


def test_national_host_lists_participating_municipalities(national, zoetermeer, hilversum):
    response = Client(HTTP_HOST="localhost:8000").get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Deelnemende gemeenten" in body
    assert 'href="http://zoetermeer.localhost:8000/"' in body
    assert 'href="http://hilversum.localhost:8000/"' in body
    assert "Sjabloon" not in body  # the template schema is not a municipality


@pytest.mark.parametrize("host", ["localhost", "zoetermeer.localhost", "atlantis.localhost"])
def test_a_missing_page_is_a_404_on_every_kind_of_host(db, host):
    response = Client(HTTP_HOST=host).get("/bestaat-niet/")
    assert response.status_code == 404
    assert "niet" in response.content.decode()


def test_the_national_host_has_no_wagtail_pages_or_redirect_lookups(db):
    # Wagtail's redirect middleware would query wagtailcore tables that the public schema
    # does not have; it must be skipped there.
    response = Client(HTTP_HOST="localhost").get("/cms-beheer/")
    assert response.status_code == 404


def test_brand_colour_is_served_as_a_stylesheet_with_readable_text(zoetermeer):
    response = client_for(zoetermeer).get("/huisstijl.css")
    assert response["Content-Type"].startswith("text/css")
    assert "--werktop-brand: #154273" in response.content.decode()
    assert "--werktop-brand-text: #ffffff" in response.content.decode()


def test_pages_are_dutch_by_default_and_english_on_request(zoetermeer):
    client = client_for(zoetermeer)
    assert "Direct naar de inhoud" in client.get("/").content.decode()
    client.post("/taal/", {"language": "en", "next": "/"})
    assert "Skip to main content" in client.get("/").content.decode()


def test_the_unknown_host_page_stays_dutch_after_an_english_request(zoetermeer):
    english = client_for(zoetermeer)
    english.post("/taal/", {"language": "en", "next": "/"})
    assert "Skip to main content" in english.get("/").content.decode()
    body = Client(HTTP_HOST="atlantis.localhost").get("/").content.decode()
    assert '<html lang="nl"' in body and "niet aangesloten" in body


def test_browser_language_does_not_override_dutch(zoetermeer):
    response = client_for(zoetermeer).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Direct naar de inhoud" in response.content.decode()


def test_base_layout_has_landmarks_and_a_skip_link(zoetermeer):
    body = client_for(zoetermeer).get("/").content.decode()
    assert 'href="#inhoud"' in body and 'id="inhoud"' in body
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in body
    assert 'name="viewport"' in body



def test_the_national_page_has_a_fixed_query_budget(national, zoetermeer, hilversum):
    # the host lookup and the municipality list, however many municipalities take part
    with query_budget(2):
        Client(HTTP_HOST="localhost").get("/")


def test_a_municipality_home_page_has_a_fixed_query_budget(zoetermeer):
    client = client_for(zoetermeer)
    client.get("/")  # warm Wagtail's site-root cache
    # host lookup, Wagtail site, page type, page, the page's specific row, view restrictions,
    # the live figure (employers taking part) and the two call-to-action pages in one query
    with query_budget(8):
        client.get("/")
