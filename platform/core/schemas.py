"""Which kind of schema the connection is in."""

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name


def current_schema() -> str:
    """The schema the connection is in (django-tenants' wrapper sets it; the type stubs know
    only Django's BaseDatabaseWrapper, hence the one ignore)."""
    return connection.schema_name  # type: ignore[attr-defined]


def in_municipality_schema() -> bool:
    """A municipality's schema: not the public schema (national site), not the template.
    By name: demo data, tests and tasks may switch schemas without a tenant object."""
    return current_schema() not in (get_public_schema_name(),
                                          settings.TENANT_BASE_SCHEMA)


def require_municipality_schema(task_name: str) -> None:
    """The guard of every per-municipality task: it runs in the schema it was sent from, and
    that must be a municipality's (never the national site or the template)."""
    if not in_municipality_schema():
        raise RuntimeError(f"{task_name} must be sent from a municipality schema")
