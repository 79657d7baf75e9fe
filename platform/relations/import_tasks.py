"""Celery tasks of the import wizard."""
