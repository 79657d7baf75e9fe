"""Target signals (for the coordinators) and the daily task in its own schema."""


import pytest
from django_tenants.utils import schema_context, tenant_context

from alerts.models import Signal
from alerts.selectors import open_signals
from alerts.services import raise_signals
from alerts.tasks import raise_signals as raise_signals_task
from alerts.tasks import raise_signals_everywhere
from matching_events.services.placements import record_placement
from tenants.models import Municipality
from werktop.celery import app

from .conftest import days, months_ago, new_candidate, new_employer

Kind = Signal.Kind
TARGETS = {"employer_contacts", "regular_jobs", "work_experience_places"}


@pytest.mark.usefixtures("in_zoetermeer", "project_period")
def test_behind_pace_goes_to_the_coordinators_once_per_iso_week(alice, carol):
    raise_signals()
    behind = list(Signal.objects.filter(kind=Kind.TARGET_BEHIND_PACE))
    assert {s.data["target"] for s in behind} == TARGETS
    year, week, _ = days(0).isocalendar()
    assert f"target_behind_pace:regular_jobs:{year}-W{week:02d}" in {s.key for s in behind}
    assert all(s.escalated and s.owner is None for s in behind)
    assert set(behind) <= set(open_signals(carol))
    assert not set(behind) & set(open_signals(alice))
    assert "40" in next(s.text for s in behind if s.data["target"] == "regular_jobs")
    assert raise_signals() == 0  # the same week
    assert raise_signals(today=days(7)) == 3  # a new week: raised again, last week's resolved
    assert Signal.objects.open().filter(kind=Kind.TARGET_BEHIND_PACE).count() == 3


@pytest.mark.usefixtures("in_zoetermeer", "project_period")
def test_a_reached_target_is_signalled_once_per_period(alice, zoetermeer):
    Municipality.objects.filter(pk=zoetermeer.pk).update(target_work_experience_places=1)
    record_placement(candidate_id=new_candidate(alice).pk, employer_id=new_employer(alice).pk,
                     by=alice, kind="work_experience", start_date=days(-1))
    raise_signals()
    reached = Signal.objects.get(kind=Kind.TARGET_REACHED)
    assert reached.data["target"] == "work_experience_places" and reached.escalated
    assert reached.key == (f"target_reached:work_experience_places:period-"
                           f"{days(-100).isoformat()}_{days(265).isoformat()}")
    raise_signals(today=days(7))
    raise_signals(today=days(14))
    assert Signal.objects.filter(kind=Kind.TARGET_REACHED).count() == 1


@pytest.mark.usefixtures("in_zoetermeer")
def test_no_target_signals_outside_the_project_period(zoetermeer):
    Municipality.objects.filter(pk=zoetermeer.pk).update(
        period_start=days(-400), period_end=days(-35))
    raise_signals()
    assert not Signal.objects.filter(kind__startswith="target_").exists()


# --- the task ------------------------------------------------------------------------------

def test_the_task_refuses_the_public_schema(db):
    with schema_context("public"), pytest.raises(RuntimeError):
        raise_signals_task.delay()


def test_the_task_runs_in_the_schema_it_was_sent_from(zoetermeer, hilversum, alice):
    with tenant_context(zoetermeer):
        new_candidate(alice, programme_start=months_ago(9))
        raise_signals_task.delay()
        raise_signals_task.delay()  # idempotent
        assert Signal.objects.filter(kind=Kind.PROGRAMME_9_MONTHS).count() == 1
    with tenant_context(hilversum):
        assert not Signal.objects.filter(kind=Kind.PROGRAMME_9_MONTHS).exists()


def test_the_daily_fan_out_reaches_every_municipality(zoetermeer, hilversum, alice, charlie):
    with tenant_context(zoetermeer):
        new_candidate(alice, programme_start=months_ago(9))
    with tenant_context(hilversum):
        new_candidate(charlie, programme_start=months_ago(13))
    with schema_context("public"):
        assert raise_signals_everywhere.delay().get(timeout=10) == 2
    with tenant_context(zoetermeer):
        assert Signal.objects.filter(kind=Kind.PROGRAMME_9_MONTHS).count() == 1
        assert not Signal.objects.filter(kind=Kind.PROGRAMME_12_MONTHS).exists()
    with tenant_context(hilversum):
        assert Signal.objects.filter(kind=Kind.PROGRAMME_12_MONTHS).count() == 1


def test_the_daily_run_is_in_the_beat_schedule():
    entry = app.conf.beat_schedule["raise-signals-daily"]
    assert entry["task"] == raise_signals_everywhere.name == "alerts.raise_signals_everywhere"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({6}, {0})
    assert raise_signals_task.name == "alerts.raise_signals"
