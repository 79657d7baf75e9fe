"""Periodic target recounts. The fan-out runs in the public schema; each recount runs in the
schema of its municipality (tenant-schemas-celery carries the schema in the task headers)."""

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Municipality

from . import services


@shared_task(name="targets.recount_target_progress")
def recount_target_progress() -> int:
    """Recount today's target progress of the municipality the task was sent from."""
    if connection.schema_name == get_public_schema_name():
        raise RuntimeError("recount_target_progress must be sent from a municipality schema")
    return services.recount_target_progress().pk


@shared_task(name="targets.recount_all_target_progress")
def recount_all_target_progress() -> int:
    """Beat entry point: send one recount per municipality, each inside its own schema."""
    schemas = list(Municipality.objects.participating().values_list("schema_name", flat=True))
    for schema_name in schemas:
        with schema_context(schema_name):
            recount_target_progress.delay()
    return len(schemas)
