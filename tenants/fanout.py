"""Periodic work fans out from the public schema: once per participating municipality, inside
that municipality's schema (a task sent there carries it along: tenant-schemas-celery)."""

from collections.abc import Callable
from typing import Any

from django_tenants.utils import schema_context

from .models import Municipality


def in_every_municipality(action: Callable[[], Any]) -> int:
    """Run `action()` (usually sending a task) inside each participating municipality's
    schema. Returns the number of municipalities."""
    schemas = list(Municipality.objects.participating().values_list("schema_name", flat=True))
    for schema_name in schemas:
        with schema_context(schema_name):
            action()
    return len(schemas)
