from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Logboek"

    def ready(self) -> None:
        # Imported here, not at the top: they connect receivers to models (app loading).
        from core import logging as structured_logging

        from . import security_events

        # The roles in the session (kept at login by accounts, an app loaded before this one)
        # appear in the "login" event.
        structured_logging.connect()
        security_events.connect()
