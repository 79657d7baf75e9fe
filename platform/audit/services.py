"""Writing the audit trail. The only way entries are made; there is no way to change one (the
database refuses UPDATE, DELETE and TRUNCATE: migration 0003).

Every entry is also one structured log line ("audit": actor, action, object, result, origin,
time): the trail in the municipality's schema for coordinators, the log for operations. The
log line holds ids and roles only: no e-mail address (the entry's `actor_label`), no client
address (the log has the network from `werktop.logging`), and no free-text detail where a
person could have typed personal data (an erasure's reason)."""

from typing import Any

import structlog
from django.http import HttpRequest

from werktop.logging import actor_of, get_logger

from .models import AuditEntry

logger = get_logger("werktop.audit")

RESULTS = {"login_failed": "failure", "denied": "denied"}
# Details typed by a person, or holding a path: never in the log.
DETAIL_NOT_LOGGED = frozenset({"erase", "denied"})


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
        "object": {"type": object_type, "id": str(object_id) if object_id != "" else None},
        "result": RESULTS.get(action, "ok"),
    }
    if actor is not None and getattr(actor, "is_authenticated", False):
        fields["actor"] = actor_of(actor, request)
    elif action == "login_failed":
        fields["actor"] = None  # who tried is not known, and the address typed is not kept
    else:  # the request's user if there is one (bound by werktop.logging), else nobody
        fields["actor"] = structlog.contextvars.get_contextvars().get("actor")
    if detail and action not in DETAIL_NOT_LOGGED:
        fields["detail"] = detail[:200]
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
        object_id=str(object_id),
        origin=client_ip(request),
        detail=detail[:200],
    )
    emit(action, object_type, object_id, actor=actor, request=request, detail=detail)
    return entry
