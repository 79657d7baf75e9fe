"""Security events in the audit trail of the municipality where they happen: logins, failed
logins, logouts, refused pages and role changes. Never the attempted address of a failed login
or any other personal data of the person concerned; the client address is the origin.

Connected in `AuditConfig.ready()`. Each event is also a structured log line
(`services.emit`); on the national site (public schema) there is no audit table: there, the
events only go to the log."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed
from django.http import HttpRequest, HttpResponse

from core.schemas import in_municipality_schema

from . import services


def _record(action: str, *, request: HttpRequest | None, actor=None, object_id: Any = "",
            detail: str = "") -> None:
    """Into the municipality's audit trail and the structured log; on the national site (no
    audit table) into the log only."""
    if in_municipality_schema():
        services.record(action, "account", object_id, actor=actor, request=request,
                        detail=detail)
    else:
        services.emit(action, "account", object_id, actor=actor, request=request,
                      detail=detail)


def logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    _record("login", request=request, actor=user, object_id=user.pk)


def logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        # "time-out" when accounts.sessions ended the session.
        reason = getattr(request, "werktop_logout_reason", "")
        _record("logout", request=request, actor=user, object_id=user.pk, detail=reason)


def login_failed(sender: Any, credentials: dict, request: HttpRequest | None = None,
                 **kwargs: Any) -> None:
    _record("login_failed", request=request)


def roles_changed(sender: Any, instance: Any, action: str, pk_set: set | None,
                  reverse: bool = False, **kwargs: Any) -> None:
    """user.groups.add(group) (instance: the user) and group.user_set.add(user) (reverse:
    instance is the group, pk_set the users) alike: one entry per user."""
    if action not in ("post_add", "post_remove", "post_clear") or not in_municipality_schema():
        return
    from django.contrib.auth.models import Group

    verb = {"post_add": "+", "post_remove": "-", "post_clear": "cleared"}[action]
    if reverse:
        for user_pk in sorted(pk_set or ()):
            _record("role_change", request=None, object_id=user_pk,
                    detail=f"{verb} {instance.name}")
        return
    names = sorted(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    _record("role_change", request=None, object_id=instance.pk,
            detail=f"{verb} {', '.join(names)}".strip())


class PermissionDeniedAuditMiddleware:
    """A refused page (403 from PermissionDenied) is a security event too."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            _record("denied", request=request, detail=request.path[:200])


def connect() -> None:
    from django.contrib.auth import get_user_model

    user_logged_in.connect(logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(login_failed, dispatch_uid="audit-login-failed")
    m2m_changed.connect(roles_changed, sender=get_user_model().groups.through,
                        dispatch_uid="audit-roles")
