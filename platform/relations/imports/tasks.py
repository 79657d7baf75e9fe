"""Celery tasks of the import wizard. They take the job's primary key, run in the schema of the
municipality they were sent from (tenant-schemas-celery) and are idempotent: the job row is
locked and its status decides whether there is anything left to do."""

import logging

from django.db import transaction

from core.tenancy import municipality_task

from . import services
from .models import ImportJob

logger = logging.getLogger(__name__)
Status = ImportJob.Status


def _claim(job_id: int, allowed: tuple[str, ...], busy: str) -> ImportJob | None:
    """Lock the job; when its status is one of `allowed`, mark it `busy` and commit."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in allowed:
            return None
        if job.status != busy:
            job.status = busy
            job.save(update_fields=["status", "updated_at"])
        return job


@municipality_task(name="relations.validate_import")
def validate_import(job_id: int) -> str:
    """Check every row of an uploaded file; the job becomes 'ready' or 'invalid'."""
    # 'validating' again: a redelivered task (worker lost) picks the job up where it was.
    job = _claim(job_id, (Status.UPLOADED, Status.VALIDATING), Status.VALIDATING)
    if job is None:
        return "skipped"
    return services.validate_job(job).status


@municipality_task(name="relations.run_import")
def run_import(job_id: int) -> str:
    """Import a checked file, all rows or none. A job that is done is never imported again."""
    if _claim(job_id, (Status.READY, Status.IMPORTING), Status.IMPORTING) is None:
        return "skipped"
    with transaction.atomic():
        # Held until the import commits: a second delivery waits here, then sees 'done'.
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("created_by").get(
            pk=job_id)
        if job.status != Status.IMPORTING:
            return "skipped"
        services.import_job(job)
    if job.status == Status.DONE:
        services.discard_file(job)
    return job.status
