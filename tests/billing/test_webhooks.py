"""Stripe's webhook: signatures, each event once, any order, and replaying what was missed."""

import json
import time

import pytest
from django.conf import settings
from django.core.management import call_command

from billing.models import SignUp, StripeEvent, Subscription
from tests.conftest import client_for

from .conftest import post_event
from .helpers import AMSTERDAM, complete_and_deliver, sign_up
from .stripe_fakes import make_event, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribed(national, fake_stripe, django_capture_on_commit_callbacks):
    """Amsterdam signed up, paid and provisioned: (client, subscription)."""
    client = client_for(national)
    sign_up(client)
    record = complete_and_deliver(client, fake_stripe, SignUp.objects.get(cbs_code=AMSTERDAM),
                                  django_capture_on_commit_callbacks)
    return client, Subscription.objects.get(municipality=record.municipality)


def test_a_validly_signed_event_is_stored_and_processed(national, fake_stripe,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client_for(national), make_event("customer.created",
                                                               {"id": "cus_x"}))
    assert response.status_code == 200 and response.json() == {"received": True,
                                                               "duplicate": False}
    event = StripeEvent.objects.get()
    assert event.processed_at is not None and event.result == "ignored: event type not used"


def test_a_tampered_body_is_refused(national, fake_stripe):
    event = make_event("invoice.paid", {"id": "in_1"})
    body = json.dumps(event).encode()
    signature = sign(body, settings.STRIPE_WEBHOOK_SECRET)
    tampered = body.replace(b"in_1", b"in_2")
    response = client_for(national).post("/stripe/webhook/", tampered,
                                         content_type="application/json",
                                         HTTP_STRIPE_SIGNATURE=signature)
    assert response.status_code == 400 and not StripeEvent.objects.exists()


def test_a_stale_signature_is_refused(national, fake_stripe):
    old = int(time.time()) - settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS - 60
    response = post_event(client_for(national), make_event("invoice.paid", {"id": "in_1"}),
                          timestamp=old)
    assert response.status_code == 400 and not StripeEvent.objects.exists()


def test_a_wrong_secret_or_a_missing_signature_is_refused(national, fake_stripe):
    client = client_for(national)
    body = json.dumps(make_event("invoice.paid", {"id": "in_1"})).encode()
    wrong = client.post("/stripe/webhook/", body, content_type="application/json",
                        HTTP_STRIPE_SIGNATURE=sign(body, "whsec_someone_else"))
    missing = client.post("/stripe/webhook/", body, content_type="application/json")
    assert wrong.status_code == missing.status_code == 400
    assert not StripeEvent.objects.exists()


def test_malformed_json_is_refused(national, fake_stripe):
    body = b'{"id": "evt_1", "type": '
    response = client_for(national).post(
        "/stripe/webhook/", body, content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, settings.STRIPE_WEBHOOK_SECRET))
    assert response.status_code == 400 and not StripeEvent.objects.exists()


def test_only_post_is_accepted(national):
    assert client_for(national).get("/stripe/webhook/").status_code == 405


def test_a_duplicate_delivery_is_stored_and_processed_once(
        national, fake_stripe, django_capture_on_commit_callbacks, monkeypatch):
    from billing.services import events

    processed = []
    original = events.process_event
    monkeypatch.setattr(events, "process_event",
                        lambda pk: processed.append(pk) or original(pk))
    event = make_event("customer.created", {"id": "cus_x"})
    client = client_for(national)
    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(client, event)
        second = post_event(client, event)
    assert first.json()["duplicate"] is False and second.json()["duplicate"] is True
    assert StripeEvent.objects.count() == 1 and len(processed) == 1


def test_an_event_for_an_unknown_customer_is_acknowledged_and_ignored(
        national, fake_stripe, django_capture_on_commit_callbacks):
    fake_stripe.objects["sub_stranger"] = {
        "id": "sub_stranger", "object": "subscription", "customer": "cus_stranger",
        "status": "active", "collection_method": "charge_automatically", "metadata": {},
        "items": {"data": []}}
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client_for(national), make_event(
            "customer.subscription.updated", fake_stripe.objects["sub_stranger"]))
    assert response.status_code == 200
    assert StripeEvent.objects.get().result == "ignored: unknown subscription or customer"
    assert not Subscription.objects.exists()


