"""Billing tasks. Sent from the public schema (national site), except `notify_coordinators`,
which is sent from inside the municipality's schema (tenant-schemas-celery carries it).
All take ids and are idempotent."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from core.tenancy import municipality_task
from tenants.current import current_municipality
from tenants.models import Municipality

from .models import Subscription
from .services import events, lifecycle, signup
from .stripe_api import StripeUnavailable

RETRY = {"autoretry_for": (StripeUnavailable,), "retry_backoff": 5, "retry_backoff_max": 600,
         "max_retries": 12}


@shared_task(name="billing.process_stripe_event", **RETRY)
def process_stripe_event(event_pk: int) -> str:
    return events.process_event(event_pk)


@shared_task(name="billing.provision_sign_up", **RETRY)
def provision_sign_up(sign_up_id: str) -> int | None:
    municipality = signup.provision_sign_up(sign_up_id)
    return municipality.pk if municipality else None


@municipality_task(name="billing.notify_coordinators_in_schema")
def _notify_in_schema(status: str, since: str) -> int:
    """Runs in the municipality's schema. Sends once per status change: the subscription
    row remembers the last change it told the coordinators about."""
    municipality = current_municipality()
    updated = Subscription.objects.filter(municipality=municipality).exclude(
        notified_change=f"{status}@{since}").update(notified_change=f"{status}@{since}")
    return lifecycle.notify_coordinators(status) if updated else 0


@shared_task(name="billing.notify_coordinators")
def notify_coordinators(municipality_id: int, status: str, since: str) -> None:
    """Fan-in from the public schema: send the notice from inside the municipality."""
    schema = Municipality.objects.filter(pk=municipality_id).values_list(
        "schema_name", flat=True).first()
    if schema and schema != get_public_schema_name():
        with schema_context(schema):
            _notify_in_schema.delay(status, since)


@shared_task(name="billing.expire_abandoned_sign_ups")
def expire_abandoned_sign_ups() -> int:
    return signup.expire_abandoned_sign_ups()


@shared_task(name="billing.replay_unprocessed_events")
def replay_unprocessed_events(older_than_seconds: int = 300) -> int:
    """Queue every event still unprocessed this long after it arrived (its own task was lost,
    or gave up during a Stripe outage). Processing twice is harmless: see process_event."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pks = events.unprocessed_events(received_before=cutoff)
    for pk in pks:
        process_stripe_event.delay(pk)
    return len(pks)
