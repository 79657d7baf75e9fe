from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Gemeenten"

    def ready(self) -> None:
        # Imported here, not at the top: models need the app registry (Django app loading).
        from core.site import register_name_source

        from .current import official_name

        register_name_source(official_name, official=True)
