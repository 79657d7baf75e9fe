"""The import wizard's services: upload, column mapping, checking and importing.

- `read_upload` checks an uploaded CSV/XLSX and reads its header (or says in plain language
  why it cannot). It runs in the web request, so it reads only a bounded start of the file
  (`files.sniff_table`); every row is read by the task.
- `create_job` stores the file (private storage) with a guessed column mapping.
- `validate_job` checks every row (run by the `relations.validate_import` task).
- `import_job` imports all rows or none, inside the caller's transaction (run by the
  `relations.run_import` task, which holds the job row locked). Existing records are matched
  (employers on KvK number, candidates on client number, else e-mail address), so running the
  same file again updates instead of duplicating.

Progress goes to the cache (`job.progress_key`): the job row is inside the import transaction
and nobody else sees its changes before the commit.
"""

import logging
from pathlib import PurePath
from typing import Any
from uuid import uuid4

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record

from .candidates import CandidateImport
from .employers import EmployerImport
from .fields import columns_for, guess_mapping, labels_for
from .files import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    ImportFileError,
    Table,
    column_name,
    extension_of,
    read_table,
    sniff_table,
    too_large_message,
)
from .models import ImportJob
from .rows import Importer

logger = logging.getLogger(__name__)

IMPORTERS: dict[str, type[Importer]] = {
    ImportJob.Kind.EMPLOYERS: EmployerImport,
    ImportJob.Kind.CANDIDATES: CandidateImport,
}
PROGRESS_SECONDS = 3600
PREVIEW_ROWS = 20

__all__ = ["ImportFileError", "create_job", "import_job", "progress", "read_upload",
           "validate_job"]


# --- upload and mapping --------------------------------------------------------------------

def read_upload(uploaded: UploadedFile) -> tuple[bytes, Table]:
    """The bytes of an uploaded file and its header with the first row; ImportFileError when
    it is unusable. Bounded work: the rows are counted and checked by the task."""
    if uploaded.size and uploaded.size > MAX_UPLOAD_BYTES:
        raise ImportFileError(too_large_message())
    data = uploaded.read(MAX_UPLOAD_BYTES + 1)
    return data, sniff_table(uploaded.name or "", data)


def estimate_rows(filename: str, data: bytes, table: Table) -> int:
    """A quick count for the progress bar until the task has counted (a CSV's lines after
    the header, without parsing them; 0 for a workbook)."""
    if extension_of(filename) != ".csv":
        return 0
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return max(0, min(lines - table.header_row, MAX_ROWS))


def create_job(*, user, kind: str, filename: str, data: bytes, table: Table,
               language: str = "nl") -> ImportJob:
    """Store the upload as a new job with a guessed column mapping. The stored file gets a
    random name: the original name may contain personal data and stays in the database."""
    job = ImportJob(kind=kind, original_filename=PurePath(filename).name[:255],
                    mapping=guess_mapping(kind, table.headers),
                    total_rows=estimate_rows(filename, data, table),  # the task counts
                    created_by=user, language=(language or "nl")[:10])
    job.file.save(f"{uuid4().hex}{extension_of(filename)}", ContentFile(data), save=False)
    job.save()
    return job


def _stored_bytes(job: ImportJob) -> bytes:
    if not job.file:
        raise ImportFileError(_("The uploaded file is no longer available. Upload it again."))
    try:
        with job.file.open("rb") as handle:
            return handle.read(MAX_UPLOAD_BYTES + 1)
    except OSError:
        raise ImportFileError(
            _("The uploaded file is no longer available. Upload it again.")) from None


def load_table(job: ImportJob, *, max_rows: int | None = None) -> Table:
    """Every row of the stored file (for the tasks: never call this in a web request)."""
    return read_table(job.file.name, _stored_bytes(job), max_rows=max_rows)


def load_start(job: ImportJob, *, max_rows: int = 0) -> Table:
    """The header and the first `max_rows` rows of the stored file: bounded work, for the
    mapping and preview pages."""
    return sniff_table(job.file.name, _stored_bytes(job), max_rows=max_rows)


