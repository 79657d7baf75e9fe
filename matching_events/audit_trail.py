"""The audit trail of meetup pages: who saw which candidates' names, and who changed what on
the day. Entries name objects by type and number, never by name (`audit.services`).

A page or export that lists candidates by name writes one entry for the meetup and one per
candidate shown by name, in bulk (two inserts whatever the size), so "who saw candidate 123?"
is one search on type and number. Placeholders show no one, so they are not recorded."""

from collections.abc import Iterable

from django.http import HttpRequest

from audit.services import record, record_many


def record_shown(request: HttpRequest, meetup, what: str, candidate_ids: Iterable[int], *,
                 action: str = "view") -> None:
    """`request.user` saw `what` of `meetup` ("aanmeldingen", "tafelindeling", ...) with the
    names of `candidate_ids`: an entry for the meetup (detail "<what>: <n> kandidaten") and
    one per candidate (detail "bijeenkomst <pk>: <what>")."""
    ids = sorted(set(candidate_ids))
    record(action, "meetup", meetup.pk, request=request,
           detail=f"{what}: {len(ids)} kandidaten")
    if ids:
        record_many(action, "candidate", ids, request=request,
                    detail=f"bijeenkomst {meetup.pk}: {what}")


def record_change(request: HttpRequest, object_type: str, object_id: int, detail: str) -> None:
    """A change made on a meetup page (check-in, a conversation's outcome, a placement). The
    detail holds numbers and fixed words only."""
    record("change", object_type, object_id, request=request, detail=detail)
