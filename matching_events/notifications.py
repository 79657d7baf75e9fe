"""Notifications are sent by Celery after the transaction commits, each exactly once.

Services call `notify(kind, pk)`; the task `matching_events.send_notification` renders and sends
it (see `mails.py`). The idempotency key names the message; a retried or repeated task finds the
`OutgoingMessage` already sent and does nothing.
"""

from core.outbox import send_after_commit

# The task, by name (`matching_events.tasks` imports the services, not the other way round).
SEND_NOTIFICATION = "matching_events.send_notification"


def notify(kind: str, pk: int, key: str | None = None) -> None:
    """Send `kind` about object `pk` once, after the current transaction commits.

    `key` defaults to "<kind>:<pk>"; give a key with a version (link key, date) when the same
    kind may rightly go out again later (registered again, meetup moved).
    """
    message_key = key or f"{kind}:{pk}"
    # Sent from the current schema; kept in the outbox while the broker is unavailable.
    send_after_commit(SEND_NOTIFICATION, kind, pk, message_key, robust=True)
