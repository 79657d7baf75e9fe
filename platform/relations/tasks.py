"""Background work of relationship management. Tasks take primary keys and are idempotent."""

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Municipality

from . import privacy


def _require_municipality(task_name: str) -> None:
    if connection.schema_name == get_public_schema_name():
        raise RuntimeError(f"{task_name} must be sent from a municipality schema")


@shared_task(name="relations.delete_expired_candidate_files")
def delete_expired_candidate_files() -> int:
    """Erase the closed candidate files of this municipality that passed retention."""
    _require_municipality("delete_expired_candidate_files")
    return privacy.delete_expired_candidate_files()


@shared_task(name="relations.delete_abandoned_import_files")
def delete_abandoned_import_files() -> int:
    """Delete the uploaded spreadsheets of imports left unfinished for a week."""
    _require_municipality("delete_abandoned_import_files")
    return privacy.delete_abandoned_import_files()


@shared_task(name="relations.delete_expired_candidate_files_everywhere")
def delete_expired_candidate_files_everywhere() -> int:
    """Beat entry point (nightly): per municipality, in its own schema, the retention run and
    the clean-up of abandoned import uploads."""
    schemas = list(Municipality.objects.participating().values_list("schema_name", flat=True))
    for schema_name in schemas:
        with schema_context(schema_name):
            delete_expired_candidate_files.delay()
            delete_abandoned_import_files.delay()
    return len(schemas)
from . import import_tasks as _import_tasks  # noqa: E402,F401  (registers the import tasks)
