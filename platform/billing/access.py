"""What a municipality's workspace may do, from the subscription status mirrored onto its
row (`Municipality.billing_status`): no query per request."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from tenants.models import Municipality

from .models import SubscriptionStatus

READ_ONLY_STATUSES = {SubscriptionStatus.UNPAID, SubscriptionStatus.CANCELED,
                      SubscriptionStatus.INCOMPLETE_EXPIRED, SubscriptionStatus.PAUSED}


class Level(StrEnum):
    FULL = "full"
    PAST_DUE = "past_due"  # full, with a banner: pay before the grace period ends
    READ_ONLY = "read_only"  # unpaid beyond the grace period, or paused
    CANCELLED = "cancelled"  # read-only, data kept for export until `until`


@dataclass(frozen=True)
class Access:
    level: Level
    until: datetime | None = None  # end of the grace period, or of the export period

    @property
    def read_only(self) -> bool:
        return self.level in (Level.READ_ONLY, Level.CANCELLED)


def access_of(municipality: Municipality, now: datetime | None = None) -> Access:
    status, since = municipality.billing_status, municipality.billing_status_since
    if not status or since is None:
        return Access(Level.FULL)  # no subscription: provisioned by an operator, demo data
    now = now or timezone.now()
    if status == SubscriptionStatus.PAST_DUE:
        grace_end = since + timedelta(days=settings.BILLING_GRACE_DAYS)
        return Access(Level.PAST_DUE, grace_end) if now < grace_end else Access(
            Level.READ_ONLY)
    if status == SubscriptionStatus.CANCELED:
        return Access(Level.CANCELLED, since + timedelta(days=settings.BILLING_EXPORT_DAYS))
    if status in READ_ONLY_STATUSES:
        return Access(Level.READ_ONLY)
    return Access(Level.FULL)
