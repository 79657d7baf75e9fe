"""Read-side queries of the meetup pages: lists with counts, the people of one meetup, survey
results per meetup and per period. Every function runs a fixed number of queries, however many
registrations a meetup has."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from relations.selectors import visible_candidates

from .models import (
    Conversation,
    MatchLead,
    Meetup,
    MeetupEmployer,
    Opportunity,
    PracticalNeed,
    Registration,
    SurveyResponse,
)
from .rules import runs_meetup

CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING


def employer_portal_opportunities(employer) -> QuerySet[Opportunity]:
    """What an employer's own portal account sees and edits: not an offer someone left on
    the anonymous sign-up form in the employer's name that staff have not reviewed yet (it
    could be anyone's; the relationship manager checks it first)."""
    return employer.opportunities.exclude(
        status=Opportunity.Status.AWAITING_REVIEW, posted_via_portal=True,
        posted_by__isnull=True)


def meetup_list(status: str = "") -> QuerySet[Meetup]:
    """Upcoming meetups first (soonest first), then those whose date is still open, then past
    ones (latest first); with the numbers of confirmed, waiting and pending candidates and of
    confirmed employers. One query."""
    now = timezone.now()
    meetups = Meetup.objects.select_related("organiser")
    if status:
        meetups = meetups.filter(status=status)
    return meetups.annotate(
        period=Case(When(starts_at__gte=now, then=Value(0)),
                    When(starts_at__isnull=True, then=Value(1)),
                    default=Value(2), output_field=IntegerField()),
        upcoming_at=Case(When(starts_at__gte=now, then=F("starts_at"))),
        confirmed=Count("registrations", filter=Q(registrations__status=CONFIRMED),
                        distinct=True),
        waiting=Count("registrations", filter=Q(registrations__status=WAITING), distinct=True),
        employers_confirmed=Count(
            "employers", filter=Q(employers__status=MeetupEmployer.Status.CONFIRMED),
            distinct=True),
    ).order_by("period", F("upcoming_at").asc(nulls_last=True),
               F("starts_at").desc(nulls_last=True), "pk")


def meetup_with_counts(pk: int) -> QuerySet[Meetup]:
    """The queryset a detail page takes its meetup from (one query, with the counts)."""
    return Meetup.objects.filter(pk=pk).select_related("organiser").annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=CONFIRMED),
                        distinct=True),
        waiting=Count("registrations", filter=Q(registrations__status=WAITING), distinct=True),
        pending=Count("registrations",
                      filter=Q(registrations__status=Registration.Status.PENDING),
                      distinct=True),
        employers_confirmed=Count(
            "employers", filter=Q(employers__status=MeetupEmployer.Status.CONFIRMED),
            distinct=True),
        employers_invited=Count("employers", distinct=True),
    )


def registrations_of(meetup: Meetup, user) -> list[Registration]:
    """All registrations of a meetup in the order that matters: confirmed, then the waiting
    list in its order (first come, first served), then pending, then cancelled.

    Who sees which name (decided here, once): the organiser of a meetup and coordinators see
    the names of every registered candidate, because they run the meetup; other colleagues see
    the names of candidates in their own portfolio (or shared with them) only. Contact details
    and the rest of a candidate's file are never shown here: the link to the candidate page is
    given only for candidates the user may see, and that page enforces the portfolio rules.
    Sets `name_visible`, `file_visible`, `need_labels` and `shown_note` (the needs, empty
    for a hidden name) on every registration. Two queries.
    """
    order = Case(When(status=CONFIRMED, then=Value(0)), When(status=WAITING, then=Value(1)),
                 When(status=Registration.Status.PENDING, then=Value(2)), default=Value(3),
                 output_field=IntegerField())
    rows = list(meetup.registrations.select_related("candidate").annotate(order=order)
                .order_by("order", "waiting_since", "created_at", "pk"))
    everyone = sees_all_names(user, meetup)
    visible = set(visible_candidates(user).filter(
        pk__in=[r.candidate_id for r in rows]).values_list("pk", flat=True)) if rows else set()
    labels = dict(PracticalNeed.choices)
    for row in rows:
        row.file_visible = row.candidate_id in visible
        row.name_visible = everyone or row.file_visible
        # Needs say something about the person: shown with the name or not at all.
        row.need_labels = ([labels.get(need, need) for need in row.needs]
                           if row.name_visible else [])
        row.shown_note = row.needs_note if row.name_visible else ""
    return rows


def sees_all_names(user, meetup: Meetup) -> bool:
    """The organiser and coordinators run the meetup: they see every registered name (and
    practical-needs note), and only they change its table plan."""
    return runs_meetup(user, meetup)


def names_shown(user, meetup: Meetup, candidate_ids: Iterable[int]) -> frozenset[int]:
    """Of `candidate_ids`, the candidates whose name and needs `user` may see at `meetup`:
    all for the organiser and coordinators, else those of the user's portfolio (one query;
    none for the organiser). Everyone else is shown as an anonymous placeholder, without a
    number that could be looked up elsewhere."""
    ids = frozenset(candidate_ids)
    if not ids or sees_all_names(user, meetup):
        return ids
    return frozenset(visible_candidates(user).filter(pk__in=ids).values_list("pk", flat=True))


