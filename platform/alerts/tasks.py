"""The daily signal run. The fan-out runs in the public schema (beat, 06:00); each run happens
in the schema of its municipality (tenant-schemas-celery carries the schema in the headers)."""

from celery import shared_task

from core.schemas import require_municipality_schema
from tenants.fanout import in_every_municipality

from . import services


@shared_task(name="alerts.raise_signals")
def raise_signals() -> int:
    """Raise today's new signals of the municipality the task was sent from. Idempotent."""
    require_municipality_schema("raise_signals")
    return services.raise_signals()


@shared_task(name="alerts.raise_signals_everywhere")
def raise_signals_everywhere() -> int:
    """Beat entry point: one `alerts.raise_signals` per municipality, each in its own schema."""
    return in_every_municipality(lambda: raise_signals.apply_async(queue="background"))
