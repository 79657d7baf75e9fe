"""Workspace: meetups (prettig gesprek). Every write goes through a service; a service's
ValidationError is shown in Dutch next to the field or on top, and nothing typed is lost.

Who may do what: every relationship manager and coordinator sees every meetup of the
municipality and may help run it (colleagues stand in for each other on the day), like
employers, which are shared market knowledge. Candidates are different: names follow
`selectors.registrations_of` (the organiser and coordinators see all names of their meetup,
others only the candidates of their own portfolio, and the needs only with the name; the rest
is a placeholder without a number), a registration may be changed only by someone who may see
its name, and a candidate is invited only from the user's own portfolio
(`InviteCandidateForm`). Contact details are only on the candidate page, which enforces the
portfolio rules. Pages that name candidates record them in the audit trail (`audit_trail`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.workspace import paginate, query_without_page, submit, workspace_view
from relations.access import record_refusal

from .. import audit_trail, selectors
from ..models import Meetup, Registration
from ..services import meetups as meetup_services
from ..services import registrations as registration_services
from .forms import (
    CancelForm,
    ChooseDateForm,
    ConfirmForm,
    EmployerAnswerForm,
    InviteCandidateForm,
    InviteEmployersForm,
    MeetupForm,
    PeriodForm,
    ProposeDatesForm,
    StatusFilterForm,
)

T = "matching_events/meetups/"


def meetup_or_404(pk: int) -> Meetup:
    return get_object_or_404(selectors.meetup_with_counts(pk))


def managed_meetup_or_404(request: HttpRequest, pk: int) -> Meetup:
    """A meetup the user may change (its organiser, a coordinator); 403 for other staff, who
    still see it (meetup_or_404). The services check the same (check_may_manage)."""
    meetup = meetup_or_404(pk)
    if not selectors.sees_all_names(request.user, meetup):
        raise PermissionDenied
    return meetup


def registration_or_404(request: HttpRequest, meetup: Meetup, pk: int) -> Registration:
    """A registration of this meetup whose candidate the user may see by name (else 404)."""
    registration = meetup.registrations.select_related("candidate").filter(pk=pk).first()
    if registration is None or registration.candidate_id not in selectors.names_shown(
            request.user, meetup, [registration.candidate_id]):
        # As for a candidate file: a 404, and the attempt in the audit trail (the candidate's
        # number, never the name), so trying colleagues' registrations one by one shows.
        if registration is None:
            record_refusal(request, "registration", pk, exists=False)
        else:
            record_refusal(request, "candidate", registration.candidate_id,
                           detail=f"bijeenkomst {meetup.pk}: {_where(request)}")
        raise Http404
    return registration


def _where(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.url_name or "") if match is not None else ""


def named(registrations) -> list[int]:
    """The candidates of these rows (from `selectors.registrations_of`) shown by name."""
    return [r.candidate_id for r in registrations if r.name_visible]


def posted(request: HttpRequest):
    """The form data of a POST (also an empty one), None otherwise."""
    return request.POST if request.method == "POST" else None


def report_errors(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal as a message on top of the next page."""
    for message in error.messages:
        messages.error(request, message)


def back(meetup: Meetup, page: str = "meetup_detail") -> HttpResponse:
    return redirect(f"matching_events:{page}", pk=meetup.pk)


# --- list, create, edit, detail -------------------------------------------------------------

@workspace_view
def meetup_list(request: HttpRequest) -> HttpResponse:
    """Upcoming first; filter by status."""
    form = StatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    return render(request, T + "list.html", {
        "form": form, "page": paginate(request, selectors.meetup_list(status)),
        "query": query_without_page(request)})


@workspace_view
def meetup_create(request: HttpRequest) -> HttpResponse:
    form = MeetupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        meetup = submit(form, lambda: meetup_services.create_meetup(
            by=request.user, **form.changes()))
        if meetup:
            messages.success(request, _("Meetup saved as a draft."))
            return back(meetup)
    return render(request, T + "form.html", {"form": form})


