"""Issue 18: the tenancy rulebook for tasks, in code. Every Celery task of ours is either a
municipality task (`core.tenancy.municipality_task`: its body is refused in the public schema
and in the template) or listed below as a public-schema task, with the reason. Periodic work
reaches the municipalities through `tenants.fanout.fan_out`: one task per participating
municipality, sent from inside its schema, none for the national site or the template."""

from unittest import mock

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from core.tasks import describe_worker
from matching_events.tasks import send_notification
from reports.tasks import generate_report
from targets.tasks import recount_target_progress
from tenants.fanout import fan_out
from tenants.models import Municipality
from werktop.celery import app

OUR_PREFIXES = ("werktop.", "billing.", "accounts.", "audit.", "relations.", "matching_events.",
                "targets.", "alerts.", "reports.", "ministry.", "cms.", "tenants.")

PUBLIC_SCHEMA_TASKS = {
    "werktop.describe_worker": "reports where it runs, in any schema (the tests use it)",
    "werktop.relay_outbox": "the outbox table lives in the public schema",
    "billing.process_stripe_event": "Stripe events and subscriptions live in the public schema",
    "billing.provision_sign_up": "creates the municipality: its schema does not exist yet",
    "billing.notify_coordinators": "fan-in: sends the notice from inside that one municipality",
    "billing.expire_abandoned_sign_ups": "sign-ups live in the public schema",
    "billing.replay_unprocessed_events": "Stripe events live in the public schema",
    "targets.recount_all_target_progress": "fan-out (beat)",
    "relations.delete_expired_candidate_files_everywhere": "fan-out (beat)",
    "matching_events.send_meetup_reminders_everywhere": "fan-out (beat)",
    "matching_events.expire_unconfirmed_registrations_everywhere": "fan-out (beat)",
    "alerts.raise_signals_everywhere": "fan-out (beat)",
    "reports.send_friday_reports_everywhere": "fan-out (beat)",
    "ministry.reconcile_rollups_everywhere": "fan-out (beat)",
}


def registered_tasks() -> dict:
    app.loader.import_default_modules()
    return dict(app.tasks)


def our_tasks() -> dict:
    return {name: task for name, task in registered_tasks().items()
            if name.startswith(OUR_PREFIXES)}


def is_municipality_task(task) -> bool:
    return getattr(task, "municipality_task", False) is True


MUNICIPALITY_TASKS = sorted(name for name, task in our_tasks().items()
                            if is_municipality_task(task))


def test_every_task_of_ours_is_a_municipality_task_or_a_listed_public_one():
    unclassified = sorted(name for name, task in our_tasks().items()
                          if not is_municipality_task(task) and name not in PUBLIC_SCHEMA_TASKS)
    assert unclassified == []
    both = sorted(name for name in MUNICIPALITY_TASKS if name in PUBLIC_SCHEMA_TASKS)
    assert both == []
    assert set(PUBLIC_SCHEMA_TASKS) <= set(our_tasks()), "a listed task no longer exists"


def test_no_task_escapes_the_prefixes():
    # Celery's own tasks, and probes that other test modules register ("tests.…"), aside.
    others = sorted(name for name in registered_tasks()
                    if not name.startswith((*OUR_PREFIXES, "celery.", "tests.")))
    assert others == []


def test_the_fan_outs_and_the_public_tasks_are_no_municipality_tasks():
    assert len(MUNICIPALITY_TASKS) >= 14
    assert "targets.recount_target_progress" in MUNICIPALITY_TASKS
    assert "billing.notify_coordinators_in_schema" in MUNICIPALITY_TASKS


@pytest.mark.parametrize("name", MUNICIPALITY_TASKS)
@pytest.mark.parametrize("schema", ["public", "werktop_template"])
def test_a_municipality_task_is_refused_on_the_national_site_and_in_the_template(
        name, schema, db):
    task = app.tasks[name]
    with schema_context(schema), pytest.raises(RuntimeError, match="municipality schema"):
        task.run()  # the guard comes before the arguments are used


def test_a_municipality_task_sent_from_the_national_site_is_refused(db):
    with schema_context("public"), pytest.raises(RuntimeError, match="municipality schema"):
        generate_report.delay(1)


def test_the_decorator_keeps_the_name_the_options_and_the_argument_check(zoetermeer):
    assert send_notification.name == "matching_events.send_notification"
    assert (send_notification.acks_late, send_notification.max_retries) == (True, 16)
    assert "Render and send one notification" in send_notification.__doc__
    with schema_context(zoetermeer.schema_name):
        with mock.patch("matching_events.mails.send_once", return_value=True) as send_once:
            assert send_notification.run("kind", 1, "kind:1:1") is True  # bind=True: self
        send_once.assert_called_once_with("kind", 1, "kind:1:1")
        with pytest.raises(TypeError):
            generate_report.delay()  # a missing argument is refused when sending, as before


def sends_per_schema(task, *args, **kwargs) -> tuple[int, list]:
    sent = []

    def record(args=None, kwargs=None, **options):
        sent.append((connection.schema_name, tuple(args or ()), dict(kwargs or {})))

    with mock.patch.object(task, "apply_async", side_effect=record):
        count = fan_out(task, *args, **kwargs)
    return count, sent


def test_fan_out_sends_exactly_one_task_per_municipality_from_its_schema(zoetermeer, hilversum):
    with schema_context("public"):
        count, sent = sends_per_schema(app.tasks[recount_target_progress.name])
    expected = sorted(Municipality.objects.participating().values_list("schema_name", flat=True))
    assert count == len(expected) == len(sent) >= 2
    assert sorted(schema for schema, _args, _kwargs in sent) == expected
    assert {"public", "werktop_template"}.isdisjoint(schema for schema, _a, _k in sent)


def test_fan_out_passes_the_arguments(zoetermeer, hilversum):
    with schema_context("public"):
        _count, sent = sends_per_schema(app.tasks[generate_report.name], 7, extra="x")
    assert len(sent) >= 2
    assert all((args, kwargs) == ((7,), {"extra": "x"}) for _schema, args, kwargs in sent)


def test_fan_out_sends_only_municipality_tasks(zoetermeer):
    with schema_context("public"), pytest.raises(TypeError, match="municipality task"):
        fan_out(describe_worker)
