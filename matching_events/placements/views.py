"""Workspace: placements (a candidate starts at an employer) and match leads (a mutual yes
after a meetup, introduced or closed by the relationship manager)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record, record_many
from core.workspace import paginate, query_without_page, submit, workspace_view
from relations import selectors
from relations.access import visible_or_404

from ..models import MatchLead, Placement
from ..services import outcomes, placements
from .forms import LeadForm, PlacementForm


def visible_placements(user) -> QuerySet[Placement]:
    """Placements of the candidates the user may see (a colleague's unshared one: 404)."""
    return Placement.objects.filter(
        candidate__in=selectors.visible_candidates(user)).select_related(
        "candidate", "employer", "opportunity", "meetup", "pledge")


@workspace_view
def placement_list(request: HttpRequest) -> HttpResponse:
    rows = visible_placements(request.user)
    kind = request.GET.get("soort", "")
    if kind in Placement.Kind.values:
        rows = rows.filter(kind=kind)
    page = paginate(request, rows)
    shown = list(page.object_list)
    record("view", "placement", "", request=request,
           detail="plaatsingen " + ",".join(str(p.pk) for p in shown))
    if shown:
        record_many("view", "candidate", sorted({p.candidate_id for p in shown}),
                    request=request, detail="plaatsingen")
    return render(request, "matching_events/placements/placement_list.html", {
        "page": page, "kinds": Placement.Kind.choices, "kind": kind,
        "query": query_without_page(request)})


def _initial(request: HttpRequest) -> dict[str, int]:
    """?kandidaat=&werkgever= preselect (ignored when not a number; the form's querysets
    decide what may be chosen)."""
    initial = {}
    for param, field in (("kandidaat", "candidate"), ("werkgever", "employer")):
        value = request.GET.get(param, "")
        if value.isdigit():
            initial[field] = int(value)
    return initial


@workspace_view
def placement_create(request: HttpRequest) -> HttpResponse:
    form = PlacementForm(request.POST or None, initial=_initial(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        placement = submit(form, lambda: placements.record_placement(
            candidate_id=form.cleaned_data["candidate"].pk,
            employer_id=form.cleaned_data["employer"].pk, by=request.user, **form.changes()))
        if placement:
            record("change", "placement", placement.pk, request=request,
                   detail=f"vastgelegd: kandidaat {placement.candidate_id}")
            messages.success(request, _("Placement saved. A follow-up after six months is "
                                        "planned."))
            return redirect("matching_events:placement_detail", pk=placement.pk)
    return render(request, "matching_events/placements/placement_form.html", {"form": form})


@workspace_view
def placement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    placement = visible_or_404(request, visible_placements(request.user), pk,
                               object_type="placement")
    form = PlacementForm(request.POST or None, instance=placement, user=request.user)
    if request.method == "POST" and form.is_valid():
        if submit(form, lambda: placements.update_placement(pk, by=request.user,
                                                            **form.changes())):
            record("change", "placement", pk, request=request,
                   detail=f"gewijzigd: kandidaat {placement.candidate_id}")
            messages.success(request, _("Changes saved."))
            return redirect("matching_events:placement_detail", pk=pk)
    return render(request, "matching_events/placements/placement_form.html",
                  {"form": form, "placement": placement})


@workspace_view
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = visible_or_404(
        request, visible_placements(request.user).select_related("follow_up", "recorded_by"),
        pk, object_type="placement")
    record("view", "placement", pk, request=request,
           detail=f"kandidaat {placement.candidate_id}")
    return render(request, "matching_events/placements/placement_detail.html",
                  {"placement": placement})


# --- match leads ----------------------------------------------------------------------------

def visible_leads(user) -> QuerySet[MatchLead]:
    """A relationship manager's own leads; whoever sees every candidate (a coordinator) sees
    all of them."""
    leads = MatchLead.objects.select_related(
        "employer", "candidate", "owner", "conversation__meetup", "approved_by")
    return leads if user.has_perm("accounts.view_all_candidates") else leads.filter(owner=user)


@workspace_view
def lead_list(request: HttpRequest) -> HttpResponse:
    rows = visible_leads(request.user)
    status = request.GET.get("status", "")
    if status in MatchLead.Status.values:
        rows = rows.filter(status=status)
    return render(request, "matching_events/placements/lead_list.html", {
        "page": paginate(request, rows), "statuses": MatchLead.Status.choices,
        "status": status, "query": query_without_page(request)})


@workspace_view
def lead_detail(request: HttpRequest, pk: int, form: LeadForm | None = None) -> HttpResponse:
    lead = visible_or_404(request, visible_leads(request.user), pk, object_type="match_lead")
    record("view", "match_lead", pk, request=request, detail=f"kandidaat {lead.candidate_id}")
    return render(request, "matching_events/placements/lead_detail.html", {
        "lead": lead, "form": form,
        "candidate_visible": selectors.visible_candidates(request.user).filter(
            pk=lead.candidate_id).exists(),
        # What each side gets to know of the other: nothing before the introduction.
        "employer_learns": outcomes.contact_details_for_employer(lead),
        "candidate_learns": outcomes.contact_details_for_candidate(lead)})


@workspace_view
@require_POST
def lead_decide(request: HttpRequest, pk: int) -> HttpResponse:
    lead = visible_or_404(request, visible_leads(request.user), pk, object_type="match_lead")
    form = LeadForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["action"] == "approve"
        action = outcomes.approve_match_lead if approve else outcomes.close_match_lead
        if lead.status == MatchLead.Status.CLOSED and not approve:
            form.add_error(None, ValidationError(_("This match lead was already closed.")))
        elif submit(form, lambda: action(lead.pk, by=request.user)):
            messages.success(request, _("Both sides are introduced: they receive each "
                                        "other's contact details by e-mail.") if approve
                             else _("Match lead closed."))
            return redirect("matching_events:lead_detail", pk=pk)
    return lead_detail(request, pk, form=form)
