"""Periodic target recounts. The fan-out runs in the public schema; each recount runs in the
schema of its municipality (tenant-schemas-celery carries the schema in the task headers)."""

from celery import shared_task

from core.tenancy import municipality_task
from tenants.fanout import fan_out

from . import services


@municipality_task(name="targets.recount_target_progress")
def recount_target_progress() -> int:
    """Recount today's target progress of the municipality the task was sent from."""
    return services.recount_target_progress().pk


@shared_task(name="targets.recount_all_target_progress")
def recount_all_target_progress() -> int:
    """Beat entry point: send one recount per municipality, each inside its own schema."""
    return fan_out(recount_target_progress)