def column_choices(headers: list[str]) -> list[tuple[str, str]]:
    """Choices for the mapping form: ("0", "A: Bedrijfsnaam"), ..."""
    return [(str(index), f"{column_name(index)}: {header}" if header else column_name(index))
            for index, header in enumerate(headers)]


def set_mapping(job: ImportJob, mapping: dict[str, int]) -> ImportJob:
    """Save a new column mapping; the job has to be checked again."""
    known = {column.name for column in columns_for(job.kind)}
    job.mapping = {name: int(index) for name, index in mapping.items() if name in known}
    job.status = ImportJob.Status.UPLOADED
    job.errors = []
    job.valid_rows = 0
    job.save(update_fields=["mapping", "status", "errors", "valid_rows", "updated_at"])
    return job


def missing_required(kind: str, mapping: dict[str, Any]) -> list[str]:
    return [column.name for column in columns_for(kind)
            if column.required and column.name not in mapping]


def preview(job: ImportJob, limit: int = PREVIEW_ROWS) -> tuple[list[str], list[dict]]:
    """The labels of the mapped columns and the first rows as they are in the file."""
    labels = labels_for(job.kind)
    names = [c.name for c in columns_for(job.kind) if c.name in job.mapping]
    try:
        table = load_start(job, max_rows=limit)
    except ImportFileError:
        return [labels[name] for name in names], []
    rows = []
    for number, cells in table.rows:
        values = []
        for name in names:
            index = int(job.mapping[name])
            value = cells[index] if index < len(cells) else None
            values.append("" if value is None else str(value))
        rows.append({"number": number, "values": values})
    return [labels[name] for name in names], rows


def hand_over(job: ImportJob, *, from_statuses: tuple[str, ...], to: str) -> bool:
    """Before a task is sent: move the job to the busy status `to` (committed, so the page
    shows progress at once). False when the job is not in one of `from_statuses`: then
    nothing is to be sent (a second click on the same button, for instance)."""
    with transaction.atomic():
        current = ImportJob.objects.select_for_update().get(pk=job.pk)
        if current.status not in from_statuses:
            return False
        current.status = to
        current.save(update_fields=["status", "updated_at"])
    job.status = current.status
    set_progress(job, 0)
    return True


def take_back(job: ImportJob, status: str) -> None:
    """The task could not be sent: put the job back as it was."""
    ImportJob.objects.filter(pk=job.pk).update(status=status, updated_at=timezone.now())
    job.status = status


# --- progress ------------------------------------------------------------------------------

def set_progress(job: ImportJob, done: int) -> None:
    cache.set(job.progress_key, done, PROGRESS_SECONDS)


def progress(job: ImportJob) -> tuple[int, int]:
    """(rows processed, rows in the file) of a job a task is working on."""
    total = job.total_rows
    if not job.busy:
        return total, total
    done = cache.get(job.progress_key) or 0
    return min(int(done), total), total


def summary(job: ImportJob) -> str:
    """For the audit trail: numbers only, never personal data."""
    return f"{job.created_count} nieuw, {job.updated_count} bijgewerkt"


# --- checking and importing ----------------------------------------------------------------

def _file_error(message: str) -> list[dict[str, Any]]:
    return [{"row": None, "field": "", "label": "", "message": message}]


def _importer(job: ImportJob, *, lock: bool) -> Importer:
    if job.created_by is None or not job.created_by.is_active:
        raise ImportFileError(_("The person who uploaded this file no longer works in the "
                                "workspace. Upload the file again."))
    return IMPORTERS[job.kind](user=job.created_by, mapping=job.mapping, lock=lock,
                               progress=lambda done: set_progress(job, done))


def _missing_columns_error(job: ImportJob) -> list[dict[str, Any]]:
    labels = labels_for(job.kind)
    return [{"row": None, "field": name, "label": labels[name],
             "message": _("Choose the column for this field.")}
            for name in missing_required(job.kind, job.mapping)]


