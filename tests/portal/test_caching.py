"""Anonymous portal pages are cached per municipality and purged on publish, in that
municipality only; logged-in users never get a cached page."""

import pytest
from django.core.cache import caches
from django.test import Client
from django_tenants.utils import schema_context, tenant_context
from wagtail.models import Page

from accounts.roles import Role
from cms.caching import CACHE_HEADER
from tests.conftest import PASSWORD, client_for, host_of, make_user, query_budget


def home_of(municipality) -> Page:
    with tenant_context(municipality):
        return Page.objects.get(depth=2).specific


def publish(municipality, page: Page, **changes) -> None:
    with tenant_context(municipality):
        for field, value in changes.items():
            setattr(page, field, value)
        page.save_revision().publish()


def test_the_second_anonymous_request_is_a_hit_with_hardly_any_queries(zoetermeer):
    client = client_for(zoetermeer)
    first = client.get("/")
    assert first[CACHE_HEADER] == "miss"
    with query_budget(1):  # the host lookup of the tenant middleware; nothing of Wagtail
        second = client.get("/")
    assert second[CACHE_HEADER] == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "nl"
    assert "Cookie" in second["Vary"]
    head = client.head("/")
    assert head.status_code == 200 and head[CACHE_HEADER] == "hit"


def test_every_live_page_is_a_cheap_hit_the_second_time(zoetermeer):
    with tenant_context(zoetermeer):
        paths = [page.url_path.removeprefix("/home") for page in Page.objects.live()
                 .filter(depth__gte=2)]
    assert len(paths) > 1
    client = client_for(zoetermeer)
    for path in paths:
        assert client.get(path)[CACHE_HEADER] == "miss", path
        with query_budget(1):
            response = client.get(path)
        assert response.status_code == 200 and response[CACHE_HEADER] == "hit", path


def test_a_logged_in_user_never_gets_the_cached_page(zoetermeer):
    client_for(zoetermeer).get("/")
    assert client_for(zoetermeer).get("/")[CACHE_HEADER] == "hit"
    make_user(zoetermeer, Role.EDITOR, "redacteur@zoetermeer.example")
    client = client_for(zoetermeer)
    client.post("/account/login/", {"login": "redacteur@zoetermeer.example",
                                    "password": PASSWORD})
    for _ in range(2):
        response = client.get("/")
        assert response[CACHE_HEADER] == "bypass"
        assert "account/logout" in response.content.decode()  # the logged-in page
    # and the logged-in page did not end up in the cache for everyone
    anonymous = client_for(zoetermeer).get("/")
    assert anonymous[CACHE_HEADER] == "hit"
    assert "account/logout" not in anonymous.content.decode()


def test_each_municipality_has_its_own_cached_page_for_the_same_path(zoetermeer, hilversum):
    for _ in range(2):
        z, h = client_for(zoetermeer).get("/"), client_for(hilversum).get("/")
    assert z[CACHE_HEADER] == h[CACHE_HEADER] == "hit"
    assert "Werk in Zoetermeer" in z.content.decode()
    assert "Hilversum" not in z.content.decode()
    assert "Werk in Hilversum" in h.content.decode()
    assert "Zoetermeer" not in h.content.decode()


def test_publishing_purges_that_municipality_only(zoetermeer, hilversum):
    for _ in range(2):
        client_for(zoetermeer).get("/"), client_for(hilversum).get("/")
    publish(zoetermeer, home_of(zoetermeer), title="Samen aan het werk in Zoetermeer")

    z = client_for(zoetermeer).get("/")
    assert z[CACHE_HEADER] == "miss"
    assert "Samen aan het werk in Zoetermeer" in z.content.decode()
    h = client_for(hilversum).get("/")
    assert h[CACHE_HEADER] == "hit"
    assert "Werk in Hilversum" in h.content.decode()


