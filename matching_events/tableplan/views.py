"""Workspace: the table plan of a meetup (generate, adjust, print) and matching suggestions.

Suggestions never decide anything: they rank, with the reasons shown. Candidates come only
from `relations.selectors.visible_candidates`, so a colleague's unshared candidate is a 404
here as everywhere.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit.services import record
from core.files import as_download
from core.workspace import workspace_view
from relations.access import candidate_or_404
from relations.models import Candidate
from relations.selectors import visible_candidates

from .. import audit_trail, matching
from ..models import Meetup, Opportunity
from ..services import seating

SUGGESTIONS = 20
MEETUP_SUGGESTIONS = 30
# A suggestion is for people still looking: not for closed, placed or paused files.
NOT_SUGGESTED = (Candidate.Status.CLOSED, Candidate.Status.PLACED, Candidate.Status.PAUSED)


def visible_meetups(user) -> QuerySet[Meetup]:
    """Every workspace user of the municipality works with its meetups (the schema keeps other
    municipalities out)."""
    if not user.is_authenticated or not user.has_perm("accounts.access_workspace"):
        return Meetup.objects.none()
    return Meetup.objects.all()


def _suggestable(user) -> QuerySet[Candidate]:
    return visible_candidates(user).exclude(status__in=NOT_SUGGESTED)


# --- table plan -----------------------------------------------------------------------------

@workspace_view
def tableplan(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as the user may see it (names of other portfolios are placeholders for all
    but the organiser and coordinators); the named candidates are recorded in the audit."""
    meetup = get_object_or_404(visible_meetups(request.user), pk=pk)
    plan = seating.table_plan(meetup, viewer=request.user)
    audit_trail.record_shown(request, meetup, "tafelindeling", plan.shown_ids)
    return render(request, "matching_events/tableplan/plan.html", {
        "meetup": meetup, "plan": plan, "can_plan": plan.may_plan})


def _back_to_plan(pk: int, round_no: int | None = None) -> HttpResponse:
    url = reverse("matching_events:tableplan", args=[pk])
    return redirect(f"{url}#ronde-{round_no}" if round_no else url)


@workspace_view
@require_POST
def tableplan_generate(request: HttpRequest, pk: int) -> HttpResponse:
    meetup = get_object_or_404(visible_meetups(request.user), pk=pk)
    try:
        seats = seating.make_table_plan(meetup.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_plan(pk)
    plan = seating.table_plan(meetup, viewer=request.user)
    if plan.unseated:
        messages.warning(request, _(
            "Not everyone has a conversation: add rounds or employers, or seat them by hand: "
            "%(names)s.") % {"names": ", ".join(c.full_name for c in plan.unseated)})
    else:
        messages.success(request, ngettext("Table plan made: %(count)s conversation.",
                                           "Table plan made: %(count)s conversations.",
                                           len(seats)) % {"count": len(seats)})
    return _back_to_plan(pk)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@workspace_view
@require_POST
def tableplan_seat(request: HttpRequest, pk: int) -> HttpResponse:
    meetup = get_object_or_404(visible_meetups(request.user), pk=pk)
    round_no = _int_or_none(request.POST.get("round_no"))
    employer_id = _int_or_none(request.POST.get("employer_id"))
    candidate_value = request.POST.get("candidate_id", "")
    candidate_id = _int_or_none(candidate_value)
    if round_no is None or employer_id is None or (candidate_value and candidate_id is None):
        messages.error(request, _("Choose a round, a table and a candidate."))
        return _back_to_plan(pk, round_no)
    try:
        seating.set_seat(meetup.pk, round_no=round_no, employer_id=employer_id,
                         candidate_id=candidate_id, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Round %(round)s changed.") % {"round": round_no})
    return _back_to_plan(pk, round_no)


@workspace_view
def tableplan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meetup = get_object_or_404(visible_meetups(request.user), pk=pk)
    pdf, plan = seating.table_plan_pdf(meetup, viewer=request.user)
    # The printed plan names candidates: an export in the audit trail, with their numbers.
    audit_trail.record_shown(request, meetup, "tafelindeling (pdf)", plan.shown_ids,
                       action="export")
    response = HttpResponse(pdf, content_type="application/pdf")
    as_download(response, f"tafelindeling-{meetup.pk}.pdf")
    return response


# --- suggestions ----------------------------------------------------------------------------

def _suggestions(request: HttpRequest, *, title: str, subject, kind: str, rows: list,
                 back_url: str) -> HttpResponse:
    return render(request, "matching_events/tableplan/suggestions.html", {
        "title": title, "subject": subject, "kind": kind, "rows": rows,
        "back_url": back_url})


@workspace_view
def candidate_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    """Open opportunities for one candidate."""
    candidate = candidate_or_404(request, pk)  # a refused number is audited
    record("view", "candidate", pk, request=request, detail="suggesties")
    rows = matching.rank_opportunities_for_candidate(
        candidate, Opportunity.objects.filter(status=Opportunity.Status.OPEN), SUGGESTIONS)
    return _suggestions(
        request, title=_("Opportunities for %(name)s") % {"name": candidate.full_name},
        subject=candidate, kind="opportunities", rows=rows,
        back_url=reverse("relations:candidate_detail", args=[pk]))


@workspace_view
def opportunity_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    """Candidates (of the user's portfolio) for one opportunity."""
    opportunity = get_object_or_404(Opportunity.objects.select_related("employer"), pk=pk)
    rows = matching.rank_candidates_for_opportunity(
        opportunity, _suggestable(request.user), SUGGESTIONS)
    return _suggestions(
        request, title=_("Candidates for %(title)s") % {"title": opportunity.title},
        subject=opportunity, kind="candidates", rows=rows,
        back_url=reverse("relations:employer_detail", args=[opportunity.employer_id]))


@workspace_view
def meetup_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    """Candidates to invite, for the employers invited to or confirmed at the meetup."""
    meetup = get_object_or_404(visible_meetups(request.user), pk=pk)
    rows = matching.suggest_candidates_for_meetup(
        meetup, _suggestable(request.user), MEETUP_SUGGESTIONS)
    return _suggestions(
        request, title=_("Candidates to invite for %(title)s") % {"title": meetup.title},
        subject=meetup, kind="candidates", rows=rows,
        back_url=reverse("matching_events:tableplan", args=[pk]))
