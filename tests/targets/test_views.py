"""The dashboard and the coordinator's period page: permissions, bad input, query budget,
and that a municipality sees only its own periods."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_tenants.utils import tenant_context

from relations import services
from targets.models import ProjectPeriod
from tenants.models import Municipality
from tests.targets.conftest import (
    KVK,
    a_period,
    contacted_employer,
    days_ago,
    logged_in,
    new_candidate,
    placed,
)

PERIOD_URL = "/werkplek/doelen/periode/"
GOOD = {"mode": "new", "start": "2026-01-01", "end": "2026-12-31",
        "target_employer_contacts": "70", "target_regular_jobs": "40",
        "target_work_experience_places": "20"}


def dutch(message: str) -> str:
    with translation.override("nl"):
        return str(translation.gettext(message))


def test_the_dashboard_shows_targets_charts_and_tables(zoetermeer, alice):
    with tenant_context(zoetermeer):
        a_period(alice, start_days_ago=30)
        employer = contacted_employer(alice, next(KVK), on=days_ago(3))
        placed(new_candidate(alice, email="p@example.org"), employer, alice, kind="job",
               start=days_ago(2))
    content = logged_in(zoetermeer, alice).get("/werkplek/doelen/").content.decode()
    assert content.count("<progress") == 3
    assert 'max="40" value="1"' in content
    assert content.count('role="img" aria-labelledby="grafiek-') == 3
    for key in ("employer_contacts", "regular_jobs", "work_experience_places"):
        assert f'<caption id="grafiek-{key}">' in content
    assert 'scope="row"' in content and "<polyline" in content
    assert not re.search(r'(x|y)[12]?="[0-9.]+,', content)  # no Dutch decimal commas in SVG
    assert str(alice) in content  # the per-manager table
    assert 'href="/werkplek/doelen/periode/"' not in content  # not a coordinator


def test_anonymous_visitors_are_sent_to_the_login(zoetermeer):
    from tests.conftest import client_for
    response = client_for(zoetermeer).get("/werkplek/doelen/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def _fill(owner, n: int) -> None:
    for i in range(n):
        employer = contacted_employer(owner, next(KVK), on=days_ago(5 + i % 3))
        candidate = new_candidate(owner, email=f"q{i}@example.org")
        placed(candidate, employer, owner, kind="job" if i % 2 else "work_experience",
               start=days_ago(1 + i % 4))
        for days in (40, 4):
            services.record_zrm_assessment(candidate, assessed_on=days_ago(days), by=owner,
                                           scores={d: 2 + (days < 10) for d in range(1, 14)})
        services.record_ladder_step(candidate, rung=2, on=days_ago(20), by=owner)
        services.record_ladder_step(candidate, rung=3, on=days_ago(3), by=owner)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/werkplek/doelen/")
    assert response.status_code == 200
    return len([q for q in captured.captured_queries
                if not q["sql"].startswith("SET search_path")])


def test_the_query_count_does_not_grow_with_the_data(zoetermeer, alice, bob):
    from tests.conftest import query_budget

    with tenant_context(zoetermeer):
        a_period(alice, start_days_ago=30)
        _fill(alice, 2)
    client = logged_in(zoetermeer, alice)
    with_two = _queries(client)
    with tenant_context(zoetermeer):
        _fill(bob, 18)
    with query_budget(with_two):
        assert client.get("/werkplek/doelen/").status_code == 200
    assert with_two <= 25


def test_only_coordinators_edit_the_period(zoetermeer, alice):
    client = logged_in(zoetermeer, alice)
    assert client.get(PERIOD_URL).status_code == 403
    assert client.post(PERIOD_URL, GOOD).status_code == 403
    with tenant_context(zoetermeer):
        assert not ProjectPeriod.objects.exists()


def test_a_coordinator_sets_the_period_and_it_is_mirrored(zoetermeer, hilversum, carol):
    client = logged_in(zoetermeer, carol)
    assert client.get(PERIOD_URL).status_code == 200
    before = Municipality.objects.get(pk=hilversum.pk)
    response = client.post(PERIOD_URL, {**GOOD, "target_regular_jobs": "45"})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        period = ProjectPeriod.objects.get()
        assert (str(period.start), period.target_regular_jobs, period.created_by_id) == (
            "2026-01-01", 45, carol.pk)
    zoetermeer.refresh_from_db()
    assert (str(zoetermeer.period_start), str(zoetermeer.period_end),
            zoetermeer.target_regular_jobs) == ("2026-01-01", "2026-12-31", 45)
    after = Municipality.objects.get(pk=hilversum.pk)
    assert (after.period_start, after.target_regular_jobs) == (
        before.period_start, before.target_regular_jobs)
    # editing the current one changes it; a new one keeps the earlier period
    client.post(PERIOD_URL, {**GOOD, "mode": "current", "target_regular_jobs": "50"})
    client.post(PERIOD_URL, {**GOOD, "start": "2027-01-01", "end": "2027-06-30"})
    with tenant_context(zoetermeer):
        assert list(ProjectPeriod.objects.order_by("start").values_list(
            "target_regular_jobs", flat=True)) == [50, 40]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"target_regular_jobs": "-1"}, "target_regular_jobs", "A target cannot be negative."),
    ({"target_employer_contacts": "10001"}, "target_employer_contacts",
     "A target of more than %(max)s is not realistic."),
    ({"target_work_experience_places": "99999999999999999999999"},
     "target_work_experience_places", "A target of more than %(max)s is not realistic."),
    ({"target_regular_jobs": "veel"}, "target_regular_jobs", "Enter a whole number."),
    ({"end": "2025-12-31"}, "end", "The end date must lie after the start date."),
    ({"end": "2026-01-01"}, "end", "The end date must lie after the start date."),
    ({"start": "31-31-2026"}, "start", "Enter a valid date, for example 2026-01-31."),
    ({"start": ""}, "start", "Enter a date."),
])
def test_bad_period_input_gets_a_dutch_message_and_saves_nothing(zoetermeer, carol, changes,
                                                                 field, message):
    before = Municipality.objects.get(pk=zoetermeer.pk)
    response = logged_in(zoetermeer, carol).post(PERIOD_URL, {**GOOD, **changes})
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert dutch(message).split("%")[0].strip() in content
    with tenant_context(zoetermeer):
        assert not ProjectPeriod.objects.exists()
    after = Municipality.objects.get(pk=zoetermeer.pk)
    assert (after.period_start, after.target_regular_jobs) == (
        before.period_start, before.target_regular_jobs)


def test_earlier_periods_stay_viewable(zoetermeer, carol):
    with tenant_context(zoetermeer):
        old = a_period(carol, start_days_ago=500, target_regular_jobs=33)
        a_period(carol, start_days_ago=30)
    client = logged_in(zoetermeer, carol)
    content = client.get(f"/werkplek/doelen/?periode={old.pk}").content.decode()
    assert 'max="33"' in content and f'?periode={old.pk}" aria-current="page"' in content
    assert client.get("/werkplek/doelen/?periode=abc").status_code == 404
    assert client.get("/werkplek/doelen/?periode=²").status_code == 404  # isdigit, not int
    assert client.get(f"/werkplek/doelen/?periode={old.pk + 1000}").status_code == 404
    assert 'href="/werkplek/doelen/periode/"' in client.get("/werkplek/doelen/").content.decode()


def test_a_municipality_sees_only_its_own_periods(zoetermeer, hilversum, carol, charlie):
    with tenant_context(zoetermeer):
        theirs = a_period(carol, start_days_ago=700, length=200, target_regular_jobs=77)
        a_period(carol, start_days_ago=30)
    client = logged_in(hilversum, charlie)
    assert client.get(f"/werkplek/doelen/?periode={theirs.pk}").status_code == 404
    content = client.get("/werkplek/doelen/").content.decode()
    assert 'max="77"' not in content and "?periode=" not in content
    with tenant_context(hilversum):
        assert not ProjectPeriod.objects.exists()


def test_every_mistake_is_named_at_once(zoetermeer, carol):
    response = logged_in(zoetermeer, carol).post(PERIOD_URL, {
        "start": "2026-02-01", "end": "2026-01-01", "target_regular_jobs": "-3"})
    content = response.content.decode()
    for field in ("end", "target_regular_jobs", "target_employer_contacts",
                  "target_work_experience_places"):
        assert f'id="id_{field}_error"' in content
    assert 'value="-3"' in content  # the input is kept
