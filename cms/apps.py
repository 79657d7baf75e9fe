from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Portaal"

    def ready(self) -> None:
        from .caching import connect_signals

        connect_signals()  # purge a municipality's cached pages when its portal changes
