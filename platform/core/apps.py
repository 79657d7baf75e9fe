from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The core app. Label "werktop": the outbox table (`werktop_outboxtask`) and the migration
    history were made when this code lived in the project package, and keep their names."""

    name = "core"
    label = "werktop"
    verbose_name = "Werktop"
    default_auto_field = "django.db.models.BigAutoField"
