"""Which schema the connection is in: the one way to read it (`current_schema`) and the
checks built on it."""

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name


def current_schema() -> str:
    """The schema of this thread's database connection: set per request by the tenant
    middleware, per task by tenant-schemas-celery, by `schema_context` in commands and tests.
    No query. (core.logging and core.sentry read `connection.schema_name` themselves: they are
    imported before the settings exist, and this module needs them at import.) The type stubs
    know only Django's BaseDatabaseWrapper, hence the one ignore."""
    return connection.schema_name  # type: ignore[attr-defined]


def in_municipality_schema() -> bool:
    """A municipality's schema: not the public schema (national site), not the template.
    By name: demo data, tests and tasks may switch schemas without a tenant object."""
    return current_schema() not in (get_public_schema_name(), settings.TENANT_BASE_SCHEMA)


def require_municipality_schema(task_name: str) -> None:
    """The guard of every per-municipality task (`core.tenancy.municipality_task`): it runs in
    the schema it was sent from, and that must be a municipality's (never the national site or
    the template)."""
    if not in_municipality_schema():
        raise RuntimeError(f"{task_name} must be sent from a municipality schema")
