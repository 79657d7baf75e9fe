"""No URL of either site answers odd characters with a 500.

`/ministerie/gemeente/GM%00/` once did: the NUL character reached PostgreSQL, which refuses
it in text. Every URL pattern that takes text (str and path converters, and the named groups
of regex patterns: allauth's keys, the API router's ids, the e-mail links' tokens) is found by
walking both urlconfs and asked, logged in, with a NUL character (each pattern) and with
generated odd text (hypothesis). Query parameters and cookies with NUL are refused too."""

import re
import uuid
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from django_tenants.utils import schema_context
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from tests.conftest import PASSWORD, client_for, make_user
from tests.relations.conftest import logged_in
from tests.security.conftest import fuzz_examples

pytestmark = pytest.mark.django_db

GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
# Wagtail's admin has hundreds of patterns behind its own login and permission checks; its
# page-serving catch-all is included (the tenant urlconf's last pattern).
SKIPPED_PREFIXES = ("cms-beheer/", "documenten/")


def _text_routes(patterns, prefix: str = ""):
    """(route template with {name} slots, names that take text) per pattern."""
    for pattern in patterns:
        route = prefix + _template(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _text_routes(pattern.url_patterns, route)
            continue
        if not isinstance(pattern, URLPattern) or route.startswith(SKIPPED_PREFIXES):
            continue
        names = re.findall(r"\{(\w+)\}", route)
        if names:
            yield route, tuple(names)


def _template(pattern) -> str:
    """A route as a format string: text slots {name}, int and uuid slots filled in."""
    if isinstance(pattern, RoutePattern):
        def slot(match: re.Match) -> str:
            converter = pattern.converters.get(match[2])
            if isinstance(converter, IntConverter):
                return "1"
            if isinstance(converter, UUIDConverter):
                return str(uuid.UUID(int=1))
            return "{" + match[2] + "}"
        return CONVERTER.sub(slot, str(pattern._route))
    if isinstance(pattern, RegexPattern):
        regex = GROUP.sub(lambda match: "{" + match[1] + "}", pattern._regex)
        regex = regex.replace("\\.", ".").replace("/?$", "/").strip("^$")
        return re.sub(r"\((?!\?P)[^)]*\)\*?", "", regex)  # Wagtail's unnamed page path
    return str(pattern)


def text_routes(urlconf: str) -> list[tuple[str, tuple[str, ...]]]:
    return sorted(set(_text_routes(get_resolver(urlconf).url_patterns)))


PUBLIC = text_routes("werktop.urls_public")
TENANT = text_routes("werktop.urls_tenant")


def test_the_walk_finds_the_text_patterns():
    assert ("ministerie/gemeente/{cbs_code}/", ("cbs_code",)) in PUBLIC
    assert ("api/v1/gemeenten/{cbs_code}/weken/", ("cbs_code",)) in PUBLIC
    assert ("aanmelding/{token}/", ("token",)) in TENANT
    assert ("media/{schema}/{path}", ("schema", "path")) in TENANT
    assert ("api/v1/kandidaten/{pk}/", ("pk",)) in TENANT
    assert len(PUBLIC) >= 5 and len(TENANT) >= 12


@pytest.fixture
def national_client(national):
    user = make_user(national, Role.OPERATOR, "beheer@werktop.example")
    client = client_for(national)
    with schema_context("public"):
        assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def analyst_client(national):
    user = make_user(national, Role.MINISTRY_ANALYST, "analist@ministerie.example")
    client = client_for(national)
    with schema_context("public"):
        assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def workspace_client(zoetermeer):
    user = make_user(zoetermeer, Role.COORDINATOR, "carol@zoetermeer.example")
    return logged_in(zoetermeer, user)


def _url(route: str, names: tuple[str, ...], value: str) -> str:
    return "/" + route.format(**{name: quote(value, safe="") for name in names})


def _assert_no_server_error(client, url: str) -> None:
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code < 500, (method.__name__, url, response.status_code)


@pytest.mark.parametrize(("route", "names"), PUBLIC)
def test_a_nul_character_on_the_national_site_is_no_server_error(analyst_client, route, names):
    for value in ("GM%00", "GM0637\x00", "\x00", "a\x00b"):
        _assert_no_server_error(analyst_client, _url(route, names, value))


def test_the_example_of_the_security_test(analyst_client, national_client):
    for client in (analyst_client, national_client):
        assert client.get("/ministerie/gemeente/GM%00/").status_code in (400, 404)
        assert client.get("/api/v1/gemeenten/GM%00/").status_code in (400, 401, 403, 404)


@pytest.mark.parametrize(("route", "names"), TENANT)
def test_a_nul_character_on_a_municipality_site_is_no_server_error(workspace_client, route,
                                                                     names):
    for value in ("GM%00", "\x00", "abc\x00def", "1\x00"):
        _assert_no_server_error(workspace_client, _url(route, names, value))


ODD = st.one_of(
    st.text(min_size=1, max_size=30),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "So", "Lo"]),
            min_size=1, max_size=10),
    st.sampled_from(["%", "%00", "%2500", "..", "../..", "'", "\"", "\\", "\u202e", "\ufeff",
                     "ＧＭ０６３７", "9" * 40, "x" * 3000, "GM0637\r\n", "\ud7ff"]),
)


@settings(max_examples=fuzz_examples(60))
@given(index=st.integers(min_value=0), value=ODD)
def test_odd_text_in_national_urls_is_no_server_error(analyst_client, index, value):
    route, names = PUBLIC[index % len(PUBLIC)]
    response = analyst_client.get(_url(route, names, value))
    assert response.status_code < 500, (route, value)


@settings(max_examples=fuzz_examples(60))
@given(index=st.integers(min_value=0), value=ODD)
def test_odd_text_in_municipality_urls_is_no_server_error(workspace_client, index, value):
    route, names = TENANT[index % len(TENANT)]
    response = workspace_client.get(_url(route, names, value))
    assert response.status_code < 500, (route, value)


@pytest.mark.parametrize("url", ["/werkplek/kandidaten/?zoek=%00", "/werkplek/werkgevers/?x%00=1",
                                 "/werkplek/?pagina=1%00", "/werkplek/kandidaten/?status=%00"])
def test_a_nul_character_in_a_query_parameter_is_a_bad_request(workspace_client, url):
    assert workspace_client.get(url).status_code == 400


def test_the_apis_answer_a_nul_character_in_their_own_format(workspace_client, analyst_client):
    assert workspace_client.get("/api/v1/kandidaten/?page=%00").status_code == 404
    assert analyst_client.get("/ministerie/?provincie=%00").status_code == 400
    response = analyst_client.get("/api/v1/gemeenten/?provincie=Zuid%00")
    assert response.status_code in (400, 401, 403)
    assert response["Content-Type"] == "application/problem+json"


def test_a_session_cookie_with_a_nul_character_is_a_bad_request(zoetermeer):
    client = client_for(zoetermeer)
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/werkplek/").status_code == 400
