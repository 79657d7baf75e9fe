"""The daily signal run. The fan-out runs in the public schema (beat, 06:00); each run happens
in the schema of its municipality (tenant-schemas-celery carries the schema in the headers)."""

from celery import shared_task

from core.tenancy import municipality_task
from tenants.fanout import fan_out

from . import services


@municipality_task(name="alerts.raise_signals")
def raise_signals() -> int:
    """Raise today's new signals of the municipality the task was sent from. Idempotent."""
    return services.raise_signals()


@shared_task(name="alerts.raise_signals_everywhere")
def raise_signals_everywhere() -> int:
    """Beat entry point: one `alerts.raise_signals` per municipality, each in its own schema
    (on the "background" queue: CELERY_TASK_ROUTES sends "alerts.*" there)."""
    return fan_out(raise_signals)
