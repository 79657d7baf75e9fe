"""Background work of meetups. Tasks take primary keys and are idempotent."""

import smtplib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from celery import shared_task
from django.db import connection
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Municipality

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _require_municipality(task_name: str) -> None:
    if connection.schema_name == get_public_schema_name():
        raise RuntimeError(f"{task_name} must be sent from a municipality schema")


@shared_task(name="matching_events.send_notification", bind=True, acks_late=True,
             autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=30,
             retry_backoff_max=3600, max_retries=8)
def send_notification(self, kind: str, pk: int, key: str) -> bool:
    """Render and send one notification; True when sent now, False when it was sent before
    (or its object is gone)."""
    _require_municipality("send_notification")
    from . import mails

    return mails.send_once(kind, pk, key)


def _tomorrow_window() -> tuple[datetime, datetime, date]:
    """Start and end of tomorrow in Europe/Amsterdam (23 or 25 hours around a DST switch)."""
    tomorrow = timezone.localdate(timezone=AMSTERDAM) + timedelta(days=1)
    start = datetime.combine(tomorrow, time.min, tzinfo=AMSTERDAM)
    end = datetime.combine(tomorrow + timedelta(days=1), time.min, tzinfo=AMSTERDAM)
    return start, end, tomorrow


@shared_task(name="matching_events.send_meetup_reminders")
def send_meetup_reminders() -> int:
    """Remind every confirmed candidate and employer of this municipality's meetups of
    tomorrow. The message key holds the meetup's date, so a rerun sends nothing twice and a
    meetup moved to another day gets a new reminder. Returns the number of reminders queued."""
    _require_municipality("send_meetup_reminders")
    from .models import Meetup, MeetupEmployer, Registration

    start, end, _day = _tomorrow_window()
    meetups = Meetup.objects.filter(status__in=Meetup.OPEN_STATES, starts_at__gte=start,
                                    starts_at__lt=end)
    queued = 0
    for pk, starts_at in Registration.objects.filter(
            meetup__in=meetups, status=Registration.Status.CONFIRMED).values_list(
            "pk", "meetup__starts_at"):
        day = timezone.localdate(starts_at, timezone=AMSTERDAM)
        send_notification.delay("meetup_reminder_candidate", pk,
                                f"meetup_reminder_candidate:{pk}:{day.isoformat()}")
        queued += 1
    for pk, starts_at in MeetupEmployer.objects.filter(
            meetup__in=meetups, status=MeetupEmployer.Status.CONFIRMED,
            contact__isnull=False).values_list("pk", "meetup__starts_at"):
        day = timezone.localdate(starts_at, timezone=AMSTERDAM)
        send_notification.delay("meetup_reminder_employer", pk,
                                f"meetup_reminder_employer:{pk}:{day.isoformat()}")
        queued += 1
    return queued


@shared_task(name="matching_events.expire_unconfirmed_registrations")
def expire_unconfirmed_registrations() -> int:
    """Remove this municipality's registrations never confirmed within the link's lifetime."""
    _require_municipality("expire_unconfirmed_registrations")
    from .services.registrations import expire_unconfirmed

    return expire_unconfirmed()


def _everywhere(task) -> int:
    """Send `task` once per participating municipality, from inside its schema."""
    schemas = list(Municipality.objects.participating().values_list("schema_name", flat=True))
    for schema_name in schemas:
        with schema_context(schema_name):
            task.delay()
    return len(schemas)


@shared_task(name="matching_events.send_meetup_reminders_everywhere")
def send_meetup_reminders_everywhere() -> int:
    """Beat entry point (daily, 10:00): the reminders of every municipality."""
    return _everywhere(send_meetup_reminders)


@shared_task(name="matching_events.expire_unconfirmed_registrations_everywhere")
def expire_unconfirmed_registrations_everywhere() -> int:
    """Beat entry point (nightly, 03:30): expired unconfirmed registrations everywhere."""
    return _everywhere(expire_unconfirmed_registrations)
