"""A subscription's life: Stripe's state applied (and mirrored onto the municipality's row),
notices to the coordinators, the coordinator's invoices and customer portal, and removing a
cancelled municipality after its export period (an operator's explicit action)."""

import logging
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, users_with_role
from accounts.services import create_user_with_role
from core.outbox import send_after_commit
from core.site import municipality_name, site_url
from tenants import deletion
from tenants.current import current_municipality
from tenants.models import Municipality

from .. import stripe_api
from ..access import Level, access_of
from ..models import SignUp, Subscription, SubscriptionStatus

logger = logging.getLogger(__name__)
NOTIFY = {SubscriptionStatus.PAST_DUE, SubscriptionStatus.UNPAID, SubscriptionStatus.CANCELED}


class RemovalRefused(Exception):
    """Removing this municipality is not allowed (yet); the message is Dutch."""


def _when(epoch: int | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, tz=UTC) if epoch else None


def fetch_subscription(subscription_id: str, *, pay_by_invoice: bool = False) -> Any:
    """Stripe's current state of a subscription. With pay_by_invoice, invoices are sent for
    payment by bank transfer (collection_method send_invoice) from now on. Raises
    StripeUnavailable."""
    client = stripe_api.client()
    subscription = stripe_api.call(client.v1.subscriptions.retrieve, subscription_id)
    if pay_by_invoice and subscription.get("collection_method") != "send_invoice" \
            and subscription.get("status") not in ("canceled", "incomplete_expired"):
        subscription = stripe_api.call(
            client.v1.subscriptions.update, subscription_id,
            idempotency_key=f"werktop-invoice-{subscription_id}",
            collection_method="send_invoice",
            days_until_due=settings.BILLING_INVOICE_DAYS_UNTIL_DUE)
    return subscription


def _period_end(stripe_subscription: Any) -> int | None:
    """current_period_end: on the subscription in older API versions, on its items since
    2025-03-31."""
    if stripe_subscription.get("current_period_end"):
        return stripe_subscription["current_period_end"]
    items = (stripe_subscription.get("items") or {}).get("data") or []
    return items[0].get("current_period_end") if items else None


def apply_subscription(subscription: Subscription, stripe_subscription: Any) -> bool:
    """Apply Stripe's current state (always re-retrieved, so the order in which events
    arrive does not matter) and mirror it onto the municipality. Notices go out after commit
    when the status changed into past due, unpaid or cancelled. True when the status changed.
    """
    status = stripe_subscription["status"]
    changed = status != subscription.status or subscription.municipality.billing_status != status
    now = timezone.now()
    if status != subscription.status:
        subscription.status_since = now
    subscription.status = status
    subscription.trial_end = _when(stripe_subscription.get("trial_end"))
    subscription.current_period_end = _when(_period_end(stripe_subscription))
    subscription.cancelled_at = _when(stripe_subscription.get("canceled_at")) or (
        subscription.status_since if status == SubscriptionStatus.CANCELED else None)
    subscription.save()
    Municipality.objects.filter(pk=subscription.municipality_id).update(
        billing_status=status, billing_status_since=subscription.status_since)
    subscription.municipality.billing_status = status
    subscription.municipality.billing_status_since = subscription.status_since
    if changed and status in NOTIFY:
        municipality_id, since = subscription.municipality_id, subscription.status_since
        send_after_commit("billing.notify_coordinators", municipality_id, status, since.isoformat())
    return changed


def sync_subscription(subscription_id: str) -> str:
    """Re-retrieve a subscription and apply it. What happened, for the event log."""
    stripe_subscription = fetch_subscription(subscription_id)
    with transaction.atomic():
        subscription = (Subscription.objects.select_for_update().select_related("municipality")
                        .filter(stripe_subscription_id=subscription_id).first())
        if subscription is None:
            sign_up_id = (stripe_subscription.get("metadata") or {}).get("werktop_sign_up")
            if sign_up_id and SignUp.objects.filter(pk=sign_up_id).exists():
                return "deferred: the municipality is not provisioned yet"
            return "ignored: unknown subscription or customer"
        changed = apply_subscription(subscription, stripe_subscription)
    return f"applied: {stripe_subscription['status']}" + (" (changed)" if changed else "")


