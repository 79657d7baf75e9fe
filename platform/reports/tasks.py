"""Background work of the Friday report. Tasks take primary keys and are idempotent.

The fan-out runs in the public schema (beat: Fridays 07:00 Europe/Amsterdam); the report of
each municipality is created and generated inside its own schema (tenant-schemas-celery
carries the schema in the task headers)."""

from celery import shared_task

from core.tenancy import municipality_task
from tenants.fanout import fan_out

from . import services


@municipality_task(name="reports.generate_report")
def generate_report(report_id: int) -> int:
    """Generate the report (a done one is left as it is); returns its primary key."""
    return services.generate_report(report_id).pk


@municipality_task(name="reports.email_report")
def email_report(report_id: int) -> bool:
    """Send a finished Friday report to the coordinators, once."""
    return services.email_report(report_id)


@municipality_task(name="reports.request_friday_report")
def request_friday_report() -> int:
    """This week's Friday report of the municipality the task was sent from (created once;
    `request_report` sends its generate task after commit); returns its primary key."""
    return services.request_report(by=None).pk


@shared_task(name="reports.send_friday_reports_everywhere")
def send_friday_reports_everywhere() -> int:
    """Beat entry point: one `reports.request_friday_report` per participating municipality,
    each in its own schema. Returns the number of municipalities."""
    return fan_out(request_friday_report)
