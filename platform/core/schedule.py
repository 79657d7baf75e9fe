"""The beat schedule is defined in code (werktop.celery) and stored with django-celery-beat in
the public schema, where operators can see and pause it."""

from celery import current_app
from django_celery_beat.schedulers import ModelEntry
from django_tenants.utils import get_public_schema_name, schema_context


def store_beat_schedule() -> list[str]:
    """Create or update a PeriodicTask row per entry of the code's beat schedule. Idempotent;
    `celery beat` (DatabaseScheduler) does the same at start-up. The app is the project's
    (`werktop.celery`, current once Django's settings are loaded)."""
    app = current_app
    with schema_context(get_public_schema_name()):
        for name, entry in app.conf.beat_schedule.items():
            ModelEntry.from_entry(name, app=app, **entry)
    return list(app.conf.beat_schedule)
