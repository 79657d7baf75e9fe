"""The Werktop Django project: settings, URLs of the national and municipality sites, Celery."""

from .celery import app as celery_app

__all__ = ["celery_app"]
