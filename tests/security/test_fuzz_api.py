"""Fuzzing the APIs: schemathesis against the ministry's OpenAPI document (national site), and
hypothesis on the query parameters and ids of the workspace's JSON API (a municipality's
site, a logged-in relationship manager). No input may produce a 5xx; the ministry's answers
must match its own document (status codes, content types, bodies).

`HYPOTHESIS_PROFILE=long` runs ten times as many examples (tests/security/conftest.py)."""

import json
from urllib.parse import quote, urlencode

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import translation
from django.utils.translation import gettext
from django_tenants.utils import tenant_context
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from audit.models import AuditEntry
from ministry.rollups import publish_rollup
from tests.conftest import client_for
from tests.ministry.conftest import analyst, zoetermeer_data  # noqa: F401  (fixtures)
from tests.relations.conftest import alice, bob, logged_in, new_candidate, new_employer  # noqa: F401
from tests.security.conftest import fuzz_examples

# Fuzzing (many generated requests per test): left out by make test-fast.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
PROBLEM = "application/problem+json"

# Text that breaks things: NUL and other control characters, odd Unicode (right-to-left
# marks, full-width letters, byte-order marks), injections and very long strings.
NASTY = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(["\x00", "%00", "GM0637\x00", "../../etc/passwd", "' OR 1=1 --", "-1",
                     "0", "9" * 30, "1e9", "NaN", "ＧＭ０６３７", "gm0637", "GM0637 ",
                     "<script>", "%", "?", "#", "\u202e", "\ufeff", "null", "[]", "{}"]),
    st.text(min_size=3000, max_size=5000).map(lambda text: text[:4000]),
)


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler for schemathesis. Like Django's test client, without closing the
    test's connection at the start and end of every request (it is inside a transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def ministry_token(national, analyst):  # noqa: F811
    return Token.objects.create(user=analyst).key


@pytest.fixture
def published(zoetermeer, zoetermeer_data):  # noqa: F811
    """Zoetermeer's figures, published: the API has real rows to answer with."""
    with tenant_context(zoetermeer):
        publish_rollup()


