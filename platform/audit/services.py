"""Writing the audit trail. The only way entries are made; there is no way to change one."""

from django.http import HttpRequest

from .models import AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(action: str, object_type: str, object_id: object = "", *, actor=None,
           request: HttpRequest | None = None, detail: str = "") -> AuditEntry:
    """Append one entry. `detail` must not hold personal data of the person concerned."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=getattr(actor, "email", "") or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        origin=client_ip(request),
        detail=detail[:200],
    )
