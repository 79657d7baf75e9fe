"""Pages behind the links in e-mails: no account, the signed link is the key.

- GET never changes anything (mail scanners open links): confirming and cancelling take a
  button, i.e. a POST.
- A forged, expired, replaced or used link (`tokens.LinkError`) or a refusal of a service
  (`ValidationError`) is a friendly Dutch page with status 400; a missing object a 404.
- Never cached, no referrer (the token is in the address), not indexed; POSTs rate-limited.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.exceptions import Ratelimited

from core.antispam import public_form, rate_limited
from core.workspace import add_service_errors

from .. import links, tokens
from ..models import Meetup, MeetupEmployer, Registration, SurveyResponse
from ..services import meetups, outcomes, registrations
from .forms_public import CandidateSurveyForm, ComingForm, DatesForm, EmployerSurveyForm

TEMPLATES = "matching_events/public/"
POST_RATE = "10/m"


def _page(request: HttpRequest, name: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, f"{TEMPLATES}{name}.html", context, status=status)
    # Django would log "Bad Request: <path>", and the path carries the token: a log reader
    # could then act on someone's registration. A bad or used link is no incident anyway.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def problem(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return _page(request, "problem", {"message": message, "status": status}, status=status)


def public_link(view: Callable) -> Callable:
    """Errors as friendly pages, and the headers every page behind a link needs."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        try:
            response = view(request, token)
        except tokens.LinkError as error:
            response = problem(request, error.message)
        except ValidationError as error:
            response = problem(request, " ".join(error.messages))
        except (ObjectDoesNotExist, Http404):
            response = problem(request, _("We could not find this page. Check the link in "
                                          "the e-mail, or contact the municipality."), 404)
        except Ratelimited:
            response = rate_limited(request)
        add_never_cache_headers(response)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def link_page(view: Callable) -> Callable:
    """GET (and HEAD) shows, POST acts, at most POST_RATE per client address."""
    return public_link(require_http_methods(["GET", "HEAD", "POST"])(
        public_form(rate=POST_RATE)(view)))


def meetup_is_over(meetup: Meetup) -> bool:
    return meetup.status in (Meetup.Status.HELD, Meetup.Status.CANCELLED) or bool(
        meetup.starts_at and meetup.starts_at <= timezone.now())


# --- candidates: confirm, manage, cancel, survey, my registrations --------------------------

def _registration_context(registration: Registration) -> dict:
    return {"registration": registration, "meetup": registration.meetup,
            "position": links.waiting_position(registration),
            "manage_url": links.manage_path(registration)}


@link_page
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Double opt-in: the button confirms (a GET only shows it)."""
    if request.method == "POST":
        registration = registrations.confirm_registration(token)
        return _page(request, "confirmed", _registration_context(registration))
    tokens.read_token(tokens.CONFIRM, token, tokens.CONFIRM_MAX_AGE)  # expired: LinkError
    registration = registrations.registration_from_link(tokens.CONFIRM, token)
    if registration.status == Registration.Status.PENDING:
        registrations.check_open_for_registration(registration.meetup)
    return _page(request, "confirm", _registration_context(registration))


def _survey_problem(registration: Registration) -> str | None:
    """Why the candidate's survey cannot be filled in (the service says the same)."""
    if registration.meetup.status != Meetup.Status.HELD:
        return _("The survey opens after the meetup.")
    if registration.attended is not True:
        return _("The survey is for people who came to the meetup.")
    if SurveyResponse.objects.filter(registration=registration).exists():
        return _("You already filled in this survey. Thank you!")
    return None


@link_page
def manage(request: HttpRequest, token: str) -> HttpResponse:
    registration = registrations.registration_from_link(tokens.MANAGE, token)
    meetup = registration.meetup
    active = registration.status != Registration.Status.CANCELLED
    survey_url = None
    if _survey_problem(registration) is None:
        survey_url = reverse("meetups_public:candidate_survey", args=[token])
    return _page(request, "manage", {
        **_registration_context(registration),
        "can_cancel": active and not meetup_is_over(meetup),
        "cancel_url": reverse("meetups_public:cancel", args=[token]),
        "survey_url": survey_url})