def test_unpublishing_and_deleting_purge(zoetermeer):
    client = client_for(zoetermeer)
    with tenant_context(zoetermeer):
        child = home_of(zoetermeer).add_child(instance=Page(title="Tijdelijk", slug="tijdelijk"))
    assert client.get("/tijdelijk/").status_code == 200
    assert client.get("/")[CACHE_HEADER] == "miss"
    assert client.get("/")[CACHE_HEADER] == "hit"
    with tenant_context(zoetermeer):
        child.unpublish()
    assert client.get("/")[CACHE_HEADER] == "miss"
    assert client.get("/tijdelijk/").status_code == 404
    assert client.get("/")[CACHE_HEADER] == "hit"
    with tenant_context(zoetermeer):
        Page.objects.get(pk=child.pk).delete()
    assert client.get("/")[CACHE_HEADER] == "miss"


def test_saving_a_draft_does_not_purge_or_show(zoetermeer):
    client = client_for(zoetermeer)
    client.get("/")
    with tenant_context(zoetermeer):
        home = home_of(zoetermeer)
        home.title = "Concepttitel"
        home.save_revision()
    response = client.get("/")
    assert response[CACHE_HEADER] == "hit"
    assert "Concepttitel" not in response.content.decode()


def test_each_language_is_cached_on_its_own(zoetermeer):
    dutch = client_for(zoetermeer)
    dutch.get("/")
    english = client_for(zoetermeer)
    english.post("/taal/", {"language": "en", "next": "/"})
    response = english.get("/")
    assert response[CACHE_HEADER] == "miss"
    assert "Skip to main content" in response.content.decode()
    assert "Direct naar de inhoud" in dutch.get("/").content.decode()


@pytest.mark.parametrize("path", ["/?utm_source=nieuwsbrief", "/cms-beheer/login/"])
def test_query_strings_and_other_views_are_not_cached(zoetermeer, path):
    client = client_for(zoetermeer)
    for _ in range(2):
        response = client.get(path)
        assert response.get(CACHE_HEADER) in (None, "bypass")


def test_pages_with_a_view_restriction_are_not_stored(zoetermeer):
    from wagtail.models import PageViewRestriction

    from accounts.roles import Role
    from tests.conftest import PASSWORD, make_user

    with tenant_context(zoetermeer):
        child = home_of(zoetermeer).add_child(instance=Page(title="Geheim", slug="geheim"))
        # Only "logged in" restrictions exist: a shared page password would be a second login
        # form beside allauth's (core.login).
        PageViewRestriction.objects.create(page=child, restriction_type="login")
    member = make_user(zoetermeer, Role.CANDIDATE, "lid@zoetermeer.example")
    client = client_for(zoetermeer)
    for _ in range(2):
        response = client.get("/geheim/")
        assert response.status_code == 302 and "login/" in response["Location"]
    client.post("/account/login/", {"login": member.email, "password": PASSWORD})
    for _ in range(2):
        response = client.get("/geheim/")
        assert response[CACHE_HEADER] == "bypass"  # a visitor with a session of their own
        assert "<h1" in response.content.decode() and "Geheim" in response.content.decode()
    other = client_for(zoetermeer).get("/geheim/")
    assert other.status_code == 302  # never the member's copy from the cache


def test_the_page_cache_can_be_switched_off(zoetermeer, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client = client_for(zoetermeer)
    client.get("/")
    assert client.get("/")[CACHE_HEADER] == "bypass"


def test_image_renditions_have_a_per_municipality_cache(zoetermeer, hilversum):
    renditions = caches["renditions"]
    with schema_context(zoetermeer.schema_name):
        renditions.set("wagtail-rendition-1", "zoetermeer")
        assert renditions.make_key("x").startswith(f"{zoetermeer.schema_name}:")
    with schema_context(hilversum.schema_name):
        assert renditions.get("wagtail-rendition-1") is None


def test_the_language_switch_needs_no_csrf_token_so_every_page_stays_cacheable(zoetermeer):
    # The switch is on every page; with a CSRF token in it no page could be shared.
    client = Client(HTTP_HOST=host_of(zoetermeer), enforce_csrf_checks=True)
    body = client.get("/").content.decode()
    assert "csrfmiddlewaretoken" not in body
    assert client.post("/taal/", {"language": "en", "next": "/"}).status_code == 302
    assert "Skip to main content" in client.get("/").content.decode()
    # `next` is still checked: no redirect to another host
    response = client.post("/taal/", {"language": "nl", "next": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")