# --- the coordinator -------------------------------------------------------------------------

def create_coordinator(name: str, email: str) -> None:
    """The first coordinator's account in the current municipality schema, without a
    password; the e-mail (sent after commit) links to setting one, then to two-factor
    authentication. An existing account with that address is left as it is."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    if not email or User.objects.filter(email__iexact=email).exists():
        return
    first_name, _space, last_name = name.partition(" ")
    user = create_user_with_role(email, None, Role.COORDINATOR, first_name=first_name,
                                 last_name=last_name)
    base = site_url()
    context = {
        "name": first_name or name, "municipality": municipality_name(),
        "set_password_url": base + reverse("account_reset_password_from_key", kwargs={
            "uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}),
        "two_factor_url": base + reverse("mfa_activate_totp"),
        "workspace_url": base + "/werkplek/",
    }
    subject = _("Welcome to Werktop: set your password")
    body = render_to_string("billing/mail_welcome.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))


def notify_coordinators(status: str) -> int:
    """E-mail every active coordinator of the current municipality about the subscription's
    new status. Runs inside the municipality's schema. The number of e-mails sent."""
    municipality = current_municipality()
    access = access_of(municipality)
    templates = {SubscriptionStatus.PAST_DUE: "billing/mail_past_due.txt",
                 SubscriptionStatus.UNPAID: "billing/mail_unpaid.txt",
                 SubscriptionStatus.CANCELED: "billing/mail_cancelled.txt"}
    subjects = {SubscriptionStatus.PAST_DUE: _("Werktop: a payment is overdue"),
                SubscriptionStatus.UNPAID: _("Werktop: your workspace is read-only"),
                SubscriptionStatus.CANCELED: _("Werktop: your subscription has ended")}
    if status not in templates:
        return 0
    addresses = list(users_with_role(Role.COORDINATOR).values_list("email", flat=True))
    body = render_to_string(templates[status], {
        "municipality": municipality.name, "until": access.until,
        "read_only": access.level in (Level.READ_ONLY, Level.CANCELLED)})
    for address in addresses:
        send_mail(subjects[status], body, None, [address])
    return len(addresses)


def invoices_of(subscription: Subscription) -> list[dict[str, Any]]:
    """The subscription's invoices at Stripe, newest first. Raises StripeUnavailable."""
    listing = stripe_api.call(stripe_api.client().v1.invoices.list,
                              customer=subscription.stripe_customer_id, limit=24)
    return [{"number": invoice.get("number") or invoice["id"],
             "created": _when(invoice.get("created")),
             "amount": (invoice.get("amount_due") or 0) / 100,
             "currency": (invoice.get("currency") or "eur").upper(),
             "status": invoice.get("status"),
             "url": invoice.get("hosted_invoice_url"), "pdf": invoice.get("invoice_pdf")}
            for invoice in listing.get("data", [])]


def customer_portal_url(subscription: Subscription, return_url: str) -> str:
    """A Stripe customer-portal session for the subscription's customer. Raises
    StripeUnavailable."""
    session = stripe_api.call(stripe_api.client().v1.billing_portal.sessions.create,
                              customer=subscription.stripe_customer_id, return_url=return_url)
    return session["url"]


def remove_cancelled_municipality(subscription: Subscription, *, confirm_name: str,
                                  actor: object = "platformbeheer (/beheer/abonnementen/)"
                                  ) -> str:
    """Delete a cancelled municipality with all its data (`tenants.deletion`), once its
    export period is over and the operator typed its name. Never for non-payment alone. The
    removed CBS code."""
    municipality = subscription.municipality
    access = access_of(municipality)
    if access.level != Level.CANCELLED:
        raise RemovalRefused(_("Only a cancelled subscription's municipality can be removed."))
    if access.until and timezone.now() < access.until:
        raise RemovalRefused(_("The export period runs until %(date)s; remove it after that.")
                             % {"date": timezone.localtime(access.until).strftime("%d-%m-%Y")})
    if confirm_name.strip().lower() != municipality.name.lower():
        raise RemovalRefused(_("Type the municipality's name exactly to confirm."))
    code = deletion.delete_municipality(municipality.cbs_code, actor=actor).code
    logger.info("Removed cancelled municipality %s and all its data", code)
    return code