@workspace_view
def meetup_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meetup = managed_meetup_or_404(request, pk)
    # The form works on its own copy: the heading keeps the saved title while input is wrong.
    form = MeetupForm(posted(request), instance=Meetup.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        if submit(form, lambda: meetup_services.update_meetup(
                pk, by=request.user, **form.changes())):
            messages.success(request, _("Changes saved."))
            return back(meetup)
    return render(request, T + "form.html", {"form": form, "meetup": meetup})


@workspace_view
def meetup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meetup = meetup_or_404(pk)
    registrations = [r for r in selectors.registrations_of(meetup, request.user)
                     if r.status in Registration.ACTIVE]
    audit_trail.record_shown(request, meetup, "overzicht", named(registrations))
    return render(request, T + "detail.html", {
        "meetup": meetup,
        "registrations": registrations,
        "employers": list(selectors.employers_of(meetup)),
        "proposals": list(meetup.proposed_dates.all()),
        "may_manage": selectors.sees_all_names(request.user, meetup),
        "form": ConfirmForm()})


# --- publish, cancel, held ------------------------------------------------------------------

def _status_change(request: HttpRequest, pk: int, *, kind: str, form_class, action,
                   done: str) -> HttpResponse:
    meetup = managed_meetup_or_404(request, pk)
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        if submit(form, lambda: action(meetup, form)):
            messages.success(request, done)
            return back(meetup)
    return render(request, T + "confirm.html", {"meetup": meetup, "form": form, "kind": kind})


@workspace_view
def meetup_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(
        request, pk, kind="publish", form_class=ConfirmForm,
        action=lambda m, f: meetup_services.publish_meetup(m.pk, by=request.user),
        done=_("The meetup is published: candidates can register on the portal."))


@workspace_view
def meetup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(
        request, pk, kind="cancel", form_class=CancelForm,
        action=lambda m, f: meetup_services.cancel_meetup(
            m.pk, by=request.user, reason=f.cleaned_data["reason"]),
        done=_("The meetup is cancelled."))


@workspace_view
def meetup_held(request: HttpRequest, pk: int) -> HttpResponse:
    return _status_change(
        request, pk, kind="held", form_class=ConfirmForm,
        action=lambda m, f: meetup_services.mark_held(m.pk, by=request.user),
        done=_("The meetup is marked as held. Everyone who was present gets the survey."))


# --- choosing the date with the employers ---------------------------------------------------

@workspace_view
def meetup_dates(request: HttpRequest, pk: int) -> HttpResponse:
    meetup = managed_meetup_or_404(request, pk)
    form = ProposeDatesForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if submit(form, lambda: meetup_services.propose_dates(pk, form.dates(),
                                                              by=request.user)):
            messages.success(request, _("The dates are proposed to the invited employers."))
            return back(meetup, "meetup_dates")
    return render(request, T + "dates.html", {
        "meetup": meetup, "form": form, "results": meetup_services.date_results(meetup),
        "employers": list(selectors.employers_of(meetup))})


@workspace_view
@require_POST
def meetup_choose_date(request: HttpRequest, pk: int) -> HttpResponse:
    meetup = managed_meetup_or_404(request, pk)
    form = ChooseDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the proposed dates."))
        return back(meetup, "meetup_dates")
    try:
        meetup_services.choose_date(pk, form.cleaned_data["proposal"], by=request.user)
    except ValidationError as error:
        report_errors(request, error)
        return back(meetup, "meetup_dates")
    messages.success(request, _("The date is chosen; the employers are told."))
    return back(meetup)


# --- employers ------------------------------------------------------------------------------

@workspace_view
def meetup_employers(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone in the workspace sees who comes; the organiser and coordinators invite."""
    meetup = meetup_or_404(pk)
    may_manage = selectors.sees_all_names(request.user, meetup)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    form = InviteEmployersForm(posted(request), meetup=meetup, user=request.user)
    if request.method == "POST" and form.is_valid():
        if submit(form, lambda: meetup_services.invite_employers(
                pk, [e.pk for e in form.cleaned_data["employers"]], by=request.user)):
            messages.success(request, _("Invited. Employers with a contact person with an "
                                        "e-mail address get the invitation by e-mail."))
            return back(meetup, "meetup_employers")
    return render(request, T + "employers.html", {
        "meetup": meetup, "form": form, "employers": list(selectors.employers_of(meetup)),
        "answer_form": EmployerAnswerForm(), "may_manage": may_manage})


@workspace_view
@require_POST
def meetup_employer_answer(request: HttpRequest, pk: int, participation: int) -> HttpResponse:
    """Record an employer's answer given by phone."""
    meetup = managed_meetup_or_404(request, pk)
    row = get_object_or_404(meetup.employers.select_related("employer"), pk=participation)
    form = EmployerAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose invited, confirmed or declined."))
        return back(meetup, "meetup_employers")
    try:
        meetup_services.set_employer_status(row.pk, form.cleaned_data["status"],
                                            by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("Answer of %(name)s saved.") % {"name": row.employer.name})
    return back(meetup, "meetup_employers")


# --- candidates -----------------------------------------------------------------------------

@workspace_view
def meetup_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    meetup = meetup_or_404(pk)
    form = InviteCandidateForm(posted(request), meetup=meetup, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: registration_services.invite_candidate(
                pk, data["candidate"].pk, by=request.user, needs=data["needs"],
                needs_note=data["needs_note"])):
            messages.success(request, _("%(name)s is invited.") % {
                "name": data["candidate"].full_name})
            return back(meetup, "meetup_candidates")
    registrations = selectors.registrations_of(meetup, request.user)
    audit_trail.record_shown(request, meetup, "aanmeldingen", named(registrations))
    groups = [(status, label, [r for r in registrations if r.status == status])
              for status, label in Registration.Status.choices]
    return render(request, T + "candidates.html", {
        "meetup": meetup, "form": form, "groups": groups})


def _registration_action(request: HttpRequest, pk: int, registration: int, action,
                         done: str) -> HttpResponse:
    meetup = meetup_or_404(pk)
    row = registration_or_404(request, meetup, registration)
    try:
        action(row.pk)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, done % {"name": row.candidate.full_name})
    return back(meetup, "meetup_candidates")


@workspace_view
@require_POST
def registration_confirm(request: HttpRequest, pk: int, registration: int) -> HttpResponse:
    return _registration_action(
        request, pk, registration,
        lambda r: registration_services.confirm_on_behalf(r, by=request.user),
        _("%(name)s is registered (confirmed or on the waiting list)."))


@workspace_view
@require_POST
def registration_cancel(request: HttpRequest, pk: int, registration: int) -> HttpResponse:
    return _registration_action(
        request, pk, registration,
        lambda r: registration_services.cancel_on_behalf(r, by=request.user),
        _("The registration of %(name)s is cancelled."))


# --- survey results -------------------------------------------------------------------------

@workspace_view
def meetup_survey(request: HttpRequest, pk: int) -> HttpResponse:
    meetup = meetup_or_404(pk)
    return render(request, T + "survey.html", {
        "meetup": meetup, **selectors.survey_of_meetup(meetup)})


@workspace_view
def survey_period(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None, initial=PeriodForm.default_period())
    if form.is_bound:
        period = form.cleaned_data if form.is_valid() else None
    else:
        period = PeriodForm.default_period()
    results = selectors.survey_of_period(period["start"], period["end"]) if period else None
    return render(request, T + "survey_period.html", {
        "form": form, "period": period, "results": results})
