"""Idempotent notifications: one row per message that should go out exactly once."""

from django.db import models


class OutgoingMessage(models.Model):
    """`key` names the message ("confirmed:registration:12:<link key>"); a retried task finds
    the row already sent and does nothing. No address or content is kept: the key names only
    the kind and the object's number."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key
