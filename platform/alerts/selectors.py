"""Read side of signals: who sees which, and counts for the Friday report."""

from django.db.models import Count, Q, QuerySet

from .models import Signal

RELATED = ("candidate", "employer", "opportunity", "owner")


def _works_in_workspace(user) -> bool:
    return user.is_authenticated and user.has_perm("accounts.access_workspace")


def visible_signals(user) -> QuerySet[Signal]:
    """Every signal (open or not) the user may see: with `accounts.handle_all_signals` (a
    coordinator) all of the municipality, a relationship manager their own. Others: none (a
    404, never a 403)."""
    if not _works_in_workspace(user):
        return Signal.objects.none()
    signals = Signal.objects.select_related(*RELATED)
    if user.has_perm("accounts.handle_all_signals"):
        return signals
    return signals.filter(owner_id=user.pk)


def open_signals(user) -> QuerySet[Signal]:
    """The open signals addressed to the user, newest first: their own, and with
    `accounts.handle_all_signals` (a coordinator) also the escalated ones and those without an
    owner. One query."""
    if not _works_in_workspace(user):
        return Signal.objects.none()
    addressed = Q(owner_id=user.pk)
    if user.has_perm("accounts.handle_all_signals"):
        addressed |= Q(escalated=True) | Q(owner__isnull=True)
    return Signal.objects.open().filter(addressed).select_related(*RELATED)


def open_signal_counts() -> dict[str, int]:
    """Open signals of the whole municipality per kind (every kind present, 0 when none).
    One query."""
    counts = dict.fromkeys(Signal.Kind.values, 0)
    rows = Signal.objects.open().values_list("kind").annotate(n=Count("pk")).order_by()
    counts.update(dict(rows))
    return counts
