"""Self-service sign-up: the form creates a `SignUp`, Stripe Checkout takes the payment
details, and on a completed Checkout Session (webhook, or the visitor's return) the
municipality is provisioned in Celery. Every step can be repeated without doing anything twice.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from core.outbox import send_after_commit
from tenants import cbs
from tenants.models import Municipality
from tenants.services import ProvisioningError, provision_municipality

from .. import stripe_api
from ..models import SignUp, Subscription
from . import lifecycle

logger = logging.getLogger(__name__)


class SignUpRefused(Exception):
    """A sign-up that cannot go ahead; the message is Dutch and meant for the visitor."""


def municipalities_open_for_sign_up() -> list[cbs.CbsMunicipality]:
    """The CBS list minus the municipalities already on the platform (one query)."""
    taken = set(Municipality.objects.exclude(cbs_code=None).values_list("cbs_code", flat=True))
    return sorted((m for m in cbs.all_municipalities().values() if m.cbs_code not in taken),
                  key=lambda m: m.name)


def expire_abandoned_sign_ups(cbs_code: str | None = None) -> int:
    """Sign-ups that never got past Checkout within BILLING_SIGN_UP_HOURS expire, and the
    coordinator's name and address on them are erased."""
    cutoff = timezone.now() - timedelta(hours=settings.BILLING_SIGN_UP_HOURS)
    stale = SignUp.objects.filter(status__in=[SignUp.Status.NEW, SignUp.Status.CHECKOUT],
                                  created_at__lt=cutoff)
    if cbs_code:
        stale = stale.filter(cbs_code=cbs_code)
    return stale.update(status=SignUp.Status.EXPIRED, coordinator_name="",
                        coordinator_email="", updated_at=timezone.now())


def _already_on_platform(info: cbs.CbsMunicipality) -> SignUpRefused:
    return SignUpRefused(_("%(name)s is already on the platform. Ask your coordinator for an "
                           "account, or contact us.") % {"name": info.name})


def start_sign_up(*, cbs_code: str, plan: str, coordinator_name: str, coordinator_email: str,
                  pay_by_invoice: bool = True) -> SignUp:
    """Record a sign-up. The same municipality and address again (a double click, the back
    button) gives the same sign-up; another address while one is open is refused."""
    try:
        info = cbs.lookup(cbs_code)
    except ValidationError as error:
        raise SignUpRefused(error.messages[0]) from None
    if Municipality.objects.filter(cbs_code=info.cbs_code).exists():
        raise _already_on_platform(info)
    if plan not in settings.STRIPE_PRICES:
        raise SignUpRefused(_("Choose one of the plans."))
    expire_abandoned_sign_ups(info.cbs_code)
    try:
        with transaction.atomic():
            return SignUp.objects.create(
                cbs_code=info.cbs_code, plan=plan, pay_by_invoice=pay_by_invoice,
                coordinator_name=coordinator_name.strip(),
                coordinator_email=coordinator_email.strip().lower())
    except IntegrityError:
        pass  # an open sign-up for this municipality exists (perhaps made a moment ago)
    existing = SignUp.objects.filter(cbs_code=info.cbs_code, status__in=SignUp.OPEN).first()
    if existing and existing.coordinator_email == coordinator_email.strip().lower():
        return existing
    raise SignUpRefused(_("Someone from %(name)s has already started signing up. They can "
                          "finish it with the link they saw; otherwise try again tomorrow.")
                        % {"name": info.name})


def open_checkout(sign_up: SignUp, *, success_url: str, cancel_url: str) -> str:
    """The URL of Stripe Checkout for this sign-up (subscription mode, trial, invoice payment
    allowed). The idempotency key is the sign-up's id: repeating this (a double click, a retry
    after an outage) gives the same Checkout Session. Raises StripeUnavailable, SignUpRefused.
    """
    if sign_up.status not in (SignUp.Status.NEW, SignUp.Status.CHECKOUT):
        raise SignUpRefused(_("This sign-up is no longer waiting for payment details."))
    metadata = {"werktop_sign_up": str(sign_up.pk), "cbs_code": sign_up.cbs_code}
    session = stripe_api.call(
        stripe_api.client().v1.checkout.sessions.create,
        idempotency_key=f"werktop-checkout-{sign_up.pk}",
        mode="subscription", client_reference_id=str(sign_up.pk), locale="nl",
        line_items=[{"price": stripe_api.price_for(sign_up.plan), "quantity": 1}],
        customer_email=sign_up.coordinator_email, billing_address_collection="required",
        # No card needed during the trial: municipalities pay by invoice (bank transfer),
        # which is switched on for the subscription once it exists (see lifecycle).
        payment_method_collection="if_required",
        subscription_data={"trial_period_days": settings.BILLING_TRIAL_DAYS,
                           "metadata": metadata},
        metadata=metadata, success_url=success_url, cancel_url=cancel_url)
    SignUp.objects.filter(pk=sign_up.pk, status__in=[SignUp.Status.NEW, SignUp.Status.CHECKOUT]
                          ).update(status=SignUp.Status.CHECKOUT, checkout_session_id=session["id"],
                                   checkout_url=session["url"], updated_at=timezone.now())
    return session["url"]


