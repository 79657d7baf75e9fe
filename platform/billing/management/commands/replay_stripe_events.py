"""Process every stored Stripe event that has not been processed yet (oldest first)."""

from typing import Any

from django.core.management.base import BaseCommand

from billing.services.events import process_event, unprocessed_events
from billing.stripe_api import StripeUnavailable


class Command(BaseCommand):
    help = "Process the Stripe events that were stored but not (yet) processed."

    def handle(self, *args: Any, **options: Any) -> None:
        done = failed = 0
        for pk in unprocessed_events():
            try:
                result = process_event(pk)
            except StripeUnavailable as error:
                failed += 1
                self.stderr.write(f"event {pk}: Stripe unavailable ({error}); left for later")
            else:
                done += 1
                self.stdout.write(f"event {pk}: {result}")
        self.stdout.write(f"Processed {done} events; {failed} left unprocessed.")