def test_out_of_order_events_end_in_stripes_current_state(
        subscribed, fake_stripe, django_capture_on_commit_callbacks):
    client, subscription = subscribed
    sub_id = subscription.stripe_subscription_id
    # Stripe: trialing -> active -> past_due. The events arrive newest first.
    active = dict(fake_stripe.set_status(sub_id, "active"))
    active_event = make_event("customer.subscription.updated", active,
                              created=int(time.time()) - 60)
    past_due = dict(fake_stripe.set_status(sub_id, "past_due"))
    past_due_event = make_event("customer.subscription.updated", past_due)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, past_due_event)
        post_event(client, active_event)  # late, and stale: must not win
    subscription.refresh_from_db()
    assert subscription.status == "past_due"
    assert subscription.municipality.billing_status == "past_due"


def test_invoice_events_update_the_subscription(subscribed, fake_stripe,
                                               django_capture_on_commit_callbacks):
    client, subscription = subscribed
    sub_id = subscription.stripe_subscription_id
    fake_stripe.set_status(sub_id, "past_due")
    failed = fake_stripe.add_invoice(sub_id, status="open")
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, make_event("invoice.payment_failed", failed))
    subscription.refresh_from_db()
    assert subscription.status == "past_due"
    fake_stripe.set_status(sub_id, "active")
    paid = fake_stripe.add_invoice(sub_id, status="paid")
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, make_event("invoice.paid", paid))
    subscription.refresh_from_db()
    assert subscription.status == "active"


def test_subscription_deleted_cancels(subscribed, fake_stripe,
                                      django_capture_on_commit_callbacks):
    client, subscription = subscribed
    cancelled = fake_stripe.set_status(subscription.stripe_subscription_id, "canceled")
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, make_event("customer.subscription.deleted", cancelled))
    subscription.refresh_from_db()
    assert subscription.status == "canceled" and subscription.cancelled_at is not None


def test_events_stored_during_a_stripe_outage_are_replayed_by_the_command(
        subscribed, fake_stripe, django_capture_on_commit_callbacks):
    client, subscription = subscribed
    fake_stripe.set_status(subscription.stripe_subscription_id, "past_due")
    event = make_event("customer.subscription.updated",
                       fake_stripe.objects[subscription.stripe_subscription_id])
    fake_stripe.down = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert post_event(client, event).status_code == 200  # stored, answered at once
    for callback in callbacks:
        with pytest.raises(Exception):  # noqa: B017 - the task fails while Stripe is down
            callback()
    stored = StripeEvent.objects.get(event_id=event["id"])
    assert stored.processed_at is None and stored.attempts >= 1
    fake_stripe.down = False
    call_command("replay_stripe_events")
    stored.refresh_from_db()
    subscription.refresh_from_db()
    assert stored.processed_at is not None and subscription.status == "past_due"
    call_command("replay_stripe_events")  # nothing left: processed once
    assert StripeEvent.objects.filter(processed_at=None).count() == 0


def test_an_event_about_an_object_stripe_does_not_know_is_ignored(
        national, fake_stripe, django_capture_on_commit_callbacks):
    client = client_for(national)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, make_event("invoice.paid", {"id": "in_unknown"}))
        post_event(client, make_event("checkout.session.completed",
                                      {"id": "cs_unknown", "object": "checkout.session"}))
    results = set(StripeEvent.objects.values_list("result", flat=True))
    assert results == {"ignored: the object does not exist at Stripe"}
    assert StripeEvent.objects.filter(processed_at=None).count() == 0


def test_a_completed_checkout_that_is_not_ours_is_ignored(
        national, fake_stripe, django_capture_on_commit_callbacks):
    fake_stripe.objects["cs_other"] = {"id": "cs_other", "object": "checkout.session",
                                       "status": "complete", "client_reference_id": "order-17"}
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client_for(national), make_event("checkout.session.completed",
                                                    fake_stripe.objects["cs_other"]))
    assert StripeEvent.objects.get().result == "ignored: unknown or already handled sign-up"
