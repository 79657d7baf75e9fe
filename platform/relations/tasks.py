"""Background work of relationship management. Tasks take primary keys and are idempotent."""

from celery import shared_task

from core.schemas import require_municipality_schema
from tenants.fanout import in_every_municipality

from . import privacy
from .imports import tasks as _import_tasks  # noqa: F401  (registers the import tasks)


@shared_task(name="relations.delete_expired_candidate_files")
def delete_expired_candidate_files() -> int:
    """Erase the closed candidate files of this municipality that passed retention."""
    require_municipality_schema("delete_expired_candidate_files")
    return privacy.delete_expired_candidate_files()


@shared_task(name="relations.delete_abandoned_import_files")
def delete_abandoned_import_files() -> int:
    """Delete the uploaded spreadsheets of imports left unfinished for a week."""
    require_municipality_schema("delete_abandoned_import_files")
    return privacy.delete_abandoned_import_files()


@shared_task(name="relations.delete_expired_candidate_files_everywhere")
def delete_expired_candidate_files_everywhere() -> int:
    """Beat entry point (nightly): per municipality, in its own schema, the retention run and
    the clean-up of abandoned import uploads."""
    def send() -> None:
        delete_expired_candidate_files.delay()
        delete_abandoned_import_files.delay()

    return in_every_municipality(send)
