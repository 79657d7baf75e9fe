"""Stripe webhooks: each event stored once (deduplicated on its id), answered at once, and
processed in Celery. Handlers never trust the event's copy of the object, nor the order in
which events arrive: they re-retrieve the object from Stripe and apply its current state.
Only ids and the type are stored (the payload holds names and addresses)."""

import logging
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.outbox import send_after_commit

from .. import stripe_api
from ..models import StripeEvent
from . import lifecycle, signup

logger = logging.getLogger(__name__)


def _checkout_completed(event: StripeEvent) -> str:
    session = stripe_api.call(stripe_api.client().v1.checkout.sessions.retrieve,
                              event.object_id)
    if signup.checkout_completed(session):
        return "paid: provisioning queued"
    return "ignored: unknown or already handled sign-up"


def _subscription_changed(event: StripeEvent) -> str:
    return lifecycle.sync_subscription(event.object_id)


def _invoice(event: StripeEvent) -> str:
    invoice = stripe_api.call(stripe_api.client().v1.invoices.retrieve, event.object_id)
    subscription = invoice.get("subscription") or (
        ((invoice.get("parent") or {}).get("subscription_details") or {}).get("subscription"))
    if not subscription:
        return "ignored: not a subscription's invoice"
    return lifecycle.sync_subscription(
        subscription if isinstance(subscription, str) else subscription["id"])


HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "customer.subscription.created": _subscription_changed,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_changed,
    "customer.subscription.paused": _subscription_changed,
    "customer.subscription.resumed": _subscription_changed,
    "invoice.paid": _invoice,
    "invoice.payment_failed": _invoice,
}


def _storable(event_id: str, values: dict) -> bool:
    """Whether the ids and type fit their columns (Stripe's do; anything else is no event,
    and would otherwise be a database error)."""
    fields = {"event_id": event_id, "type": values["type"], "object_id": values["object_id"]}
    return bool(event_id) and all(
        len(value) <= StripeEvent._meta.get_field(name).max_length and "\x00" not in value
        for name, value in fields.items())


def receive_event(payload: bytes, signature: str) -> tuple[StripeEvent, bool]:
    """Verify and store one webhook delivery; queue its processing after commit. Returns the
    event and whether it is new (False: a duplicate delivery, nothing queued). Raises
    ValueError (not JSON, or not an event) or stripe.SignatureVerificationError."""
    event = stripe_api.construct_event(payload, signature)
    try:
        data_object = event["data"]["object"]
        values = {"type": str(event["type"]), "object_id": str(data_object.get("id", "")),
                  "created": datetime.fromtimestamp(int(event["created"]), tz=UTC)}
        event_id = str(event["id"])
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError):
        raise ValueError("not a Stripe event") from None  # e.g. a time past the year 9999
    if not _storable(event_id, values):
        raise ValueError("not a Stripe event")
    try:
        with transaction.atomic():
            stored, created = StripeEvent.objects.get_or_create(event_id=event_id,
                                                                defaults=values)
            if created:
                send_after_commit("billing.process_stripe_event", stored.pk)
    except IntegrityError:  # the same event delivered twice at the same moment
        stored, created = StripeEvent.objects.get(event_id=event_id), False
    return stored, created


def process_event(event_pk: int) -> str:
    """Process a stored event once: its row is locked, a processed event is skipped. A
    Stripe outage raises StripeUnavailable (the task retries; the event stays unprocessed
    for `replay_stripe_events`)."""
    try:
        with transaction.atomic():
            event = StripeEvent.objects.select_for_update().get(pk=event_pk)
            if event.processed_at is not None:
                return event.result
            handler = HANDLERS.get(event.type)
            try:
                result = handler(event) if handler else "ignored: event type not used"
            except stripe_api.StripeNotFound:
                result = "ignored: the object does not exist at Stripe"
            event.processed_at, event.result, event.error = timezone.now(), result[:200], ""
            event.attempts += 1
            event.save(update_fields=["processed_at", "result", "error", "attempts"])
    except stripe_api.StripeUnavailable as error:
        StripeEvent.objects.filter(pk=event_pk).update(attempts=F("attempts") + 1,
                                                       error=str(error)[:500])
        raise
    logger.info("Stripe event %s (%s): %s", event.event_id, event.type, result)
    return result


def unprocessed_events(received_before: datetime | None = None) -> list[int]:
    """Ids of stored events not processed yet, oldest first."""
    pending = StripeEvent.objects.filter(processed_at=None)
    if received_before is not None:
        pending = pending.filter(received_at__lt=received_before)
    return list(pending.order_by("created", "pk").values_list("pk", flat=True))

