"""Import wizard views: upload, map columns, preview, import with progress.

1. `import_start`: choose employers or candidates and upload a CSV/XLSX file.
2. `import_mapping`: a select per platform field, the guessed column chosen.
3. `import_detail`: the check runs in Celery (progress bar, polled by htmx through
   `import_progress`, or a "Refresh" link without JavaScript); then the first rows and every
   row error; `import_confirm` starts the import; the same page shows the result.

A job is visible to the person who uploaded it and to coordinators; to others it does not
exist (404).
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core import outbox

from .. import access, selectors
from . import services, tasks
from .files import ImportFileError
from .forms import MappingForm, UploadForm
from .models import ImportJob

logger = logging.getLogger(__name__)
Status = ImportJob.Status
MAPPABLE = (Status.UPLOADED, Status.READY, Status.INVALID, Status.FAILED)
RECENT = 20


def _job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    """Someone else's job does not exist for the user (404); the attempt is audited."""
    return access.visible_or_404(request, selectors.visible_import_jobs(request.user), pk,
                                 object_type="import")


def _send(request: HttpRequest, task, job: ImportJob, *, ready: str, busy: str) -> None:
    """Mark the job busy and hand it to Celery (once, however often the button is pressed).
    While the broker is unavailable the task waits in the outbox (core.outbox) and the job
    starts when Redis is back. Another failure: say so instead of failing the page."""
    if not services.hand_over(job, from_statuses=(ready,), to=busy):
        return
    try:
        outbox.send(task, job.pk)  # hand_over has committed: send now
    except Exception:
        logger.exception("could not send %s for import job %s", task.name, job.pk)
        services.take_back(job, ready)
        messages.error(request, _("The work could not be started. Try again in a moment."))


def _recent_jobs(request: HttpRequest):
    return selectors.visible_import_jobs(request.user)[:RECENT]


@login_required
@permission_required("relations.import", raise_exception=True)
def import_start(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
    if posted and form.is_valid():
        uploaded = form.cleaned_data["file"]
        job = services.create_job(
            user=request.user, kind=form.cleaned_data["kind"], filename=uploaded.name or "",
            data=form.data_bytes, table=form.table,
            language=getattr(request, "LANGUAGE_CODE", "nl"))
        return redirect("relations:import_mapping", pk=job.pk)
    return render(request, "relations/import_start.html", {
        "form": form, "jobs": _recent_jobs(request),
        "show_uploader": request.user.has_perm("accounts.view_all_candidates")})


@login_required
@permission_required("relations.import", raise_exception=True)
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if job.status not in MAPPABLE and not job.stuck:
        messages.info(request, _("The columns of this import can no longer be changed."))
        return redirect("relations:import_detail", pk=job.pk)
    try:
        headers = services.load_start(job).headers
    except ImportFileError as error:
        messages.error(request, error.message)
        return redirect("relations:import_start")
    posted = request.method == "POST"
    form = MappingForm(request.POST if posted else None, job=job, headers=headers)
    if posted and form.is_valid():
        services.set_mapping(job, form.mapping())
        _send(request, tasks.validate_import, job, ready=Status.UPLOADED,
              busy=Status.VALIDATING)
        return redirect("relations:import_detail", pk=job.pk)
    return render(request, "relations/import_mapping.html", {"job": job, "form": form})


def _progress_context(job: ImportJob) -> dict:
    done, total = services.progress(job)
    return {"job": job, "done": done, "total": total,
            "percent": round(100 * done / total) if total else 0}


@login_required
@permission_required("relations.import", raise_exception=True)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    context = _progress_context(job)
    if job.status in (Status.READY, Status.INVALID):
        context["columns"], context["rows"] = services.preview(job)
    context["row_errors"] = [e for e in job.errors if e.get("row") is not None]
    context["file_errors"] = [e for e in job.errors if e.get("row") is None]
    context["error_row_numbers"] = {e["row"] for e in context["row_errors"]}
    context["error_rows"] = len(context["error_row_numbers"])
    return render(request, "relations/import_detail.html", context)


@login_required
@permission_required("relations.import", raise_exception=True)
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls; when the task is finished, the whole page reloads."""
    job = _job_or_404(request, pk)
    detail = reverse("relations:import_detail", kwargs={"pk": job.pk})
    if not request.htmx:
        return redirect(detail)
    if not job.busy or job.stuck:
        return HttpResponseClientRedirect(detail)
    return render(request, "relations/import_progress.html", _progress_context(job))


@login_required
@permission_required("relations.import", raise_exception=True)
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if job.status == Status.READY:
        _send(request, tasks.run_import, job, ready=Status.READY, busy=Status.IMPORTING)
    elif job.status == Status.DONE:
        messages.info(request, _("This file has already been imported."))
    elif not job.busy:
        messages.error(request, _("Only a file without errors can be imported."))
    return redirect("relations:import_detail", pk=job.pk)
