"""The Celery app. Tenant-aware: a task sent inside a municipality's schema runs in that schema."""

import logging
import os

from celery.schedules import crontab
from celery.signals import beat_init, celeryd_init, worker_ready
from kombu import Queue
from tenant_schemas_celery.app import CeleryApp

from core import metrics, sentry

# Servers and workers default to production settings, which refuse DEBUG and the dev key;
# `make run` sets werktop.settings.dev.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werktop.settings.production")

app = CeleryApp("werktop")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Queues by urgency: what a person waits for, ordinary work, long-running background jobs.
app.conf.task_queues = (Queue("urgent"), Queue("default"), Queue("background"))
app.conf.beat_schedule = {
    "recount-target-progress-nightly": {
        "task": "targets.recount_all_target_progress",
        "schedule": crontab(hour=2, minute=0),  # Europe/Amsterdam (CELERY_TIMEZONE)
        "options": {"queue": "background"},
    },
    "delete-expired-candidate-files-nightly": {
        "task": "relations.delete_expired_candidate_files_everywhere",
        "schedule": crontab(hour=3, minute=0),
        "options": {"queue": "background"},
    },
    "expire-unconfirmed-registrations-nightly": {
        "task": "matching_events.expire_unconfirmed_registrations_everywhere",
        "schedule": crontab(hour=3, minute=30),
        "options": {"queue": "background"},
    },
    "send-meetup-reminders-daily": {
        "task": "matching_events.send_meetup_reminders_everywhere",
        "schedule": crontab(hour=10, minute=0),  # the day before the meetup
        "options": {"queue": "default"},
    },
    "raise-signals-daily": {
        "task": "alerts.raise_signals_everywhere",
        "schedule": crontab(hour=6, minute=0),
        "options": {"queue": "background"},
    },
    "friday-reports": {
        "task": "reports.send_friday_reports_everywhere",
        "schedule": crontab(hour=7, minute=0, day_of_week="fri"),  # Europe/Amsterdam
        "options": {"queue": "background"},
    },
    "reconcile-ministry-rollups-nightly": {
        "task": "ministry.reconcile_rollups_everywhere",
        "schedule": crontab(hour=4, minute=0),
        "options": {"queue": "background"},
    },
    "expire-abandoned-sign-ups-hourly": {
        "task": "billing.expire_abandoned_sign_ups",
        "schedule": crontab(minute=20),
        "options": {"queue": "background"},
    },
    # A Stripe event whose task was lost (a worker or Redis gone) is processed within minutes.
    "replay-stripe-events": {
        "task": "billing.replay_unprocessed_events",
        "schedule": crontab(minute="*/10"),
        "options": {"queue": "default"},
    },
    # Tasks stored while Redis was down (core.outbox) go out within a minute of its return.
    "relay-outbox": {
        "task": "werktop.relay_outbox",
        "schedule": crontab(minute="*"),
        "options": {"queue": "default"},
    },
}
app.autodiscover_tasks()


@worker_ready.connect
def relay_outbox_on_start(sender: object = None, **kwargs: object) -> None:
    """A worker that starts (for instance after Redis came back) empties the outbox at once,
    through a task, so the relay runs in a worker process and not in the parent."""
    try:
        app.send_task("werktop.relay_outbox", queue="default")
    except Exception:  # never stop a worker from starting
        logging.getLogger(__name__).warning("could not queue the outbox relay", exc_info=True)


@celeryd_init.connect
def start_worker_reporting(sender: object = None, **kwargs: object) -> None:
    """In the worker's main process, before the pool starts (the pool processes inherit it):
    Sentry when SENTRY_DSN is set, the task-metrics port when CELERY_METRICS_PORT is set."""
    sentry.init()
    try:
        metrics.start_worker_exporter()
    except OSError:  # the port is taken: the worker still works
        logging.getLogger(__name__).warning("could not serve worker metrics", exc_info=True)


@beat_init.connect
def start_beat_reporting(sender: object = None, **kwargs: object) -> None:
    sentry.init()


# Task counters (werktop_celery_tasks_total) in whichever process runs a task.
metrics.connect_celery_signals()
