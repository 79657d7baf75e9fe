"""Notifications are sent by Celery after the transaction commits, each exactly once.

Services call `notify(kind, pk)`; the task `matching_events.send_notification` renders and sends
it (see `mails.py`). The idempotency key names the message; a retried or repeated task finds the
`OutgoingMessage` already sent and does nothing.
"""

from django.db import transaction


def notify(kind: str, pk: int, key: str | None = None) -> None:
    """Send `kind` about object `pk` once, after the current transaction commits.

    `key` defaults to "<kind>:<pk>"; give a key with a version (link key, date) when the same
    kind may rightly go out again later (registered again, meetup moved).
    """
    from .tasks import send_notification

    message_key = key or f"{kind}:{pk}"
    # tenant-schemas-celery stamps the current schema on the task when it is sent.
    transaction.on_commit(
        lambda: send_notification.delay(kind, pk, message_key), robust=True)
