"""Anti-spam without a third party: the honeypot and the per-address rate limit of public
forms, each municipality counted on its own."""

import re

import pytest
from django.core.cache import cache
from django_tenants.utils import tenant_context
from taggit.models import Tag

from core.antispam import HONEYPOT_FIELD
from tests.conftest import client_for
from tests.portal.urls import FORM_PATH, SignUpForm

# The test-only form view (tests/portal/urls.py) next to the municipality's own URLs.
pytestmark = pytest.mark.urls("tests.portal.urls")


def post(client, ip: str, name: str, **extra):
    return client.post(FORM_PATH, {"name": name, "slug": name, **extra}, REMOTE_ADDR=ip)


def tags(municipality) -> list[str]:
    with tenant_context(municipality):
        return sorted(Tag.objects.values_list("name", flat=True))


def test_the_honeypot_is_hidden_from_people_and_screen_readers(zoetermeer):
    body = client_for(zoetermeer).get(FORM_PATH).content.decode()
    wrapper = re.search(r'<div class="werktop-honeypot" aria-hidden="true">.*?</div>', body, re.S)
    assert wrapper, body
    html = wrapper.group(0)
    assert f'name="{HONEYPOT_FIELD}"' in html and 'type="text"' in html
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html
    assert "Leave this field empty" in html or "leeg" in html  # its own label, for humans
    assert "required" not in html
    assert "style=" not in body  # hidden with a class: a CSP without inline styles will come
    # no second, visible label for it from the form layout
    assert body.count(f'for="id_{HONEYPOT_FIELD}"') == 1


def test_a_filled_honeypot_is_refused_with_a_message_and_nothing_is_saved(zoetermeer):
    client = client_for(zoetermeer)
    response = post(client, "10.0.0.1", "spam", **{HONEYPOT_FIELD: "http://spam.example"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "We could not process this form" in body or "formulier" in body
    assert "spam.example" not in body  # the bot's input is not echoed back
    assert tags(zoetermeer) == []

    form = SignUpForm(data={"name": "x", "slug": "x", HONEYPOT_FIELD: "iets"})
    assert not form.is_valid()
    assert form.has_error("__all__", code="honeypot")
    assert form.caught_by_honeypot
    assert HONEYPOT_FIELD not in form.cleaned_data


def test_an_empty_honeypot_lets_the_form_through(zoetermeer):
    response = post(client_for(zoetermeer), "10.0.0.1", "echt", **{HONEYPOT_FIELD: ""})
    assert response.status_code == 201
    assert tags(zoetermeer) == ["echt"]
    assert not SignUpForm(data={"name": "x", "slug": "x"}).caught_by_honeypot


def test_too_many_posts_from_one_address_get_a_429_and_are_not_stored(zoetermeer):
    client = client_for(zoetermeer)
    for _ in range(5):
        assert client.get(FORM_PATH, REMOTE_ADDR="10.0.0.1").status_code == 200  # not counted
    for n in range(3):
        assert post(client, "10.0.0.1", f"ok-{n}").status_code == 201
    blocked = post(client, "10.0.0.1", "te-veel")
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "60"
    body = blocked.content.decode()
    assert '<html lang="nl"' in body and "werktop-header" in body  # the site's own layout
    assert "<h1" in body and 'content="noindex"' in body
    assert tags(zoetermeer) == ["ok-0", "ok-1", "ok-2"]
    # a filled honeypot counts too: a bot cannot keep trying
    assert post(client, "10.0.0.1", "bot", **{HONEYPOT_FIELD: "x"}).status_code == 429


def test_another_address_is_not_affected(zoetermeer):
    client = client_for(zoetermeer)
    for n in range(4):
        post(client, "10.0.0.1", f"a-{n}")
    assert post(client, "10.0.0.1", "a-x").status_code == 429
    assert post(client, "10.0.0.2", "b-1").status_code == 201


def test_the_limit_of_one_municipality_does_not_count_in_another(zoetermeer, hilversum):
    zoetermeer_client, hilversum_client = client_for(zoetermeer), client_for(hilversum)
    for n in range(3):
        assert post(zoetermeer_client, "10.0.0.1", f"z-{n}").status_code == 201
    assert post(zoetermeer_client, "10.0.0.1", "z-x").status_code == 429
    # the same address, in Hilversum: a fresh count
    for n in range(3):
        assert post(hilversum_client, "10.0.0.1", f"h-{n}").status_code == 201
    assert post(hilversum_client, "10.0.0.1", "h-x").status_code == 429
    assert tags(hilversum) == ["h-0", "h-1", "h-2"]
    # the counters are stored under each municipality's schema prefix
    redis = cache._cache.get_client()
    for municipality in (zoetermeer, hilversum):
        assert redis.keys(f"{municipality.schema_name}:*:rl:*")
    assert not redis.keys("public:*:rl:*")
