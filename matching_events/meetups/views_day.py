"""Workspace: the day of the meetup. Check-in on a phone (one big present/absent choice per
confirmed candidate and per confirmed employer; with htmx only the row is replaced, without
JavaScript the form posts and the page comes back at the same row), and the outcome of every
conversation from both sides, which turns a mutual yes into a match lead.

Names and permissions follow `meetups.views` (see its docstring)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.workspace import submit, workspace_view

from .. import audit_trail, selectors
from ..models import MeetupEmployer, Registration
from ..services import outcomes
from .forms import CheckInForm, OutcomeForm
from .views import meetup_or_404, named, posted, registration_or_404

T = "matching_events/meetups/"


@workspace_view
def check_in_page(request: HttpRequest, pk: int) -> HttpResponse:
    meetup = meetup_or_404(pk)
    registrations = [r for r in selectors.registrations_of(meetup, request.user)
                     if r.status == Registration.Status.CONFIRMED]
    employers = [e for e in selectors.employers_of(meetup)
                 if e.status == MeetupEmployer.Status.CONFIRMED]
    audit_trail.record_shown(request, meetup, "aanmelden", named(registrations))
    return render(request, T + "check_in.html", {
        "meetup": meetup, "registrations": registrations, "employers": employers,
        "present_count": sum(1 for r in registrations if r.attended),
        "employers_present": sum(1 for e in employers if e.attended)})


def _answer(request: HttpRequest, meetup, row, kind: str, save) -> HttpResponse:
    """Run the check-in service; answer htmx with the row, a plain form post with the page.
    A saved answer goes into the audit trail (the registration or participation by number)."""
    form = CheckInForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Choose present or absent.")
    else:
        present = form.cleaned_data["present"]
        try:
            row = save(present)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            audit_trail.record_change(
                request, "registration" if kind == "kandidaat" else "meetup_employer", row.pk,
                f"bijeenkomst {meetup.pk}: {'aanwezig' if present else 'afwezig'}")
    if request.htmx:
        return render(request, T + "_check_in_row.html", {
            "meetup": meetup, "row": row, "kind": kind, "error": error, "saved": not error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Attendance saved."))
    anchor = f"#{kind}-{row.pk}"
    return redirect(reverse("matching_events:meetup_check_in", args=[meetup.pk]) + anchor)


@workspace_view
@require_POST
def check_in_candidate(request: HttpRequest, pk: int, registration: int) -> HttpResponse:
    meetup = meetup_or_404(pk)
    row = registration_or_404(request, meetup, registration)
    row.name_visible = True
    return _answer(request, meetup, row, "kandidaat", lambda present: _with_name(
        outcomes.check_in(row.pk, present=present, by=request.user), row))


def _with_name(saved: Registration, row: Registration) -> Registration:
    row.attended = saved.attended
    return row


@workspace_view
@require_POST
def check_in_employer(request: HttpRequest, pk: int, participation: int) -> HttpResponse:
    meetup = meetup_or_404(pk)
    row = get_object_or_404(meetup.employers.select_related("employer"), pk=participation)

    def save(present: bool) -> MeetupEmployer:
        row.attended = outcomes.check_in_employer(row.pk, present=present,
                                                  by=request.user).attended
        return row

    return _answer(request, meetup, row, "werkgever", save)


@workspace_view
def conversations(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what both sides say after a conversation. Only people checked in as present
    can be chosen; the service has the last word (and makes the match lead)."""
    meetup = meetup_or_404(pk)
    present = selectors.present_registrations(meetup, request.user)
    employers = selectors.present_employers(meetup)
    initial = {}
    if request.method == "GET":
        initial = {"registration": request.GET.get("kandidaat"),
                   "participation": request.GET.get("werkgever")}
    form = OutcomeForm(posted(request), initial=initial, registrations=present,
                       participations=employers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        conversation = submit(form, lambda: outcomes.record_outcome(
            pk, employer_id=data["participation"].employer_id,
            candidate_id=data["registration"].candidate_id,
            employer_says=data["employer_says"], candidate_says=data["candidate_says"],
            by=request.user))
        if conversation:
            audit_trail.record_change(
                request, "conversation", conversation.pk,
                f"bijeenkomst {pk}: kandidaat {conversation.candidate_id}, "
                f"werkgever {conversation.employer_id}")
            if conversation.mutual_yes:
                messages.success(request, _("Saved. Both said yes: a match lead is ready for "
                                            "the candidate's relationship manager."))
            else:
                messages.success(request, _("Conversation saved."))
            return redirect("matching_events:meetup_conversations", pk=pk)
    rows = list(selectors.conversations_of(meetup))
    leads = list(selectors.leads_of(meetup))
    shown = selectors.names_shown(request.user, meetup,
                                  [r.candidate_id for r in rows + leads])
    by_candidate = {r.candidate_id: r for r in present}
    by_employer = {e.employer_id: e for e in employers}
    for row in rows:
        row.registration = by_candidate.get(row.candidate_id)
        row.participation = by_employer.get(row.employer_id)
        row.name_visible = row.candidate_id in shown
        row.lead_exists = hasattr(row, "lead")
    for lead in leads:
        lead.name_visible = lead.candidate_id in shown
    audit_trail.record_shown(request, meetup, "gesprekken",
                             list(shown) + [r.candidate_id for r in present])
    return render(request, T + "conversations.html", {
        "meetup": meetup, "form": form, "rows": rows, "leads": leads,
        "nobody": not present.exists() or not employers.exists()})
