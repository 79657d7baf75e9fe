"""Project-level tasks."""

import platform

from celery import shared_task

from .schemas import current_schema


@shared_task(name="werktop.describe_worker")
def describe_worker() -> dict[str, str]:
    """Where and how a task runs: the schema it was sent from and the `platform` module it
    sees (the standard library, never our platform/ folder). Used by the tests."""
    return {
        "schema": current_schema(),
        "platform_module": platform.__file__ or "",
        "system": platform.system(),
    }


@shared_task(name="werktop.relay_outbox")
def relay_outbox() -> int:
    """Send the tasks stored in the outbox while the broker was unavailable (beat every
    minute, and when a worker starts). Runs in the public schema."""
    from . import outbox

    return outbox.relay()