def confirm_checkout(sign_up: SignUp) -> bool:
    """Ask Stripe whether this sign-up's Checkout Session is complete (the visitor came back
    before the webhook did). True when this call marked it paid. Raises StripeUnavailable."""
    if sign_up.status != SignUp.Status.CHECKOUT or not sign_up.checkout_session_id:
        return False
    session = stripe_api.call(stripe_api.client().v1.checkout.sessions.retrieve,
                              sign_up.checkout_session_id)
    return checkout_completed(session)


def checkout_completed(session) -> bool:
    """A Checkout Session Stripe says is complete: mark its sign-up paid and queue the
    provisioning, once. False for an unknown or already-handled sign-up."""
    if session.get("status") != "complete":
        return False
    try:
        sign_up_id = uuid.UUID(str(session.get("client_reference_id")))
    except ValueError:
        return False  # not one of ours
    with transaction.atomic():
        sign_up = (SignUp.objects.select_for_update()
                   .filter(pk=sign_up_id).first())
        if sign_up is None or sign_up.status not in (SignUp.Status.NEW, SignUp.Status.CHECKOUT):
            return False
        sign_up.status = SignUp.Status.PAID
        sign_up.stripe_customer_id = _id(session.get("customer"))
        sign_up.stripe_subscription_id = _id(session.get("subscription"))
        sign_up.save(update_fields=["status", "stripe_customer_id", "stripe_subscription_id",
                                    "updated_at"])
        send_after_commit("billing.provision_sign_up", str(sign_up.pk))
    return True


def _id(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else value["id"]


def provision_sign_up(sign_up_id: str) -> Municipality | None:
    """Provision the municipality of a paid sign-up: schema and portal, its subscription,
    and the coordinator's account (an e-mail to set a password and two-factor
    authentication). Idempotent: a repeated or retried call finds the work done.

    Stripe is asked first (the subscription's state, invoice payment switched on), outside
    the transaction; then everything is written in one transaction, so a crash leaves
    either nothing (the schema too: PostgreSQL's DDL is transactional) or everything."""
    sign_up = SignUp.objects.get(pk=sign_up_id)
    if sign_up.status == SignUp.Status.PROVISIONED:
        return sign_up.municipality
    if sign_up.status != SignUp.Status.PAID:
        return None
    stripe_subscription = lifecycle.fetch_subscription(
        sign_up.stripe_subscription_id, pay_by_invoice=sign_up.pay_by_invoice)
    with transaction.atomic():
        sign_up = SignUp.objects.select_for_update().get(pk=sign_up_id)
        if sign_up.status != SignUp.Status.PAID:
            return sign_up.municipality
        municipality = Municipality.objects.filter(cbs_code=sign_up.cbs_code).first()
        if municipality is not None:
            sign_up.status, sign_up.error = SignUp.Status.FAILED, (
                "The municipality was provisioned another way meanwhile; an operator must "
                "link or refund this subscription.")
            sign_up.save(update_fields=["status", "error", "updated_at"])
            return None
        try:
            municipality = provision_municipality(sign_up.cbs_code)
        except ProvisioningError as error:
            sign_up.status, sign_up.error = SignUp.Status.FAILED, str(error)
            sign_up.save(update_fields=["status", "error", "updated_at"])
            return None
        subscription = Subscription.objects.create(
            municipality=municipality, sign_up=sign_up, plan=sign_up.plan,
            stripe_customer_id=sign_up.stripe_customer_id,
            stripe_subscription_id=sign_up.stripe_subscription_id,
            status=stripe_subscription["status"], status_since=timezone.now())
        lifecycle.apply_subscription(subscription, stripe_subscription)
        with tenant_context(municipality):
            lifecycle.create_coordinator(sign_up.coordinator_name, sign_up.coordinator_email)
        sign_up.status, sign_up.municipality = SignUp.Status.PROVISIONED, municipality
        sign_up.coordinator_name = sign_up.coordinator_email = ""  # now in the municipality
        sign_up.save()
    logger.info("Sign-up %s provisioned municipality %s", sign_up.pk, municipality.cbs_code)
    return municipality
