"""What the portal shows of `matching_events`: the published meetups (overview, a meetup with
its registration form, the "check your e-mail" page) and the open opportunities.

The page types in `cms.models` call these functions; every read is a fixed number of queries
and every write goes through `matching_events.services.registrations`. Only what may be
public leaves here: no contact persons, no candidates, no contact details.

Caching (`cms.caching`): the overviews and the "check your e-mail" page are the same for
every visitor and are cached; a meetup page with its form carries a CSRF token and is never
stored. Saving a meetup, a participating employer or an opportunity purges the
municipality's cached pages.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Value
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from cms.forms import MeetupRegistrationForm
from core.antispam import public_form
from matching_events.models import Meetup, MeetupEmployer, Opportunity
from matching_events.services import registrations

if TYPE_CHECKING:
    from cms.models import MeetupIndexPage

# POSTs of the registration form per client address (per municipality). Read through
# `registration_rate` so a test can lower it without waiting for a rate window to end.
REGISTRATION_RATE = "10/m"
RATE_GROUP = "portal:meetup-registration"
# The only meetup fields the public pages load and show.
PUBLIC_FIELDS = ("title", "theme", "description", "starts_at", "duration_minutes",
                 "location_name", "address", "accessibility_notes", "online_link",
                 "registration_deadline", "status")


# --- reading ---------------------------------------------------------------------------------

def upcoming_meetups() -> QuerySet[Meetup]:
    """Published (or full) meetups that have not started yet, soonest first. One query."""
    return (Meetup.objects.filter(status__in=Meetup.OPEN_STATES, starts_at__gt=timezone.now())
            .only(*PUBLIC_FIELDS).order_by("starts_at", "pk"))


def public_meetup_or_404(pk: int) -> Meetup:
    """One upcoming published (or full) meetup of this municipality, else 404 (a draft, a
    cancelled or held meetup, a past one, or an id of another municipality: every schema
    has its own meetup table). With `employer_names`: the names of the employers who
    confirmed they come, never their contact persons. One query."""
    confirmed = Q(employers__status=MeetupEmployer.Status.CONFIRMED)
    meetup = upcoming_meetups().filter(pk=pk).annotate(employer_names=ArrayAgg(
        "employers__employer__name", filter=confirmed, order_by="employers__employer__name",
        default=Value([]))).first()
    if meetup is None:
        raise Http404("no such public meetup")
    return meetup


def registration_problem(meetup: Meetup) -> str | None:
    """Why no one can register now (e.g. the registration deadline passed), or None."""
    try:
        registrations.check_open_for_registration(meetup)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


@dataclass(frozen=True)
class OpportunityGroup:
    kind: str
    label: str
    opportunities: list[Opportunity]


def published_opportunities() -> list[OpportunityGroup]:
    """Open opportunities the employer agreed to publish, grouped by kind (regular jobs
    first), newest first within a kind. One query; only the fields the overview shows."""
    rows = (Opportunity.objects.filter(status=Opportunity.Status.OPEN, publish_on_portal=True)
            .select_related("employer")
            .only("kind", "title", "hours_per_week", "location", "start_date", "employer__name")
            .order_by("-created_at", "-pk"))
    by_kind: dict[str, list[Opportunity]] = {}
    for opportunity in rows:
        by_kind.setdefault(opportunity.kind, []).append(opportunity)
    return [OpportunityGroup(kind, str(label), by_kind[kind])
            for kind, label in Opportunity.Kind.choices if kind in by_kind]


# --- the meetup pages (routes of MeetupIndexPage) --------------------------------------------

def registration_rate(group: str, request: HttpRequest) -> str:
    return REGISTRATION_RATE


def _detail_context(meetup: Meetup, **extra: Any) -> dict[str, Any]:
    return {"meetup": meetup, "employer_names": meetup.employer_names, **extra}


@public_form(rate=registration_rate, group=RATE_GROUP)  # type: ignore[arg-type]
def meetup_detail(request: HttpRequest, index: "MeetupIndexPage", pk: int) -> HttpResponse:
    """A meetup with its registration form. A valid POST registers (double opt-in: the
    service queues the confirmation e-mail) and redirects to the "check your e-mail" page;
    otherwise the form comes back with every typed value kept and the errors next to the
    fields and summed up on top.

    Already registered: for privacy the visitor gets the same "check your e-mail" page as
    after a new registration, and no error. Saying "this address is already registered"
    would tell anyone who types someone else's e-mail address that this person takes part
    (and so is probably on social assistance). That page tells people who registered
    before to use the link in the e-mail they got then."""
    meetup = public_meetup_or_404(pk)
    problem = registration_problem(meetup)
    if problem is not None:  # e.g. the registration deadline passed: no form
        response = index.render(request, template="cms/meetup_detail.html",
                                context_overrides=_detail_context(meetup, problem=problem))
        response.status_code = 400 if request.method == "POST" else 200
        return response
    full = meetup.status == Meetup.Status.FULL
    posted = request.method == "POST"
    form = MeetupRegistrationForm(request.POST if posted else None, full=full)
    status = 200
    if posted and form.is_valid():
        try:
            registrations.register_for_meetup(meetup.pk, **form.registration())
        except ValidationError as error:
            if getattr(error, "code", None) != "twice":
                _add_service_errors(form, error)
                status = 400
        if not form.errors:
            return HttpResponseRedirect(subpage_url(request, index, "meetup_registered",
                                                    meetup.pk))
    response = index.render(request, template="cms/meetup_detail.html",
                            context_overrides=_detail_context(meetup, form=form))
    response.status_code = status
    return response


def subpage_url(request: HttpRequest, index: "MeetupIndexPage", name: str, pk: int) -> str:
    """The address of a meetup route under the (language's) meetup overview."""
    return index.get_url(request) + index.reverse_subpage(name, args=[pk])


def _add_service_errors(form: MeetupRegistrationForm, error: ValidationError) -> None:
    """The service's refusal on the fields it names; "full" on the waiting-list box."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return
    field = "waiting_list" if (getattr(error, "code", None) == "full"
                               and "waiting_list" in form.fields) else None
    form.add_error(field, error.messages)


def meetup_registered(request: HttpRequest, index: "MeetupIndexPage", pk: int) -> HttpResponse:
    """The "check your e-mail" page after registering (the same for everyone: no name, no
    address; cacheable)."""
    meetup = public_meetup_or_404(pk)
    return index.render(request, template="cms/meetup_registered.html",
                        context_overrides={"meetup": meetup})
