"""Landing pages per role after login, and the portal pages of employer and candidate accounts.

An employer user sees only the employer of their `EmployerAccount`, a candidate user only the
candidate of their `CandidateAccount`: anything else is a 404, whatever id is in the address.
Writes go through `matching_events.services`."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.workspace import add_service_errors
from matching_events import links
from matching_events import selectors as meetup_selectors
from matching_events.forms_portal import ParticipationAnswerForm, PortalOpportunityForm
from matching_events.models import MeetupEmployer, Opportunity
from matching_events.services import meetups, opportunities
from matching_events.services.accounts import candidate_of, employer_of
from matching_events.views_public import meetup_is_over

from .roles import Role, user_roles

# Where each role starts; the first role that matches wins.
START_PAGES: list[tuple[Role, str]] = [
    (Role.COORDINATOR, "workspace"),
    (Role.RELATIONSHIP_MANAGER, "workspace"),
    (Role.EDITOR, "wagtailadmin_home"),
    (Role.EMPLOYER, "my_company"),
    (Role.CANDIDATE, "my_meetups"),
    (Role.OPERATOR, "operator_home"),
    (Role.MINISTRY_ANALYST, "ministry_dashboard"),
]
EMPLOYER_PORTAL = "accounts.access_employer_portal"
CANDIDATE_PORTAL = "accounts.access_candidate_portal"
CLOSED = (Opportunity.Status.FILLED, Opportunity.Status.CLOSED)


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Send a user to the start page of their role."""
    roles = user_roles(request.user)
    for role, url_name in START_PAGES:
        if role in roles:
            return redirect(url_name)
    return redirect("/")


def _role_page(permission: str, title: str, text: str):
    """A start page for one role; later issues replace these placeholders with the real work."""

    @login_required
    @permission_required(permission, raise_exception=True)
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/placeholder.html", {"title": title, "text": text})

    return view


workspace = _role_page("accounts.access_workspace", gettext_lazy("Workspace"), gettext_lazy(
    "Here you will find your employers, candidates, meetups and your day list."))
ministry_dashboard = _role_page(
    "accounts.view_ministry_dashboard", gettext_lazy("Ministry dashboard"), gettext_lazy(
        "Here you will compare the results of the participating municipalities."))
operator_home = _role_page("accounts.operate_platform", gettext_lazy("Platform management"),
                           gettext_lazy("Here you will manage municipalities and subscriptions."))


# --- portal accounts ------------------------------------------------------------------------

def portal_view(permission: str, find: Callable) -> Callable[[Callable], Callable]:
    """Logged in, with the role's permission and a linked employer or candidate (passed to the
    view); a user without the link gets a page saying whom to ask. Never cached."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @never_cache
        @login_required
        @permission_required(permission, raise_exception=True)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            linked = find(request.user)
            if linked is None:
                return render(request, "accounts/not_linked.html")
            return view(request, linked, *args, **kwargs)

        return wrapped

    return decorator


employer_view = portal_view(EMPLOYER_PORTAL, employer_of)
candidate_view = portal_view(CANDIDATE_PORTAL, candidate_of)


def _answer_form(participation: MeetupEmployer, data=None) -> ParticipationAnswerForm:
    initial = {MeetupEmployer.Status.CONFIRMED: "yes",
               MeetupEmployer.Status.DECLINED: "no"}.get(participation.status)
    return ParticipationAnswerForm(data, prefix=f"p{participation.pk}",
                                   initial={"coming": initial})


@employer_view
def my_company(request: HttpRequest, employer) -> HttpResponse:
    """The employer's opportunities and meetups."""
    participations = []
    for participation in (employer.meetup_participations.select_related("meetup")
                          .order_by("-meetup__starts_at", "-pk")):
        over = meetup_is_over(participation.meetup)
        participations.append({"participation": participation, "meetup": participation.meetup,
                               "over": over,
                               "form": None if over else _answer_form(participation)})
    return render(request, "accounts/my_company.html", {
        "employer": employer,
        "opportunities": meetup_selectors.employer_portal_opportunities(employer),
        "participations": participations, "closed": CLOSED})


def _opportunity_page(request: HttpRequest, employer, opportunity: Opportunity | None
                      ) -> HttpResponse:
    initial = PortalOpportunityForm.initial_from(opportunity) if opportunity else None
    form = PortalOpportunityForm(request.POST if request.method == "POST" else None,
                                 initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if opportunity is None:
                opportunities.post_opportunity(employer.pk, by=request.user, **form.cleaned_data)
                messages.success(request, _("Thank you. We check your offer and let you know."))
            else:
                opportunities.update_own_opportunity(
                    opportunity.pk, employer_id=employer.pk, by=request.user, **form.cleaned_data)
                messages.success(request, _("Your changes are saved. We check the offer again "
                                            "before it is shown."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("my_company")
    return render(request, "accounts/opportunity_form.html", {
        "form": form, "employer": employer, "opportunity": opportunity})


@employer_view
def my_opportunity_new(request: HttpRequest, employer) -> HttpResponse:
    return _opportunity_page(request, employer, None)


@employer_view
def my_opportunity_edit(request: HttpRequest, employer, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(
        meetup_selectors.employer_portal_opportunities(employer), pk=pk)
    if opportunity.status in CLOSED:
        messages.error(request, _("A filled or closed opportunity cannot be changed."))
        return redirect("my_company")
    return _opportunity_page(request, employer, opportunity)


@employer_view
@require_POST
def my_participation_answer(request: HttpRequest, employer, pk: int) -> HttpResponse:
    """Coming or not to a meetup the employer is invited to (not after it was held)."""
    participation = get_object_or_404(MeetupEmployer.objects.select_related("meetup"),
                                      pk=pk, employer=employer)
    form = _answer_form(participation, request.POST)
    if meetup_is_over(participation.meetup):
        messages.error(request, _("This meetup has already taken place or was cancelled."))
    elif not form.is_valid():
        messages.error(request, _("Choose whether you are coming."))
    else:
        coming = form.cleaned_data["coming"] == "yes"
        meetups.set_employer_status(participation.pk, MeetupEmployer.Status.CONFIRMED if coming
                                    else MeetupEmployer.Status.DECLINED, by=request.user)
        messages.success(request, _("Thank you. Your answer is saved."))
    return redirect("my_company")


@candidate_view
def my_meetups(request: HttpRequest, candidate) -> HttpResponse:
    """The candidate's registrations, each with its status and manage link."""
    rows = [{"registration": registration, "meetup": registration.meetup,
             "position": links.waiting_position(registration),
             "manage_url": links.manage_path(registration)}
            for registration in candidate.registrations.select_related("meetup")
            .order_by("-meetup__starts_at", "-pk")]
    return render(request, "accounts/my_meetups.html", {"candidate": candidate, "rows": rows})
