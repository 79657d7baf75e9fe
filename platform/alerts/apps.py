from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Signals (BanenmarktVolgSysteem): what a relationship manager should act on now."""

    name = "alerts"
    verbose_name = "Signalen"
