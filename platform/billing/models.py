"""Sign-ups, subscriptions and Stripe events: public schema (the national site).

No personal data is kept here except, for the few minutes between the sign-up form and the
provisioned municipality, the coordinator's name and work e-mail on `SignUp` (there is no
municipality schema to keep them in yet). Provisioning creates the coordinator's account in the
municipality's own schema and erases both fields; an abandoned sign-up is erased when it
expires (`services.signup.expire_abandoned_sign_ups`). Stripe events keep only ids and type,
never the payload (which holds names and addresses): handlers re-retrieve the object."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.models import Municipality


class Plan(models.TextChoices):
    """Yearly subscription by size, chosen by the municipality. Prices are Stripe Price IDs
    in settings (STRIPE_PRICE_SMALL/MEDIUM/LARGE), never amounts in the code."""

    SMALL = "small", _("Small: up to 50,000 inhabitants")
    MEDIUM = "medium", _("Medium: 50,000 to 150,000 inhabitants")
    LARGE = "large", _("Large: more than 150,000 inhabitants")


class SubscriptionStatus(models.TextChoices):
    """Stripe's subscription statuses."""

    TRIALING = "trialing", _("trial period")
    ACTIVE = "active", _("active")
    PAST_DUE = "past_due", _("payment overdue")
    UNPAID = "unpaid", _("unpaid")
    CANCELED = "canceled", _("cancelled")
    INCOMPLETE = "incomplete", _("first payment pending")
    INCOMPLETE_EXPIRED = "incomplete_expired", _("first payment failed")
    PAUSED = "paused", _("paused")


class SignUp(models.Model):
    """A municipality signing itself up on the national site."""

    class Status(models.TextChoices):
        NEW = "new", _("waiting for payment details")
        CHECKOUT = "checkout", _("at Stripe Checkout")
        PAID = "paid", _("being set up")
        PROVISIONED = "provisioned", _("ready")
        EXPIRED = "expired", _("expired")
        FAILED = "failed", _("setting up failed")

    OPEN = (Status.NEW, Status.CHECKOUT, Status.PAID)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cbs_code = models.CharField(_("CBS code"), max_length=6)
    plan = models.CharField(_("plan"), max_length=10, choices=Plan.choices)
    pay_by_invoice = models.BooleanField(_("pay by invoice"), default=True)
    coordinator_name = models.CharField(_("coordinator's name"), max_length=150, blank=True)
    coordinator_email = models.EmailField(_("coordinator's e-mail address"), blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True)
    stripe_subscription_id = models.CharField(max_length=255, blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="sign_ups")
    error = models.TextField(blank=True)  # for operators; never personal data
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sign-up")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cbs_code"], condition=Q(status__in=["new", "checkout", "paid"]),
                name="billing_one_open_sign_up_per_municipality"),
        ]

    def __str__(self) -> str:
        return f"{self.cbs_code} {self.status}"


class Subscription(models.Model):
    """A municipality's subscription as Stripe last told us (re-retrieved on every event)."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE,
                                        related_name="subscription")
    sign_up = models.OneToOneField(SignUp, on_delete=models.SET_NULL, null=True, blank=True)
    plan = models.CharField(_("plan"), max_length=10, choices=Plan.choices)
    stripe_customer_id = models.CharField(max_length=255, unique=True)
    stripe_subscription_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=SubscriptionStatus.choices)
    status_since = models.DateTimeField(_("status since"))
    trial_end = models.DateTimeField(_("trial ends"), null=True, blank=True)
    current_period_end = models.DateTimeField(_("paid until"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    # "<status>@<status_since>" of the last change the coordinators were e-mailed about.
    notified_change = models.CharField(max_length=60, blank=True)
    synced_at = models.DateTimeField(_("last synchronised"), auto_now=True)

    class Meta:
        verbose_name = _("subscription")
        ordering = ["municipality__name"]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.status}"


class StripeEvent(models.Model):
    """Each Stripe event once (deduplicated on Stripe's event id), processed in Celery."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField()  # Stripe's time of the event
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    result = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Stripe event")
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["processed_at"], name="billing_event_unprocessed",
                                condition=Q(processed_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"
