from django.apps import AppConfig


class MatchingEventsConfig(AppConfig):
    """Meetups (prettig gesprek), opportunities, matching and placements: see issue 4."""

    name = "matching_events"
    verbose_name = "Ontmoetingen en plaatsingen"

    def ready(self) -> None:
        # Imported here, not at the top: it uses models (Django app loading).
        from . import privacy

        privacy.connect()
