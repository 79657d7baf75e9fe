"""Background work of meetups. Tasks take primary keys and are idempotent."""

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name


def _require_municipality(task_name: str) -> None:
    if connection.schema_name == get_public_schema_name():
        raise RuntimeError(f"{task_name} must be sent from a municipality schema")


@shared_task(name="matching_events.send_notification", bind=True, max_retries=5,
             default_retry_delay=60, acks_late=True)
def send_notification(self, kind: str, pk: int, key: str) -> bool:
    """Render and send one notification; True when sent now, False when it was sent before
    (or its object is gone)."""
    _require_municipality("send_notification")
    from . import mails

    return mails.send_once(kind, pk, key)
