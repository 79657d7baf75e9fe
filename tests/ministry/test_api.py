"""The open API: token authentication, suppressed figures, problem+json errors, the OpenAPI
document."""

import json

import pytest
from django_tenants.utils import tenant_context
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token

from ministry.rollups import publish_rollup
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def api(national, analyst):
    token = Token.objects.create(user=analyst)
    return client_for(national), {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert set(body) >= {"type", "title", "status", "detail"} and body["status"] == status
    return body


def test_list_detail_and_weeks_with_suppression(api, zoetermeer, zoetermeer_data):
    client, auth = api
    with tenant_context(zoetermeer):
        publish_rollup()
    response = client.get("/api/v1/gemeenten/", **auth)
    assert response.status_code == 200 and response["API-Version"] == "1.0.0"
    rows = {row["cbs_code"]: row for row in response.json()}
    assert set(rows) == {"GM0637", "GM0402"}
    current = rows["GM0637"]["current_period"]
    assert current["regular_jobs"] == 6 and current["new_employer_contacts"] == 3
    assert current["work_experience_places"] == current["candidates_attending"] == "<5"
    assert current["zrm_improved_share"] is None  # based on 3 candidates
    assert rows["GM0402"]["current_period"] is None  # nothing published
    detail = client.get(rows["GM0637"]["_links"]["self"]["href"], **auth).json()
    assert detail["periods"][0]["regular_jobs"] == 6
    weeks = client.get("/api/v1/gemeenten/gm0637/weken/", **auth).json()
    assert weeks and {w["trial_placements"] for w in weeks} == {"<5"}
    period = detail["periods"][0]["period_start"]
    same = client.get(f"/api/v1/gemeenten/GM0637/weken/?periode={period}", **auth).json()
    assert same == weeks
    only = client.get("/api/v1/gemeenten/?provincie=Noord-Holland", **auth).json()
    assert [row["cbs_code"] for row in only] == ["GM0402"]


def test_authentication_and_permission(national, operator, api):
    client, _auth = api
    assert_problem(client.get("/api/v1/gemeenten/"), 401)
    assert_problem(client.get("/api/v1/gemeenten/", HTTP_AUTHORIZATION="Token wrong"), 401)
    operator.groups.clear()
    token = Token.objects.create(user=operator)
    assert_problem(client.get("/api/v1/gemeenten/",
                              HTTP_AUTHORIZATION=f"Token {token.key}"), 403)


@pytest.mark.parametrize(("path", "status"), [
    ("/api/v1/gemeenten/GM9999/", 404),
    ("/api/v1/gemeenten/onzin/weken/", 404),
    ("/api/v1/gemeenten/?provincie=Atlantis", 400),
    ("/api/v1/gemeenten/?wat=dan", 400),
    ("/api/v1/gemeenten/GM0637/weken/?periode=garbage", 400),
    ("/api/v1/gemeenten/GM0637/weken/?periode=1999-01-01", 404),
    ("/api/v1/bestaat-niet/", 404),
])
def test_errors_are_problems(api, zoetermeer, path, status):
    client, auth = api
    body = assert_problem(client.get(path, **auth), status)
    assert body["detail"]


def test_writes_are_refused_as_problems(api):
    client, auth = api
    assert_problem(client.post("/api/v1/gemeenten/", {}, **auth), 405)


def test_openapi_document_is_valid(national):
    response = client_for(national).get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    document = json.loads(response.content)
    validate_schema(document)
    assert {"/api/v1/gemeenten/", "/api/v1/gemeenten/{cbs_code}/",
            "/api/v1/gemeenten/{cbs_code}/weken/"} <= set(document["paths"])
    assert all(path.startswith("/api/v1/") for path in document["paths"])
