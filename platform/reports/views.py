"""Workspace pages of the Friday report: the list with downloads, "generate now" and the
progress fragment htmx polls. Coordinators and relationship managers (`workspace_view`); the
reports hold counts only, so every workspace user of the municipality may read them. Another
municipality's report is not in this schema: a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HTMX_STOP_POLLING

from core.files import private_file_response
from core.workspace import paginate, workspace_view

from . import services
from .models import Report

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@workspace_view
@require_GET
@never_cache
def report_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, Report.objects.select_related("requested_by"))
    return render(request, "reports/report_list.html", {
        "page": page, "any_busy": any(report.busy for report in page.object_list)})


@workspace_view
@require_POST
def report_request(request: HttpRequest) -> HttpResponse:
    try:
        services.request_report(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is being made. This page shows when it is "
                                    "ready."))
    return redirect("reports:report_list")


@workspace_view
@require_GET
@never_cache
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status of one report (htmx polls it every 2 seconds while the report is busy;
    a finished report answers "stop polling"). Without htmx: back to the list."""
    report = get_object_or_404(Report, pk=pk)
    if not request.htmx:
        return redirect("reports:report_list")
    response = render(request, "reports/_status.html", {"report": report})
    if not report.busy or report.stuck:
        response.status_code = HTMX_STOP_POLLING
    return response


@workspace_view
@require_GET
def report_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    report = get_object_or_404(Report, pk=pk, status=Report.Status.DONE)
    if kind not in CONTENT_TYPES:
        raise Http404
    file = getattr(report, kind)
    if not file:
        raise Http404
    return private_file_response(file, filename=report.filename(kind),
                                 content_type=CONTENT_TYPES[kind])
