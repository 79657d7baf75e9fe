"""What meetups and placements add to the municipality's targets (read side)."""

from datetime import date

from django.db.models import Count
from django.utils import timezone

from .models import Placement


def placements_in_period(start: date | None, end: date | None) -> dict[str, int]:
    """Placements per kind that START inside the project period (both ends included) and
    have started (start date today or earlier). One that ended early still counts: the
    person started. Without a period nothing counts."""
    counts = {kind: 0 for kind in Placement.Kind.values}
    if start is None or end is None:
        return counts
    last = min(end, timezone.localdate())
    rows = (Placement.objects.filter(start_date__gte=start, start_date__lte=last)
            .values("kind").annotate(n=Count("pk")))
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts
