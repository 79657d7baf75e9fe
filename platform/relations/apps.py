from django.apps import AppConfig


class RelationsConfig(AppConfig):
    name = "relations"
    verbose_name = "Relatiebeheer"

    def ready(self) -> None:
        from . import rules as _rules  # noqa: F401  (registers the object permissions)
