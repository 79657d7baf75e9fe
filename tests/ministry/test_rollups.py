"""Publishing: the counts of a known data set, upserts, the trigger, the nightly fan-out and
the rebuild command."""

from unittest import mock

import pytest
from django.core.management import call_command
from django_tenants.utils import tenant_context

from ministry import tasks
from ministry.models import PeriodRollup, WeekRollup
from ministry.rollups import publish_rollup
from relations import services
from relations.models import ContactMoment

from .conftest import START, TODAY, _aware, new_employer

pytestmark = pytest.mark.django_db


def test_counts_of_a_known_data_set(zoetermeer, zoetermeer_data):
    with tenant_context(zoetermeer):
        rollup = publish_rollup()
    for name, expected in zoetermeer_data.items():
        assert getattr(rollup, name) == expected, name
    assert rollup.period_start == START
    assert rollup.target_regular_jobs == zoetermeer.target_regular_jobs
    assert rollup.zrm_improved_share == pytest.approx(2 / 3)
    assert rollup.satisfaction_approach == pytest.approx(4.0)
    assert rollup.satisfaction_approach_responses == 3
    assert rollup.satisfaction_relationship_manager == pytest.approx(5.0)
    assert rollup.satisfaction_self_efficacy is None
    assert rollup.satisfaction_self_efficacy_responses == 0


def test_weeks_add_up_to_the_period_and_publishing_twice_upserts(zoetermeer, zoetermeer_data):
    with tenant_context(zoetermeer):
        publish_rollup()
        publish_rollup()
    assert PeriodRollup.objects.filter(municipality=zoetermeer).count() == 1
    weeks = WeekRollup.objects.filter(municipality=zoetermeer)
    assert weeks.count() == len({w.week_start for w in weeks}) >= 9
    assert all(w.week_start.weekday() == 0 for w in weeks)
    # Distinct candidates per week do not add up to distinct candidates per period (someone
    # at meetups in two weeks counts in both weeks): the other counts do.
    for name in ("new_employer_contacts", "regular_jobs", "work_experience_places",
                 "trial_placements", "meetups_held"):
        assert sum(getattr(w, name) for w in weeks) == zoetermeer_data[name], name
    assert max(w.candidates_attending for w in weeks) <= zoetermeer_data["candidates_attending"]


def test_other_municipalities_are_untouched(zoetermeer, hilversum, zoetermeer_data):
    with tenant_context(hilversum):
        rollup = publish_rollup()
    assert rollup.municipality == hilversum
    assert rollup.regular_jobs == rollup.new_employer_contacts == 0
    assert not PeriodRollup.objects.filter(municipality=zoetermeer).exists()


def test_refuses_to_run_in_the_public_schema(db):
    with pytest.raises(RuntimeError):
        publish_rollup()


def test_a_change_publishes_after_commit_once_per_window(
        zoetermeer, alice, django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer):
        with mock.patch.object(tasks.publish_rollup, "apply_async") as send:
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                employer = new_employer(alice)
                services.log_contact_moment(employer, kind=ContactMoment.Kind.CALL,
                                            occurred_at=_aware(TODAY), summary="Gebeld", by=alice)
            assert callbacks, "nothing asked for a publish"
            send.assert_not_called()  # not before the commit
            for callback in callbacks:
                callback()
            send.assert_called_once_with(countdown=tasks.DEBOUNCE_SECONDS)
            with django_capture_on_commit_callbacks(execute=True):
                new_employer(alice, name="Tweede", kvk_number="27312153")
            send.assert_called_once()  # debounced within the window


def test_the_task_publishes_in_the_schema_it_was_sent_from(
        zoetermeer, alice, django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        employer = new_employer(alice)
        services.log_contact_moment(employer, kind=ContactMoment.Kind.CALL,
                                    occurred_at=_aware(TODAY), summary="Gebeld", by=alice)
    rollup = PeriodRollup.objects.get(municipality=zoetermeer)  # eager in tests
    assert rollup.new_employer_contacts == 1


def test_nightly_reconcile_publishes_every_participating_municipality(zoetermeer, hilversum):
    assert tasks.reconcile_rollups_everywhere.delay().get() == 2
    assert set(PeriodRollup.objects.values_list("municipality__cbs_code", flat=True)) == {
        "GM0637", "GM0402"}


def test_rebuild_command_deletes_and_rebuilds(zoetermeer, hilversum, zoetermeer_data):
    stale = PeriodRollup.objects.create(
        municipality=zoetermeer, period_start=START.replace(year=START.year - 2),
        period_end=START, computed_on=START, target_employer_contacts=70,
        target_regular_jobs=40, target_work_experience_places=20, regular_jobs=99)
    call_command("rebuild_rollups", stdout=mock.MagicMock())
    assert not PeriodRollup.objects.filter(pk=stale.pk).exists()
    assert PeriodRollup.objects.get(municipality=zoetermeer).regular_jobs == 6
    assert PeriodRollup.objects.filter(municipality=hilversum).count() == 1
