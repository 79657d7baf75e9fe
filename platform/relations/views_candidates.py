"""Workspace: candidates. Every view of a candidate file is written to the audit log."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record
from core.files import as_download, private_file_response
from core.workspace import paginate, query_without_page, submit, workspace_view

from . import access, exports, privacy, selectors, services
from .filters import CandidateFilter
from .forms import CandidateForm, EraseForm, LadderForm, ShareForm, ZrmForm, workspace_users
from .models import Candidate
from .views_common import relation_context

# What the list shows: narrow rows keep sorting deep pages in memory (see the benchmark).
LIST_COLUMNS = ("first_name", "last_name", "status", "ladder_rung", "hours_per_week", "postcode",
                "owner__first_name", "owner__last_name", "owner__email")


def _candidate_or_404(request: HttpRequest, pk: int) -> Candidate:
    """A candidate outside the user's portfolio does not exist for them (404, not 403); the
    attempt is in the audit trail as refused (`relations.access`)."""
    return access.candidate_or_404(request, pk)


@workspace_view
def candidate_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.visible_candidates(request.user).select_related("owner")
    filterset = CandidateFilter(request.GET or None, queryset=queryset)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if request.GET.get("bestand") in ("csv", "xlsx"):  # audited by the export
        return exports.export_candidates(rows, request.GET["bestand"], request=request)
    return render(request, "relations/candidate_list.html", {
        "filter": filterset, "page": paginate(request, rows.only(*LIST_COLUMNS)),
        "query": query_without_page(request)})


@workspace_view
def candidate_create(request: HttpRequest) -> HttpResponse:
    form = CandidateForm(request.POST or None, request.FILES or None,
                         initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        candidate = submit(form, lambda: services.create_candidate(by=request.user,
                                                                   **form.changes()))
        if candidate:
            messages.success(request, _("Candidate saved."))
            return redirect("relations:candidate_detail", pk=candidate.pk)
    return render(request, "relations/candidate_form.html", {"form": form})


@workspace_view
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate_or_404(request, pk)
    record("view", "candidate", pk, request=request, detail="bewerken")
    form = CandidateForm(request.POST or None, request.FILES or None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        if submit(form, lambda: services.update_candidate(
                pk, by=request.user, expected_version=form.cleaned_data["version"],
                **form.changes()), reload=lambda: Candidate.objects.get(pk=pk)):
            messages.success(request, _("Changes saved."))
            return redirect("relations:candidate_detail", pk=pk)
    return render(request, "relations/candidate_form.html",
                  {"form": form, "candidate": candidate})


@workspace_view
def candidate_detail(request: HttpRequest, pk: int, **forms) -> HttpResponse:
    candidate = access.candidate_or_404(request, pk, select_related=("owner",))
    record("view", "candidate", pk, request=request)
    assessments = selectors.zrm_history(candidate)
    return render(request, "relations/candidate_detail.html", {
        "candidate": candidate,
        "assessments": assessments,
        "progress": selectors.zrm_progress(assessments),
        "ladder": candidate.ladder.select_related("recorded_by"),
        "shared_with": candidate.shared_with.all(),
        "can_share": request.user.has_perm("relations.share_candidate", candidate),
        "can_erase": request.user.has_perm("relations.erase_candidate", candidate),
        "share_form": forms.get("share_form") or ShareForm(
            exclude=[candidate.owner_id or 0, request.user.pk]),
        "ladder_form": forms.get("ladder_form") or LadderForm(
            initial={"on": timezone.localdate(), "rung": candidate.ladder_rung}),
        **relation_context(request, candidate, **forms)})


@workspace_view
def zrm_add(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate_or_404(request, pk)
    form = ZrmForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if submit(form, lambda: services.record_zrm_assessment(
                candidate, assessed_on=form.cleaned_data["assessed_on"], scores=form.scores(),
                by=request.user)):
            messages.success(request, _("ZRM assessment saved."))
            return redirect("relations:candidate_detail", pk=pk)
    return render(request, "relations/zrm_form.html", {"form": form, "candidate": candidate})


@workspace_view
@require_POST
def ladder_add(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate_or_404(request, pk)
    form = LadderForm(request.POST)
    if form.is_valid():
        services.record_ladder_step(candidate, by=request.user, **form.cleaned_data)
        messages.success(request, _("Participation ladder updated."))
        return redirect("relations:candidate_detail", pk=pk)
    return candidate_detail(request, pk, ladder_form=form)


@workspace_view
@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate_or_404(request, pk)
    if not request.user.has_perm("relations.share_candidate", candidate):
        raise PermissionDenied
    if "stop" in request.POST:
        colleague = get_object_or_404(workspace_users(), pk=request.POST.get("stop"))
        services.unshare_candidate(candidate, with_user=colleague, by=request.user,
                                   request=request)
        messages.success(request, _("No longer shared."))
        return redirect("relations:candidate_detail", pk=pk)
    form = ShareForm(request.POST, exclude=[candidate.owner_id or 0])
    if form.is_valid():
        services.share_candidate(candidate, with_user=form.cleaned_data["colleague"],
                                 by=request.user, request=request)
        messages.success(request, _("Candidate shared."))
        return redirect("relations:candidate_detail", pk=pk)
    return candidate_detail(request, pk, share_form=form)


@workspace_view
def cv_download(request: HttpRequest, pk: int) -> FileResponse:
    candidate = _candidate_or_404(request, pk)
    if not candidate.cv:
        raise Http404
    record("view", "candidate", pk, request=request, detail="cv")
    return private_file_response(
        candidate.cv, filename=f"cv-kandidaat-{candidate.pk}{_suffix(candidate.cv.name)}")


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:] if dot > name.rfind("/") else ""


@workspace_view
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    """A copy of everything kept about the candidate (right of access)."""
    candidate = _candidate_or_404(request, pk)
    data = privacy.export_candidate_data(candidate, by=request.user, request=request)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    as_download(response, f"kandidaat-{pk}.json")
    return response


@workspace_view
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate_or_404(request, pk)
    if not request.user.has_perm("relations.erase_candidate", candidate):
        raise PermissionDenied
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        privacy.erase_candidate(pk, by=request.user, reason=form.cleaned_data["reason"],
                                request=request)
        messages.success(request, _("The candidate's file has been deleted."))
        return redirect("relations:candidate_list")
    return render(request, "relations/erase_form.html", {"form": form, "candidate": candidate})