def run_schemathesis(schema, token: str, mode: str, examples: int) -> int:
    """Every operation of the document, `examples` generated cases each; returns the number
    of requests made. In negative mode an operation whose every input is valid (any string
    is a valid province) has nothing to generate and is skipped."""
    calls = 0
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 3, [op.label for op in operations]
    for operation in operations:
        @settings(max_examples=examples)
        @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
        def check(case) -> None:
            nonlocal calls
            calls += 1
            case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

        try:
            check()
        except Unsatisfiable:
            if mode == "positive":
                raise
    return calls


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_the_ministry_api_keeps_to_its_openapi_document(
        wsgi_app, national, ministry_token, published, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    calls = run_schemathesis(schema, ministry_token, mode, fuzz_examples(25))
    assert calls >= 25  # at least one operation was fuzzed
    print(f"schemathesis ({mode}): {calls} requests")  # noqa: T201  (pytest -s)


def test_the_document_describes_the_problems_of_every_operation(national):
    document = json.loads(client_for(national).get("/api/v1/schema/?format=json").content)
    for path, item in document["paths"].items():
        responses = item["get"]["responses"]
        assert {"401", "403"} <= set(responses), path
        for status in set(responses) - {"200"}:
            assert set(responses[status]["content"]) == {PROBLEM}, (path, status)


# --- regressions of what the fuzzing found in the ministry API ------------------------------

def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


@pytest.mark.parametrize("path", [
    "/api/v1/gemeenten/%00/", "/api/v1/gemeenten/GM0637%00/weken/",
    "/api/v1/gemeenten/%EF%BC%A7%EF%BC%AD0637/",  # full-width letters: not a CBS code
    "/api/v1/gemeenten/GM06370/weken/",
])
def test_anything_but_a_cbs_code_is_a_404_problem(national, ministry_token, path):
    response = client_for(national).get(path, HTTP_AUTHORIZATION=f"Token {ministry_token}")
    body = _problem(response, 404)
    with translation.override("nl"):
        assert body["detail"] == gettext(
            "There is no participating municipality with this CBS code.")


@pytest.mark.parametrize("path", ["/api/v1/gemeenten/GM0637/weken/?wat=dan",
                                  "/api/v1/gemeenten/GM0637/?periode=2024-01-01",
                                  "/api/v1/gemeenten/?provincie=Utrecht&sort=naam"])
def test_unknown_query_parameters_are_a_clear_400_in_dutch(national, zoetermeer,
                                                           ministry_token, path):
    client = client_for(national)
    body = _problem(client.get(path, HTTP_AUTHORIZATION=f"Token {ministry_token}"), 400)
    with translation.override("nl"):
        assert gettext("Unknown query parameter. Allowed: %(allowed)s.").split("%")[0] \
            in body["detail"]
        assert body["title"] == gettext("Bad request")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's choice
    english = client.get(path, HTTP_AUTHORIZATION=f"Token {ministry_token}")
    assert "Unknown query parameter" in _problem(english, 400)["detail"]


def test_the_api_error_texts_have_dutch_translations(national, zoetermeer, ministry_token):
    client = client_for(national)
    auth = {"HTTP_AUTHORIZATION": f"Token {ministry_token}"}
    bad_date = _problem(client.get("/api/v1/gemeenten/GM0637/weken/?periode=gisteren",
                                   **auth), 400)
    no_period = _problem(client.get("/api/v1/gemeenten/GM0637/weken/?periode=1999-01-04",
                                    **auth), 404)
    province = _problem(client.get("/api/v1/gemeenten/?provincie=Atlantis", **auth), 400)
    with translation.override("nl"):
        assert gettext("Use the start date of a period as YYYY-MM-DD.") in bad_date["detail"]
        assert no_period["detail"] == gettext(
            "This municipality has no published period starting on %(date)s."
        ) % {"date": "1999-01-04"}
        assert gettext("Unknown province. Known: %(provinces)s.").split("%")[0] \
            in province["detail"]
        assert no_period["title"] == gettext("Not found")
    # (tests/test_translations.py checks that these msgids have their Dutch text)


# --- the workspace's JSON API (session, relationship manager) -------------------------------

PARAMETER_NAMES = st.one_of(st.sampled_from(["page", "format", "page_size", "ordering", "q",
                                             "search", "pk", "id", "owner"]), NASTY)
QUERIES = st.dictionaries(PARAMETER_NAMES, st.one_of(
    NASTY, st.integers(-(2**70), 2**70).map(str), st.sampled_from(["json", "api", "xml"])),
    max_size=4)
IDS = st.one_of(st.integers(-(2**70), 2**70).map(str), NASTY.filter(lambda s: "/" not in s))


@pytest.fixture
def workspace_api(zoetermeer, alice, bob):  # noqa: F811
    """alice's session and the ids of one employer and candidate of hers and one of bob's."""
    with tenant_context(zoetermeer):
        employer = new_employer(alice)
        mine = new_candidate(alice)
        other = new_candidate(bob, email="ander@example.org")
    return logged_in(zoetermeer, alice), [employer.pk, mine.pk, other.pk]


def _query(params: dict[str, str]) -> str:
    return urlencode(params)


@settings(max_examples=fuzz_examples(40))
@given(resource=st.sampled_from(["werkgevers", "kandidaten"]), query=QUERIES,
       ident=st.one_of(st.none(), IDS))
def test_the_workspace_api_never_answers_with_a_server_error(workspace_api, zoetermeer,
                                                              resource, query, ident):
    client, _ids = workspace_api
    path = f"/api/v1/{resource}/" + (f"{quote(ident, safe='')}/" if ident is not None else "")
    reads = AuditEntry.objects.exclude(action="refused")
    with tenant_context(zoetermeer):
        audited = reads.count()
    response = client.get(f"{path}?{_query(query)}")
    assert response.status_code < 500, (path, query, response.status_code)
    assert response.status_code in (200, 400, 404, 406), (path, query, response.status_code)
    with tenant_context(zoetermeer):  # a refused read is recorded as refused, never as a view
        if response.status_code != 200 or resource == "werkgevers":
            assert reads.count() == audited


def test_the_workspace_api_hides_a_colleagues_candidate_whatever_the_query(
        workspace_api):
    client, (employer, mine, other) = workspace_api
    assert client.get(f"/api/v1/kandidaten/{mine}/?format=json").status_code == 200
    assert client.get(f"/api/v1/kandidaten/{other}/?format=json&page=2").status_code == 404
    assert client.get(f"/api/v1/werkgevers/{employer}/?x=%00").status_code == 200
