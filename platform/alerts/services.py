"""Writes of signals: the daily run that raises (and resolves) them, and dismissal.

Runs inside a municipality's schema. The rules of each kind are in `alerts.detectors`.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from matching_events.models import Placement
from relations.models import Candidate, Employer

from . import detectors
from .detectors import Found
from .models import Signal

MAX_REASON = 500


def raise_signals(today: date | None = None) -> int:
    """Raise what is new today; return how many signals were created.

    Idempotent: a signal's `key` is unique, so a second run (the same day or later) creates
    nothing for what already exists, and a dismissed or resolved signal is never raised again.
    An open signal whose condition no longer holds is resolved (it leaves "my day"). Open
    signals follow their candidate or employer to a new relationship manager (handover).
    """
    today = today or timezone.localdate()
    created = 0
    for kind, found in detectors.everything(today).items():
        created += _store(kind, found)
    _follow_owners()
    return created


@transaction.atomic
def _store(kind: str, found: list[Found]) -> int:
    wanted = {item.key: item for item in found}
    known = set(Signal.objects.filter(key__in=list(wanted)).values_list("key", flat=True))
    now = timezone.now()
    new = [Signal(kind=item.kind, key=item.key, owner_id=item.owner_id,
                  escalated=item.escalated, candidate_id=item.candidate_id,
                  employer_id=item.employer_id, placement_id=item.placement_id,
                  opportunity_id=item.opportunity_id, data=item.data, raised_at=now)
           for key, item in wanted.items() if key not in known]
    # ignore_conflicts: a run racing this one may have raised the same key meanwhile.
    Signal.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    Signal.objects.open().filter(kind=kind).exclude(key__in=list(wanted)).update(
        resolved_at=now)
    return len(new)


def _follow_owners() -> None:
    """Open signals belong to whoever owns the relation now (portfolios get handed over):
    a placement's follow-up to the owner of the follow-up action, other candidate signals to
    the candidate's relationship manager, employer signals to the employer's."""
    open_signals = Signal.objects.open()
    open_signals.filter(placement__isnull=False).update(owner_id=Subquery(
        Placement.objects.filter(pk=OuterRef("placement_id")).values("follow_up__owner_id")[:1]))
    open_signals.filter(placement__isnull=True, candidate__isnull=False).update(
        owner_id=Subquery(Candidate.objects.filter(pk=OuterRef("candidate_id"))
                          .values("owner_id")[:1]))
    open_signals.filter(placement__isnull=True, candidate__isnull=True,
                        employer__isnull=False).update(
        owner_id=Subquery(Employer.objects.filter(pk=OuterRef("employer_id"))
                          .values("owner_id")[:1]))


def may_dismiss(user, signal: Signal) -> bool:
    """The owner, or whoever handles every signal (a coordinator)."""
    if not user.is_authenticated or not user.has_perm("accounts.access_workspace"):
        return False
    return signal.owner_id == user.pk or user.has_perm("accounts.handle_all_signals")


@transaction.atomic
def dismiss_signal(signal_id: int, *, by, reason: str) -> Signal:
    """Dismiss an open signal with a reason. Only its owner or a coordinator may."""
    signal = Signal.objects.select_for_update().get(pk=signal_id)
    if not may_dismiss(by, signal):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for dismissing this signal.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("Keep the reason under %(n)s characters.")
                               % {"n": MAX_REASON}})
    if not signal.is_open:
        raise ValidationError(_("This signal is no longer open."))
    signal.dismissed_at, signal.dismissed_by, signal.dismiss_reason = (
        timezone.now(), by, reason)
    signal.save(update_fields=["dismissed_at", "dismissed_by", "dismiss_reason"])
    return signal