def check_name_visible(user, meetup: Meetup, candidate_id: int) -> None:
    """The service-side guard: acting on a candidate of a meetup needs their name visible."""
    if candidate_id not in names_shown(user, meetup, [candidate_id]):
        raise PermissionDenied


def check_may_plan(user, meetup: Meetup) -> None:
    """Only the organiser and coordinators (re)make or change the table plan: a seat moves
    other people's candidates too."""
    if not sees_all_names(user, meetup):
        raise PermissionDenied


def employers_of(meetup: Meetup) -> QuerySet[MeetupEmployer]:
    return meetup.employers.select_related("employer", "contact").order_by(
        "employer__name", "pk")


def present_registrations(meetup: Meetup, user) -> QuerySet[Registration]:
    """Candidates checked in as present whose name the user may see."""
    rows = meetup.registrations.filter(status=CONFIRMED, attended=True)
    if not sees_all_names(user, meetup):
        rows = rows.filter(candidate__in=visible_candidates(user))
    return rows.select_related("candidate").order_by(
        "candidate__last_name", "candidate__first_name", "pk")


def present_employers(meetup: Meetup) -> QuerySet[MeetupEmployer]:
    return meetup.employers.filter(
        status=MeetupEmployer.Status.CONFIRMED, attended=True).select_related(
        "employer").order_by("employer__name", "pk")


def conversations_of(meetup: Meetup) -> QuerySet[Conversation]:
    return (Conversation.objects.filter(meetup=meetup)
            .select_related("employer", "candidate", "lead")
            .order_by("employer__name", "candidate__last_name", "pk"))


def leads_of(meetup: Meetup) -> QuerySet[MatchLead]:
    return (MatchLead.objects.filter(conversation__meetup=meetup)
            .select_related("employer", "candidate", "owner"))


# --- surveys --------------------------------------------------------------------------------

SCORES = ("approach", "relationship_manager", "self_efficacy")


@dataclass(frozen=True)
class SurveyGroup:
    respondent: str
    label: str
    count: int
    approach: float | None
    relationship_manager: float | None
    self_efficacy: float | None


def _aggregates(responses: QuerySet[SurveyResponse]) -> list[SurveyGroup]:
    """Per kind of respondent: how many answered and the average of every score. One query."""
    spec = {}
    for kind in SurveyResponse.Respondent.values:
        only = Q(respondent=kind)
        spec[f"{kind}__count"] = Count("pk", filter=only)
        for score in SCORES:
            spec[f"{kind}__{score}"] = Avg(score, filter=only)
    numbers = responses.aggregate(**spec)
    groups = []
    for kind, label in SurveyResponse.Respondent.choices:
        groups.append(SurveyGroup(
            kind, str(label), numbers[f"{kind}__count"],
            *(_rounded(numbers[f"{kind}__{score}"]) for score in SCORES)))
    return groups


def _rounded(value) -> float | None:
    return None if value is None else round(float(value), 1)


def survey_of_meetup(meetup: Meetup) -> dict:
    """The survey results of one meetup: averages per respondent kind, and the comments
    (without names: respondents were promised that)."""
    responses = SurveyResponse.objects.filter(meetup=meetup)
    return {
        "groups": _aggregates(responses),
        "comments": list(responses.exclude(comment="").values("respondent", "comment",
                                                               "submitted_at")),
    }


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Aware datetimes from the start of `start` to the end of `end` (both days included)."""
    zone = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tzinfo=zone),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))


def survey_of_period(start: date, end: date) -> dict:
    """Survey results of the meetups held from `start` to `end`: totals per respondent kind
    and a row per meetup with its numbers. Two queries."""
    since, until = period_bounds(start, end)
    responses = SurveyResponse.objects.filter(
        meetup__starts_at__gte=since, meetup__starts_at__lt=until)
    per_meetup = (Meetup.objects.filter(starts_at__gte=since, starts_at__lt=until)
                  .filter(Q(status=Meetup.Status.HELD) | Exists(
                      SurveyResponse.objects.filter(meetup=OuterRef("pk"))))
                  .annotate(
                      responses=Count("survey_responses"),
                      candidate_answers=Count("survey_responses", filter=Q(
                          survey_responses__respondent=SurveyResponse.Respondent.CANDIDATE)),
                      employer_answers=Count("survey_responses", filter=Q(
                          survey_responses__respondent=SurveyResponse.Respondent.EMPLOYER)),
                      avg_approach=Avg("survey_responses__approach"),
                      avg_relationship_manager=Avg("survey_responses__relationship_manager"),
                      avg_self_efficacy=Avg("survey_responses__self_efficacy"))
                  .order_by("starts_at", "pk"))
    return {"groups": _aggregates(responses), "meetups": list(per_meetup)}
