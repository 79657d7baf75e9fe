from django.apps import AppConfig


class MinistryConfig(AppConfig):
    """Aggregated results per municipality for the ministry (public schema, no personal data)."""

    name = "ministry"
    verbose_name = "Ministerie"

    def ready(self) -> None:
        # Imported here, not at the top: it uses models (Django app loading).
        from . import signals

        signals.connect()
