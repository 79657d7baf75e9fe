"""The portal pages of employer and candidate accounts (logged in), and the "Make an account"
button of a candidate's "my registrations" page (signed e-mail link).

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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.workspace import add_service_errors

from .. import links
from .. import selectors as meetup_selectors
from ..models import MeetupEmployer, Opportunity
from ..services import accounts, meetups, opportunities
from ..services.accounts import candidate_of, employer_of
from .forms import ParticipationAnswerForm, PortalOpportunityForm
from .views_public import link_page, meetup_is_over

TEMPLATES = "matching_events/portal/"
EMPLOYER_PORTAL = "accounts.access_employer_portal"
CANDIDATE_PORTAL = "accounts.access_candidate_portal"
CLOSED = (Opportunity.Status.FILLED, Opportunity.Status.CLOSED)


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
                return render(request, f"{TEMPLATES}not_linked.html")
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
    return render(request, f"{TEMPLATES}my_company.html", {
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
    return render(request, f"{TEMPLATES}opportunity_form.html", {
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
    return render(request, f"{TEMPLATES}my_meetups.html", {"candidate": candidate, "rows": rows})


# --- candidates without an account -------------------------------------------------------

@link_page
def candidate_account_create(request: HttpRequest, token: str) -> HttpResponse:
    """The "Make an account" button on "my registrations" (POST only; GET goes back)."""
    candidate = links.candidate_from_my_registrations_token(token)
    mine = reverse("meetups_public:mine", args=[token])
    if request.method != "POST":
        return redirect(mine)
    try:
        accounts.create_candidate_user(candidate.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("We sent you an e-mail with a link to choose a password. "
                                    "Then you can log in with your e-mail address."))
    return redirect(mine)
