"""Coordinator screens: hand a portfolio over, read the audit log, set the retention period."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from core.workspace import paginate, submit, workspace_view
from tenants.current import current_municipality
from tenants.services import set_candidate_retention

from . import services
from .forms import HandoverForm, RetentionForm


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


@workspace_view
def handover(request: HttpRequest) -> HttpResponse:
    _require(request, "relations.hand_over")
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = HandoverForm(data)
    if request.method == "POST" and "confirm" in request.POST and form.is_valid():
        selected = form.cleaned_data["scope"] == "selected"
        count = submit(form, lambda: services.hand_over_portfolio(
                by=request.user, from_user=form.cleaned_data["from_user"],
                to_user=form.cleaned_data["to_user"],
                employer_ids=[e.pk for e in form.cleaned_data["employers"]] if selected else None,
                candidate_ids=[c.pk for c in form.cleaned_data["candidates"]]
                if selected else None,
                request=request))
        if count is not None:
            messages.success(request, _("%(count)s relations handed over.") % {"count": count})
            return redirect("relations:handover")
    return render(request, "relations/handover.html", {"form": form})


@workspace_view
def audit_log(request: HttpRequest) -> HttpResponse:
    _require(request, "audit.view_log")
    entries = AuditEntry.objects.all()
    object_id = request.GET.get("kandidaat", "").strip()
    if object_id.isdigit():
        entries = entries.filter(object_type="candidate", object_id=object_id)
    return render(request, "relations/audit_log.html", {
        "page": paginate(request, entries, 50), "object_id": object_id})


@workspace_view
def settings_view(request: HttpRequest) -> HttpResponse:
    _require(request, "accounts.manage_retention")
    municipality = current_municipality()
    form = RetentionForm(request.POST or None, initial={
        "candidate_retention_months": municipality.candidate_retention_months})
    if request.method == "POST" and form.is_valid():
        set_candidate_retention(municipality, form.cleaned_data["candidate_retention_months"])
        messages.success(request, _("Settings saved."))
        return redirect("relations:settings")
    return render(request, "relations/settings.html", {"form": form})