def validate_job(job: ImportJob) -> ImportJob:
    """Check every row and store the errors. Writes only the job. The task calls this after
    marking the job 'validating'."""
    mapping = dict(job.mapping)
    set_progress(job, 0)
    with translation.override(job.language):
        errors, valid, total = _check(job)
    with transaction.atomic():
        current = ImportJob.objects.select_for_update().get(pk=job.pk)
        if current.status != ImportJob.Status.VALIDATING or current.mapping != mapping:
            return current  # the mapping changed meanwhile: a newer check takes over
        current.errors, current.valid_rows = errors, valid
        current.total_rows = total if total is not None else current.total_rows
        failed = total is None
        current.status = (ImportJob.Status.FAILED if failed else ImportJob.Status.INVALID
                          if errors else ImportJob.Status.READY)
        current.save(update_fields=["errors", "valid_rows", "total_rows", "status",
                                    "updated_at"])
    return current


def _check(job: ImportJob) -> tuple[list[dict[str, Any]], int, int | None]:
    """(errors, rows without errors, rows); rows is None when something unexpected broke."""
    if missing_required(job.kind, job.mapping):
        return _missing_columns_error(job), 0, job.total_rows
    try:
        table = load_table(job)
        # The upload only sniffed the header: now the progress bar learns the row count.
        ImportJob.objects.filter(pk=job.pk).update(total_rows=len(table.rows))
        job.total_rows = len(table.rows)
        importer = _importer(job, lock=False)
        importer.check(table)
    except ImportFileError as error:
        return _file_error(error.message), 0, job.total_rows
    except Exception:
        logger.exception("checking import job %s failed", job.pk)
        return _file_error(_("Something went wrong while checking the file. Nothing was "
                             "imported. Try again later.")), 0, None
    total = len(table.rows)
    return importer.errors, total - len(importer.rows_with_errors), total


@transaction.atomic
def import_job(job: ImportJob) -> ImportJob:
    """Import every row or none. Call with the job row locked and its status 'importing';
    rows are checked again (someone may have changed the data since the preview). Sets the
    job to done, invalid or failed and saves it."""
    set_progress(job, 0)
    with translation.override(job.language):
        _import(job)
    job.finished_at = timezone.now()
    job.save()
    return job


def _import(job: ImportJob) -> None:
    if missing_required(job.kind, job.mapping):
        job.errors, job.status = _missing_columns_error(job), ImportJob.Status.INVALID
        return
    try:
        with transaction.atomic():  # a savepoint: the job can still be saved after an error
            table = load_table(job)
            importer = _importer(job, lock=True)
            importer.check(table)
    except ImportFileError as error:
        job.errors, job.status = _file_error(error.message), ImportJob.Status.FAILED
        return
    except Exception:
        logger.exception("checking import job %s before importing failed", job.pk)
        _failed(job, _("Something went wrong while importing. Nothing was imported. Check "
                       "the file again and import once more."))
        return
    job.total_rows = len(table.rows)
    if importer.errors:
        job.errors, job.status = importer.errors, ImportJob.Status.INVALID
        job.valid_rows = job.total_rows - len(importer.rows_with_errors)
        return
    try:
        with transaction.atomic():  # a savepoint: on any error nothing of the rows stays
            created, updated, _unchanged = importer.write()
            job.created_count, job.updated_count = created, updated
            record("import", "import", job.pk, actor=job.created_by, detail=summary(job))
    except IntegrityError:
        logger.warning("import job %s refused by the database", job.pk)
        _failed(job, _("The data changed while importing. Nothing was imported. Check the "
                       "file again and import once more."))
        return
    except Exception:
        logger.exception("import job %s failed", job.pk)
        _failed(job, _("Something went wrong while importing. Nothing was imported. Check "
                       "the file again and import once more."))
        return
    job.status, job.errors, job.valid_rows = ImportJob.Status.DONE, [], job.total_rows
    set_progress(job, job.total_rows)


def _failed(job: ImportJob, message: str) -> None:
    job.created_count = job.updated_count = 0
    job.status, job.errors = ImportJob.Status.FAILED, _file_error(message)


def discard_file(job: ImportJob) -> None:
    """After the import the spreadsheet (personal data) is not kept."""
    if job.file:
        try:
            job.file.delete(save=False)
        except OSError:
            logger.warning("could not delete the file of import job %s", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(file="")
