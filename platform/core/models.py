"""Project-level models (public schema: `werktop` is in SHARED_APPS only)."""

from django.db import models


class OutboxTask(models.Model):
    """A Celery task that could not be handed to the broker (Redis down) after its
    transaction committed; `core.outbox.relay` sends it later, oldest first, and deletes
    the row. Holds names, primary keys and short codes only, never personal data (see
    `core.outbox.send_after_commit`)."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    # apply_async options such as queue and countdown (JSON values only).
    options = models.JSONField(default=dict)
    # The schema the task was sent from; the worker runs it there (tenant-schemas-celery).
    schema_name = models.CharField(max_length=63)
    # Set for tasks where one waiting copy is enough (a debounced publish): a second copy
    # with the same task, schema and arguments is not stored.
    dedupe_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    # Failed relay attempts (the broker was still unavailable).
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.task} ({self.schema_name})"
