"""Periodic work fans out from the public schema: once per participating municipality, inside
that municipality's schema (a task sent there carries it along: tenant-schemas-celery)."""

from typing import Any

from celery import Task
from django_tenants.utils import schema_context

from core.tenancy import is_municipality_task

from .models import Municipality


def fan_out(task: Task, *args: Any, **kwargs: Any) -> int:
    """Send `task(*args, **kwargs)` once to every participating municipality (never the
    national site or the template), each from inside its own schema, where the worker runs it.
    Only municipality tasks (`core.tenancy.municipality_task`). Returns the number of
    municipalities."""
    if not is_municipality_task(task):
        raise TypeError(f"{task.name} is not a municipality task: it cannot be fanned out")
    schemas = list(Municipality.objects.participating().values_list("schema_name", flat=True))
    for schema_name in schemas:
        with schema_context(schema_name):
            task.apply_async(args, kwargs)
    return len(schemas)