@link_page
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        registration = registrations.cancel_registration(token)
        return _page(request, "cancelled", {"registration": registration,
                                            "meetup": registration.meetup})
    registration = registrations.registration_from_link(tokens.MANAGE, token)
    if registration.status == Registration.Status.CANCELLED:
        raise tokens.LinkError(_("This registration was already cancelled."))
    if meetup_is_over(registration.meetup):
        raise tokens.LinkError(_("This meetup has already taken place or was cancelled."))
    return _page(request, "cancel", _registration_context(registration))


@link_page
def candidate_survey(request: HttpRequest, token: str) -> HttpResponse:
    registration = registrations.registration_from_link(tokens.MANAGE, token)
    reason = _survey_problem(registration)
    if reason:
        raise tokens.LinkError(reason)
    form = CandidateSurveyForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.answer_candidate_survey(token, form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
            status = 400
        else:
            return _page(request, "thanks", {"meetup": registration.meetup})
    return _page(request, "survey", {"form": form, "meetup": registration.meetup,
                                     "who": "candidate"}, status=status)


@link_page
def mine(request: HttpRequest, token: str) -> HttpResponse:
    """All registrations of one candidate, each with its manage link."""
    candidate = links.candidate_from_my_registrations_token(token)
    rows = [{"registration": registration, "meetup": registration.meetup,
             "manage_url": links.manage_path(registration)}
            for registration in candidate.registrations.select_related("meetup")
            .order_by("-meetup__starts_at", "-pk")]
    return _page(request, "mine", {"candidate": candidate, "rows": rows})


# --- employers: the invitation and the survey -----------------------------------------------

def _employer_form(request: HttpRequest, participation: MeetupEmployer):
    meetup = participation.meetup
    data = request.POST if request.method == "POST" else None
    if meetup.starts_at is None:
        proposals = list(meetup.proposed_dates.all())
        chosen = [str(pk) for pk in participation.date_answers.filter(suits=True)
                  .values_list("proposed_date_id", flat=True)]
        return DatesForm(data, proposals=proposals, initial={"dates": chosen})
    initial = {MeetupEmployer.Status.CONFIRMED: "yes",
               MeetupEmployer.Status.DECLINED: "no"}.get(participation.status)
    return ComingForm(data, initial={"coming": initial})


@link_page
def employer(request: HttpRequest, token: str) -> HttpResponse:
    participation = meetups.participation_from_link(token)
    meetup = participation.meetup
    context = {"participation": participation, "meetup": meetup, "form": None,
               "survey_url": None, "over": meetup_is_over(meetup)}
    if meetup.status == Meetup.Status.HELD and not SurveyResponse.objects.filter(
            participation=participation).exists():
        context["survey_url"] = reverse("meetups_public:employer_survey", args=[token])
    if context["over"]:
        if request.method == "POST":
            raise tokens.LinkError(_("This meetup has already taken place or was cancelled."))
        return _page(request, "employer", context)
    form = _employer_form(request, participation)
    status = 200
    if request.method == "POST" and form.is_valid():
        if isinstance(form, DatesForm):
            dates = form.chosen()
            answer = {"coming": bool(dates), "suitable_dates": dates}
        else:
            answer = {"coming": form.cleaned_data["coming"] == "yes"}
        try:
            participation = meetups.answer_invitation(token, **answer)
        except ValidationError as error:
            add_service_errors(form, error)
            status = 400
        else:
            return _page(request, "employer_answered",
                         {"participation": participation, "meetup": meetup})
    context["form"] = form
    return _page(request, "employer", context, status=status)


@link_page
def employer_survey(request: HttpRequest, token: str) -> HttpResponse:
    participation = meetups.participation_from_link(token)
    meetup = participation.meetup
    if meetup.status != Meetup.Status.HELD:
        raise tokens.LinkError(_("The survey opens after the meetup."))
    if SurveyResponse.objects.filter(participation=participation).exists():
        raise tokens.LinkError(_("You already filled in this survey. Thank you!"))
    form = EmployerSurveyForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.answer_employer_survey(token, form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
            status = 400
        else:
            return _page(request, "thanks", {"meetup": meetup})
    return _page(request, "survey", {"form": form, "meetup": meetup, "who": "employer"},
                 status=status)
