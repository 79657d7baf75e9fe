"""Writing the audit trail. The only way entries are made; there is no way to change one (the
database refuses UPDATE, DELETE and TRUNCATE: migration 0003).

Every entry is also one structured log line ("audit": actor, action, object, result, origin,
time): the trail in the municipality's schema for coordinators, the log for operations. The
log line holds ids and roles only: no e-mail address (the entry's `actor_label`), no client
address (the log has the network from `core.logging`), and no free-text detail where a
person could have typed personal data (an erasure's reason)."""

from collections.abc import Iterable
from typing import Any

import structlog
from django.http import HttpRequest

from core.logging import actor_of, get_logger

from .models import AuditEntry

logger = get_logger("werktop.audit")

RESULTS = {"login_failed": "failure", "denied": "denied", "refused": "refused"}
# Details typed by a person, or holding a path: never in the log.
DETAIL_NOT_LOGGED = frozenset({"erase", "denied"})


# Object ids and details come from URLs too ("/api/v1/kandidaten/%00/"): PostgreSQL refuses
# NUL characters in text, and the trail needs no control characters.
UNPRINTABLE = dict.fromkeys(range(32), "\N{REPLACEMENT CHARACTER}")
OBJECT_ID_LENGTH = 50
BULK_CHUNK = 1000


def _clean(value: object, length: int) -> str:
    return str(value).translate(UNPRINTABLE)[:length]


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def emit(action: str, object_type: str, object_id: object = "", *, actor=None,
         request: HttpRequest | None = None, detail: str = "") -> None:
    """The structured log line of an audit event (also on the national site, which has no
    audit table)."""
    fields: dict[str, Any] = {
        "action": action,
        "object": {"type": object_type,
                   "id": _clean(object_id, OBJECT_ID_LENGTH) if object_id != "" else None},
        "result": RESULTS.get(action, "ok"),
    }
    if actor is not None and getattr(actor, "is_authenticated", False):
        fields["actor"] = actor_of(actor, request)
    elif action == "login_failed":
        fields["actor"] = None  # who tried is not known, and the address typed is not kept
    else:  # the request's user if there is one (bound by core.logging), else nobody
        fields["actor"] = structlog.contextvars.get_contextvars().get("actor")
    if detail and action not in DETAIL_NOT_LOGGED:
        fields["detail"] = _clean(detail, 200)
    logger.info("audit", **fields)


def record(action: str, object_type: str, object_id: object = "", *, actor=None,
           request: HttpRequest | None = None, detail: str = "") -> AuditEntry:
    """Append one entry. `detail` must not hold personal data of the person concerned."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    entry = AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=getattr(actor, "email", "") or "",
        action=action,
        object_type=object_type,
        object_id=_clean(object_id, OBJECT_ID_LENGTH),
        origin=client_ip(request),
        detail=_clean(detail, 200),
    )
    emit(action, object_type, object_id, actor=actor, request=request, detail=detail)
    return entry


def record_many(action: str, object_type: str, object_ids: Iterable[object], *,
                request: HttpRequest | None = None, actor=None, detail: str = "") -> int:
    """One entry per object (a list page of the API, the rows of an export), so the question
    "who saw candidate 123?" is one search on type and number, whatever the way it was seen.
    Written in bulk; one log line with the count. Returns the number of entries."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    authenticated = actor is not None and actor.is_authenticated
    base = {"actor": actor if authenticated else None,
            "actor_label": getattr(actor, "email", "") or "", "action": action,
            "object_type": object_type, "origin": client_ip(request),
            "detail": _clean(detail, 200)}
    entries = [AuditEntry(object_id=_clean(object_id, OBJECT_ID_LENGTH), **base)
               for object_id in object_ids]
    AuditEntry.objects.bulk_create(entries, batch_size=BULK_CHUNK)
    emit(action, object_type, "", actor=actor, request=request,
         detail=f"{len(entries)} x {detail}".strip())
    return len(entries)
