"""Background work of the Friday report. Tasks take primary keys and are idempotent.

The fan-out runs in the public schema (beat: Fridays 07:00 Europe/Amsterdam); the report of
each municipality is created and generated inside its own schema (tenant-schemas-celery
carries the schema in the task headers)."""

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Municipality

from . import services


def _require_municipality(task_name: str) -> None:
    if connection.schema_name == get_public_schema_name():
        raise RuntimeError(f"{task_name} must be sent from a municipality schema")


@shared_task(name="reports.generate_report")
def generate_report(report_id: int) -> int:
    """Generate the report (a done one is left as it is); returns its primary key."""
    _require_municipality("generate_report")
    return services.generate_report(report_id).pk


@shared_task(name="reports.email_report")
def email_report(report_id: int) -> bool:
    """Send a finished Friday report to the coordinators, once."""
    _require_municipality("email_report")
    return services.email_report(report_id)


@shared_task(name="reports.send_friday_reports_everywhere")
def send_friday_reports_everywhere() -> int:
    """Beat entry point: per participating municipality, inside its schema, this week's
    Friday report (created once; `request_report` sends its generate task after commit).
    Returns the number of municipalities."""
    schemas = list(Municipality.objects.participating().values_list("schema_name", flat=True))
    for schema_name in schemas:
        with schema_context(schema_name):
            services.request_report(by=None)
    return len(schemas)
