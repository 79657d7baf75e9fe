"""The ministry dashboard: access, figures, filters, exports and a constant query count."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from ministry import exports, figures, overview_cache
from ministry.models import PeriodRollup, WeekRollup
from ministry.rollups import monday, publish_rollup
from tenants.cbs import all_municipalities
from tenants.models import Municipality
from tests.conftest import PASSWORD, client_for, query_budget

from .conftest import START, TODAY

pytestmark = pytest.mark.django_db
FRAMEWORK_TABLES = ("tenants_domain", "django_session", "accounts_user", "auth_permission",
                    "SET search_path")


def login(national, user):
    client = client_for(national)
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_anonymous_goes_to_login_and_others_get_403(national, operator, zoetermeer):
    response = client_for(national).get("/ministerie/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert login(national, operator).get("/ministerie/").status_code == 200
    from accounts.roles import Role
    from tests.conftest import make_user

    nobody = make_user(national, Role.OPERATOR, "nog@werktop.example")
    nobody.groups.clear()
    assert login(national, nobody).get("/ministerie/").status_code == 403


def test_a_ministry_session_is_anonymous_on_a_municipality_host(national, analyst, zoetermeer):
    client = login(national, analyst)
    cookie = client.cookies["sessionid"].value
    municipal = client_for(zoetermeer)
    municipal.cookies["sessionid"] = cookie
    response = municipal.get("/werkplek/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    api = municipal.get("/api/v1/kandidaten/")
    assert api.status_code in (401, 403, 404)
    # Nor can the analyst log in there: national users do not exist in a municipality.
    assert not municipal.login(email=analyst.email, password=PASSWORD)


def test_dashboard_shows_suppressed_figures(national, analyst, zoetermeer, zoetermeer_data):
    with tenant_context(zoetermeer):
        publish_rollup()
    response = login(national, analyst).get("/ministerie/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zoetermeer" in html and "Hilversum" in html
    assert "&lt;5" in html  # work-experience places, trial placements, attendees
    assert "<svg" in html and "<caption" in html and 'scope="col"' in html
    assert "Bedrijf" not in html and "Kandidaat" not in html  # no employer or person names
    history = login(national, analyst).get("/ministerie/gemeente/GM0637/")
    assert history.status_code == 200 and "Zoetermeer" in history.content.decode()
    assert login(national, analyst).get("/ministerie/gemeente/GM9999/").status_code == 404


def test_filter_by_province_and_sort(national, analyst, zoetermeer, hilversum):
    client = login(national, analyst)
    html = client.get("/ministerie/?provincie=Noord-Holland").content.decode()
    assert "Hilversum" in html and ">Zoetermeer<" not in html
    assert '<option value="Zuid-Holland">' in html
    bad = client.get("/ministerie/?provincie=Atlantis&sorteer=nonsense")
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()
    ordered = client.get("/ministerie/?sorteer=-province").content.decode()
    assert ordered.index(">Zoetermeer<") < ordered.index(">Hilversum<")


def test_exports_hold_the_same_suppressed_figures(national, analyst, zoetermeer,
                                                  zoetermeer_data):
    with tenant_context(zoetermeer):
        publish_rollup()
    client = login(national, analyst)
    response = client.get("/ministerie/?formaat=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, zoetermeer_row = rows[0], next(r for r in rows if r[0] == "GM0637")
    assert len(rows) == 3 and len(header) == len(zoetermeer_row)
    values = dict(zip(header, zoetermeer_row, strict=True))
    assert "6" in zoetermeer_row and "<5" in zoetermeer_row
    assert values[exports.header()[6]] == "3"  # new employer contacts: not suppressed
    workbook = load_workbook(io.BytesIO(client.get("/ministerie/?formaat=xlsx").content))
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert [str(c) for c in sheet_rows[0]] == header
    xlsx_row = next(r for r in sheet_rows if r[0] == "GM0637")
    assert "<5" in xlsx_row and 6 in xlsx_row


def _fake_municipalities(count: int) -> None:
    """Municipality rows with rollups but without schemas (bulk_create never calls save(),
    so django-tenants creates no schema): the dashboard reads only the public tables."""
    taken = set(Municipality.objects.values_list("cbs_code", flat=True))
    codes = [info for code, info in sorted(all_municipalities().items())
             if code not in taken][:count]
    created = Municipality.objects.bulk_create([Municipality(
        kind=Municipality.Kind.MUNICIPALITY, cbs_code=info.cbs_code, name=info.name,
        province=info.province, slug=f"fake-{info.cbs_code.lower()}",
        schema_name=f"fake_{info.cbs_code.lower()}", period_start=START,
        period_end=START + timedelta(days=365)) for info in codes])
    PeriodRollup.objects.bulk_create([PeriodRollup(
        municipality=m, period_start=START, period_end=m.period_end, computed_on=TODAY,
        target_employer_contacts=70, target_regular_jobs=40, target_work_experience_places=20,
        new_employer_contacts=index, regular_jobs=index % 9) for index, m in enumerate(created)])
    overview_cache.bump()  # bulk_create sends no signals; the real writers start a generation
    WeekRollup.objects.bulk_create([WeekRollup(
        municipality=m, week_start=monday(START) + timedelta(weeks=w), regular_jobs=w)
        for m in created for w in range(8)])


def _count_dashboard_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/ministerie/?sorteer=-regular_jobs").status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    own = [q for q in sql if not any(table in q for table in FRAMEWORK_TABLES)]
    return len([q for q in sql if not q.startswith("SET search_path")]), len(own)


def test_query_count_does_not_grow_with_the_number_of_municipalities(national, analyst):
    client = login(national, analyst)
    _fake_municipalities(5)
    total_5, own_5 = _count_dashboard_queries(client)
    _fake_municipalities(45)
    assert Municipality.objects.participating().count() >= 50
    total_50, own_50 = _count_dashboard_queries(client)
    assert total_50 == total_5
    assert own_50 == own_5 <= 5
    with query_budget(5):  # what the dashboard itself reads, for 50 municipalities
        rows = figures.current_rows()
        figures.select(rows, province="Zuid-Holland", sort="-regular_jobs")
        figures.totals(rows)
        figures.national_weeks()


def test_a_whole_dashboard_request_takes_five_queries(national, analyst):
    """Host, user, permission (one query), the rows, the weekly totals (the session comes
    from the cache). Once rendered, the figures come from the cache: three queries."""
    client = login(national, analyst)
    _fake_municipalities(12)
    client.get("/ministerie/")
    overview_cache.bump()
    total, own = _count_dashboard_queries(client)
    assert (total, own) == (5, 2)
    total, own = _count_dashboard_queries(client)
    assert (total, own) == (3, 0)


def test_cached_figures_are_replaced_after_a_publish_commits(
        national, analyst, zoetermeer, django_capture_on_commit_callbacks):
    client = login(national, analyst)
    with tenant_context(zoetermeer):
        publish_rollup()
    assert "Zoetermeer" in client.get("/ministerie/").content.decode()
    Municipality.objects.filter(pk=zoetermeer.pk).update(name="Zoetermeer-Oost")
    # Changed behind the dashboard's back (a queryset update sends no signal): still cached.
    assert "Zoetermeer-Oost" not in client.get("/ministerie/").content.decode()
    with django_capture_on_commit_callbacks(execute=True), tenant_context(zoetermeer):
        publish_rollup()
    assert "Zoetermeer-Oost" in client.get("/ministerie/").content.decode()
    zoetermeer.refresh_from_db()
    zoetermeer.province = "Utrecht"
    with django_capture_on_commit_callbacks(execute=True):
        zoetermeer.save()
    # The overview was cached with Zoetermeer in Zuid-Holland; the save started a new one.
    page = client.get("/ministerie/").content.decode()
    assert "<td class=\"utrecht-table__cell\">Utrecht</td>" in page


def test_cached_sections_are_kept_apart_per_filter_and_language(national, analyst):
    client = login(national, analyst)
    _fake_municipalities(12)
    provinces = sorted({m.province for m in Municipality.objects.participating()})
    first = client.get(f"/ministerie/?provincie={provinces[0]}").content.decode()
    second = client.get(f"/ministerie/?provincie={provinces[1]}").content.decode()
    assert first != second
    assert f"Totalen voor {provinces[0]}" in first and f"Totalen voor {provinces[1]}" in second
    dutch = client.get("/ministerie/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/ministerie/").content.decode()
    assert "Landelijke totalen" in dutch and "National totals" not in dutch
    assert "National totals" in english and "Landelijke totalen" not in english


def test_a_bad_filter_is_not_cached(national, analyst):
    client = login(national, analyst)
    _fake_municipalities(5)
    assert client.get("/ministerie/?provincie=Atlantis").status_code == 400
    assert client.get("/ministerie/?provincie=Atlantis").status_code == 400
    assert client.get("/ministerie/").status_code == 200
