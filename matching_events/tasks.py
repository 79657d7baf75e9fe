"""Background work of meetups. Tasks take primary keys and are idempotent."""

import smtplib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from core.tenancy import municipality_task
from tenants.fanout import fan_out

from . import mails
from .models import Meetup, MeetupEmployer, Registration
from .services.registrations import expire_unconfirmed

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The database restarting or failing over is as passing as an SMTP server that is away: retry.
# Without this a task that meets it fails, is acknowledged, and its mail is never sent.
DATABASE_GONE = (OperationalError, InterfaceError)
# Back-off of a retried send: at most 30 s, 1, 2, 4, 8 minutes, then 10 minutes (Celery's
# jitter picks a random wait up to each), for up to about two hours in all. The longest wait
# stays below the broker's visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS): a retry
# waiting longer would be handed out twice.
RETRY_BACKOFF_MAX = 600


@municipality_task(name="matching_events.send_notification", bind=True, acks_late=True,
                   autoretry_for=(smtplib.SMTPException, OSError, *DATABASE_GONE),
                   retry_backoff=30, retry_backoff_max=RETRY_BACKOFF_MAX, max_retries=16)
def send_notification(self, kind: str, pk: int, key: str) -> bool:
    """Render and send one notification; True when sent now, False when it was sent before
    (or its object is gone)."""
    return mails.send_once(kind, pk, key)


def _tomorrow() -> date:
    return timezone.localdate(timezone=AMSTERDAM) + timedelta(days=1)


def _day_window(day: date) -> tuple[datetime, datetime]:
    """Start and end of `day` in Europe/Amsterdam (23 or 25 hours around a DST switch)."""
    start = datetime.combine(day, time.min, tzinfo=AMSTERDAM)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=AMSTERDAM)
    return start, end


@municipality_task(name="matching_events.send_meetup_reminders", autoretry_for=DATABASE_GONE,
                   retry_backoff=10, retry_backoff_max=RETRY_BACKOFF_MAX, max_retries=10)
def send_meetup_reminders(day: str | None = None) -> int:
    """Remind every confirmed candidate and employer of this municipality's meetups on `day`
    (ISO date; tomorrow when not given) that have not started yet. The beat's fan-out fixes
    the day when it runs, so a task redelivered late (a killed worker) still reminds of the
    meetups it was meant for. The message key holds the meetup's date, so a rerun sends
    nothing twice and a meetup moved to another day gets a new reminder. Returns the number of
    reminders queued."""
    start, end = _day_window(date.fromisoformat(day) if day else _tomorrow())
    meetups = Meetup.objects.filter(status__in=Meetup.OPEN_STATES, starts_at__gte=start,
                                    starts_at__lt=end, starts_at__gt=timezone.now())
    queued = 0
    for pk, starts_at in Registration.objects.filter(
            meetup__in=meetups, status=Registration.Status.CONFIRMED).values_list(
            "pk", "meetup__starts_at").order_by("pk"):
        meetup_day = timezone.localdate(starts_at, timezone=AMSTERDAM)
        send_notification.delay("meetup_reminder_candidate", pk,
                                f"meetup_reminder_candidate:{pk}:{meetup_day.isoformat()}")
        queued += 1
    for pk, starts_at in MeetupEmployer.objects.filter(
            meetup__in=meetups, status=MeetupEmployer.Status.CONFIRMED,
            contact__isnull=False).values_list("pk", "meetup__starts_at").order_by("pk"):
        meetup_day = timezone.localdate(starts_at, timezone=AMSTERDAM)
        send_notification.delay("meetup_reminder_employer", pk,
                                f"meetup_reminder_employer:{pk}:{meetup_day.isoformat()}")
        queued += 1
    return queued


@municipality_task(name="matching_events.expire_unconfirmed_registrations")
def expire_unconfirmed_registrations() -> int:
    """Remove this municipality's registrations never confirmed within the link's lifetime."""
    return expire_unconfirmed()


@shared_task(name="matching_events.send_meetup_reminders_everywhere")
def send_meetup_reminders_everywhere() -> int:
    """Beat entry point (daily, 10:00): the reminders of every municipality for tomorrow."""
    return fan_out(send_meetup_reminders, _tomorrow().isoformat())


@shared_task(name="matching_events.expire_unconfirmed_registrations_everywhere")
def expire_unconfirmed_registrations_everywhere() -> int:
    """Beat entry point (nightly, 03:30): expired unconfirmed registrations everywhere."""
    return fan_out(expire_unconfirmed_registrations)
