"""Background work of the Friday report. Tasks take primary keys and are idempotent.

The fan-out runs in the public schema (beat: Fridays 07:00 Europe/Amsterdam); the report of
each municipality is created and generated inside its own schema (tenant-schemas-celery
carries the schema in the task headers)."""

from celery import shared_task

from core.schemas import require_municipality_schema
from tenants.fanout import in_every_municipality

from . import services


@shared_task(name="reports.generate_report")
def generate_report(report_id: int) -> int:
    """Generate the report (a done one is left as it is); returns its primary key."""
    require_municipality_schema("generate_report")
    return services.generate_report(report_id).pk


@shared_task(name="reports.email_report")
def email_report(report_id: int) -> bool:
    """Send a finished Friday report to the coordinators, once."""
    require_municipality_schema("email_report")
    return services.email_report(report_id)


@shared_task(name="reports.send_friday_reports_everywhere")
def send_friday_reports_everywhere() -> int:
    """Beat entry point: per participating municipality, inside its schema, this week's
    Friday report (created once; `request_report` sends its generate task after commit).
    Returns the number of municipalities."""
    return in_every_municipality(lambda: services.request_report(by=None))
