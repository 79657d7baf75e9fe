from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Portaal"

    def ready(self) -> None:
        # Imported here, not at the top: models and signal receivers need the app registry
        # (Django app loading).
        from core.site import register_name_source

        from . import provisioning
        from .caching import connect_signals
        from .models import display_name

        connect_signals()  # purge a municipality's cached pages when its portal changes
        register_name_source(display_name)  # mails name the municipality as its portal does
        provisioning.connect()  # a new municipality gets its portal
