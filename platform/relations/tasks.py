"""Background work of relationship management. Tasks take primary keys and are idempotent."""

from celery import shared_task

from core.tenancy import municipality_task
from tenants.fanout import fan_out

from . import privacy
from .imports import tasks as _import_tasks  # noqa: F401  (registers the import tasks)


@municipality_task(name="relations.delete_expired_candidate_files")
def delete_expired_candidate_files() -> int:
    """Erase the closed candidate files of this municipality that passed retention."""
    return privacy.delete_expired_candidate_files()


@municipality_task(name="relations.delete_abandoned_import_files")
def delete_abandoned_import_files() -> int:
    """Delete the uploaded spreadsheets of imports left unfinished for a week."""
    return privacy.delete_abandoned_import_files()


@shared_task(name="relations.delete_expired_candidate_files_everywhere")
def delete_expired_candidate_files_everywhere() -> int:
    """Beat entry point (nightly): per municipality, in its own schema, the retention run and
    the clean-up of abandoned import uploads."""
    count = fan_out(delete_expired_candidate_files)
    fan_out(delete_abandoned_import_files)
    return count
