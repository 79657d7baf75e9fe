"""Signals (BanenmarktVolgSysteem): something a relationship manager or coordinator should act on.

Lives in each municipality's schema. Raised by `alerts.services.raise_signals` (daily task),
dismissed with a reason through `alerts.services.dismiss_signal`; nothing else writes them.

Each signal has a unique `key` naming what it is about ("programme_9_months:candidate:12"), so
the daily run raises it once: a second run finds the key and creates nothing, and a dismissed or
resolved signal is never raised again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching_events.models import Opportunity, Placement
from relations.models import Candidate, Employer

from .kinds import Kind
from .texts import describe

User = settings.AUTH_USER_MODEL


class SignalQuerySet(models.QuerySet):
    def open(self) -> "SignalQuerySet":
        """Neither dismissed by a person nor resolved by the daily run."""
        return self.filter(dismissed_at__isnull=True, resolved_at__isnull=True)


class Signal(models.Model):
    Kind = Kind  # alerts.kinds: the texts use the kinds without importing this module

    # Kinds that go to the coordinators (besides the owner, if any).
    ESCALATED_KINDS = (Kind.PROGRAMME_12_MONTHS, Kind.TARGET_REACHED, Kind.TARGET_BEHIND_PACE)

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    key = models.CharField(max_length=200, unique=True, editable=False)
    owner = models.ForeignKey(
        User, verbose_name=_("relationship manager"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="signals")
    # Also for every coordinator. A signal without an owner goes to the coordinators as well.
    escalated = models.BooleanField(_("escalated to the coordinator"), default=False)
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="signals")
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, null=True, blank=True, related_name="signals")
    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, null=True, blank=True, related_name="signals")
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, null=True, blank=True, related_name="signals")
    # Figures and dates for the text (never names): due date, weeks, target counts.
    data = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField(_("raised on"), default=timezone.now)
    # Set by the daily run when the condition no longer holds (the follow-up was done, ...).
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    dismissed_at = models.DateTimeField(_("dismissed on"), null=True, blank=True,
                                        editable=False)
    dismissed_by = models.ForeignKey(
        User, verbose_name=_("dismissed by"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+", editable=False)
    dismiss_reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "raised_at"], name="signal_open_owner",
                         condition=Q(dismissed_at__isnull=True, resolved_at__isnull=True)),
            models.Index(fields=["kind", "raised_at"], name="signal_open_kind",
                         condition=Q(dismissed_at__isnull=True, resolved_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def is_open(self) -> bool:
        return self.dismissed_at is None and self.resolved_at is None

    @property
    def text(self) -> str:
        return describe(self)
