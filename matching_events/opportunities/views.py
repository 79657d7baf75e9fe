"""Workspace: opportunities (what employers offer), their review, and sector pledges."""

from django.contrib import messages
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workspace import paginate, query_without_page, submit, workspace_view
from relations import selectors
from relations.models import Weekday

from ..models import Opportunity
from ..services import opportunities as service
from .forms import OpportunityFilterForm, OpportunityForm, PledgeForm, ReviewForm


def _opportunities():
    return Opportunity.objects.select_related("employer", "employer__owner")


@workspace_view
def opportunity_list(request: HttpRequest) -> HttpResponse:
    """All opportunities; those of the user's own employers that wait for review first."""
    filter_form = OpportunityFilterForm(request.GET or None)
    mine_waiting = Q(status=Opportunity.Status.AWAITING_REVIEW, employer__owner=request.user)
    rows = filter_form.apply(_opportunities()).annotate(
        first=Case(When(mine_waiting, then=Value(0)), default=Value(1),
                   output_field=IntegerField())).order_by("first", "-created_at", "-pk")
    waiting = Opportunity.objects.filter(mine_waiting).count()
    return render(request, "matching_events/opportunities/opportunity_list.html", {
        "filter_form": filter_form, "page": paginate(request, rows), "waiting": waiting,
        "query": query_without_page(request)})


@workspace_view
def opportunity_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if str(request.GET.get("werkgever", "")).isdigit():
        initial["employer"] = int(request.GET["werkgever"])
    form = OpportunityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        opportunity = submit(form, lambda: service.create_opportunity(
            form.cleaned_data["employer"].pk, by=request.user,
            status=form.cleaned_data["status"], **form.changes()))
        if opportunity:
            messages.success(request, _("Opportunity saved."))
            return redirect("matching_events:opportunity_detail", pk=opportunity.pk)
    return render(request, "matching_events/opportunities/opportunity_form.html", {"form": form})


@workspace_view
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(_opportunities(), pk=pk)
    form = OpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        if submit(form, lambda: service.update_opportunity(
                pk, by=request.user, status=form.cleaned_data["status"] or None,
                **form.changes())):
            messages.success(request, _("Changes saved."))
            return redirect("matching_events:opportunity_detail", pk=pk)
    return render(request, "matching_events/opportunities/opportunity_form.html",
                  {"form": form, "opportunity": opportunity})


@workspace_view
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(_opportunities().select_related("posted_by",
                                                                    "reviewed_by"), pk=pk)
    placements = (opportunity.placements
                  .filter(candidate__in=selectors.visible_candidates(request.user))
                  .select_related("candidate"))
    return render(request, "matching_events/opportunities/opportunity_detail.html", {
        "opportunity": opportunity, "placements": placements,
        "days": [str(Weekday(day).label) for day in opportunity.days if day in Weekday.values],
        "review_form": ReviewForm() if _awaits_review(opportunity) else None})


def _awaits_review(opportunity: Opportunity) -> bool:
    return opportunity.status == Opportunity.Status.AWAITING_REVIEW


@workspace_view
def opportunity_review(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(_opportunities(), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        if submit(form, lambda: service.review_opportunity(pk, by=request.user,
                                                           approve=approve)):
            messages.success(request, _("Opportunity approved: it is open now.") if approve
                             else _("Opportunity rejected and closed."))
            return redirect("matching_events:opportunity_detail", pk=pk)
    return render(request, "matching_events/opportunities/opportunity_review.html", {
        "form": form, "opportunity": opportunity, "awaits_review": _awaits_review(opportunity)})


@workspace_view
def employer_pledges(request: HttpRequest, pk: int) -> HttpResponse:
    """The sector pledges of one employer, each with "filled N of M", and a form for a new one."""
    employer = get_object_or_404(selectors.visible_employers(request.user), pk=pk)
    form = PledgeForm(request.POST or None,
                      initial={"made_on": timezone.localdate(), "sector": employer.sector})
    if request.method == "POST" and form.is_valid():
        if submit(form, lambda: service.record_pledge(employer.pk, by=request.user,
                                                      **form.cleaned_data)):
            messages.success(request, _("Pledge saved."))
            return redirect("matching_events:employer_pledges", pk=pk)
    return render(request, "matching_events/opportunities/pledges.html", {
        "employer": employer, "pledges": service.pledges_with_progress(employer), "form": form})
