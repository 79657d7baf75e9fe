from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Logboek"

    def ready(self) -> None:
        from . import security_events

        security_events.connect()
