from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Logboek"

    def ready(self) -> None:
        from core import logging as structured_logging

        from . import security_events

        # First: the roles it keeps in the session at login appear in the "login" event.
        structured_logging.connect()
        security_events.connect()
