"""Accounts' part in provisioning (`tenants.signals`): every schema has exactly the role
groups (docs/permissions.md), the national site and every clone alike."""

from typing import Any

from django.contrib.auth.models import Group

from tenants import signals

from .roles import ROLES, ensure_roles


def keep_only_role_groups(**_: Any) -> None:
    Group.objects.exclude(name__in=[spec.group_name for spec in ROLES.values()]).delete()
    ensure_roles()


def make_roles(**_: Any) -> None:
    ensure_roles()


def connect() -> None:
    signals.fresh_schema.connect(keep_only_role_groups, dispatch_uid="accounts.role_groups")
    signals.national_site_ready.connect(make_roles, dispatch_uid="accounts.national_roles")
    signals.code_updated.connect(make_roles, dispatch_uid="accounts.updated_roles")
