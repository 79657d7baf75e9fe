"""The daily signal run. The fan-out runs in the public schema (beat, 06:00); each run happens
in the schema of its municipality (tenant-schemas-celery carries the schema in the headers)."""

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Municipality

from . import services


@shared_task(name="alerts.raise_signals")
def raise_signals() -> int:
    """Raise today's new signals of the municipality the task was sent from. Idempotent."""
    if connection.schema_name == get_public_schema_name():
        raise RuntimeError("raise_signals must be sent from a municipality schema")
    return services.raise_signals()


@shared_task(name="alerts.raise_signals_everywhere")
def raise_signals_everywhere() -> int:
    """Beat entry point: one `alerts.raise_signals` per municipality, each in its own schema."""
    schemas = list(Municipality.objects.participating().values_list("schema_name", flat=True))
    for schema_name in schemas:
        with schema_context(schema_name):
            raise_signals.apply_async(queue="background")
    return len(schemas)
