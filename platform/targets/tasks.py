"""Periodic target recounts. The fan-out runs in the public schema; each recount runs in the
schema of its municipality (tenant-schemas-celery carries the schema in the task headers)."""

from celery import shared_task

from core.schemas import require_municipality_schema
from tenants.fanout import in_every_municipality

from . import services


@shared_task(name="targets.recount_target_progress")
def recount_target_progress() -> int:
    """Recount today's target progress of the municipality the task was sent from."""
    require_municipality_schema("recount_target_progress")
    return services.recount_target_progress().pk


@shared_task(name="targets.recount_all_target_progress")
def recount_all_target_progress() -> int:
    """Beat entry point: send one recount per municipality, each inside its own schema."""
    return in_every_municipality(recount_target_progress.delay)
