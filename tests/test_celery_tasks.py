"""Tasks run in the schema of the municipality they were sent from (eager here; a real worker
in tests/e2e)."""

import pytest
from django_tenants.utils import schema_context, tenant_context

from core.tasks import describe_worker
from targets.models import TargetProgress
from targets.tasks import recount_all_target_progress, recount_target_progress
from werktop.celery import app


def test_a_task_sent_from_a_municipality_runs_in_its_schema(zoetermeer, hilversum):
    with tenant_context(zoetermeer):
        assert describe_worker.delay().get(timeout=10)["schema"] == "gm0637"
        recount_target_progress.delay()
    with tenant_context(zoetermeer):
        progress = TargetProgress.objects.get()
        assert progress.counted_in_schema == "gm0637"
        assert progress.target_regular_jobs == 40
    with tenant_context(hilversum):
        assert not TargetProgress.objects.exists()


def test_the_recount_is_idempotent(zoetermeer):
    with tenant_context(zoetermeer):
        recount_target_progress.delay()
        recount_target_progress.delay()
        assert TargetProgress.objects.count() == 1


def test_the_periodic_fan_out_recounts_every_municipality_in_its_own_schema(zoetermeer, hilversum):
    with schema_context("public"):
        assert recount_all_target_progress.delay().get(timeout=10) == 2
    for municipality in (zoetermeer, hilversum):
        with tenant_context(municipality):
            assert TargetProgress.objects.get().counted_in_schema == municipality.schema_name


def test_a_recount_sent_from_the_national_site_is_refused(db):
    with schema_context("public"), pytest.raises(RuntimeError):
        recount_target_progress.delay()


def test_celery_is_configured_for_safe_redelivery():
    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert {q.name for q in app.conf.task_queues} == {"urgent", "default", "background"}
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert "recount-target-progress-nightly" in app.conf.beat_schedule


@pytest.mark.parametrize("task", [recount_target_progress, recount_all_target_progress])
def test_target_recounts_go_to_the_background_queue(task):
    assert app.amqp.router.route({}, task.name)["queue"].name == "background"


def test_the_beat_schedule_is_stored_in_the_database(db):
    from django_celery_beat.models import PeriodicTask

    from core.schedule import store_beat_schedule

    store_beat_schedule()
    store_beat_schedule()  # idempotent
    with schema_context("public"):
        task = PeriodicTask.objects.get(name="recount-target-progress-nightly")
    assert task.task == "targets.recount_all_target_progress"
    assert (task.crontab.hour, task.crontab.minute) == ("2", "0")
    assert task.queue == "background"
