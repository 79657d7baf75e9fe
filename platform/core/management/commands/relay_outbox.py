"""Send the tasks waiting in the outbox (stored while the broker was unavailable)."""

from typing import Any

from django.core.management.base import BaseCommand

from core import outbox


class Command(BaseCommand):
    help = "Send the Celery tasks stored in the outbox while Redis was unavailable."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = outbox.relay()
        self.stdout.write(f"Sent {sent} tasks; {outbox.pending()} still waiting.")
