from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The Friday report of a municipality (PDF and XLSX)."""

    name = "reports"
    verbose_name = "Weekrapportages"
