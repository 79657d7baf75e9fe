"""The municipality the database connection is in: the one way to get its row or its name.
The schema name itself comes from `core.schemas.current_schema()`."""

from django.db import connection

from core.schemas import current_schema

from .models import Municipality


def current_municipality() -> Municipality:
    """The `Municipality` row of the current schema, freshly read (its period, targets or
    settings may have changed since the tenant was set, and `schema_context` sets no row at
    all). Raises `Municipality.DoesNotExist` when the schema has none."""
    return Municipality.objects.get(schema_name=current_schema())


def current_municipality_name() -> str:
    """The name of the tenant the connection was set to (the request's municipality, a
    worker's, `tenant_context`), or the schema name when it has none (`schema_context`).
    No query."""
    return str(getattr(getattr(connection, "tenant", None), "name", "") or current_schema())


def official_name() -> str | None:
    """The official name of the current municipality, or None (the template, the national
    site): the name source `core.site` uses when the portal shows no display name."""
    return Municipality.objects.filter(schema_name=current_schema()).values_list(
        "name", flat=True).first()
