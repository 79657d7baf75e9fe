"""What is true today, per kind of signal: one detector per kind, each a fixed number of set-based
queries (never one per candidate). `alerts.services.raise_signals` stores what is new.

The rules, written down once:

- **An offer** (sluitende aanpak): the candidate has any placement (any kind or status, a trial
  placement too), or a match lead that is still open (new or introduced) or was ever introduced
  (`approved_at` set). A match lead closed without an introduction is no offer.
- **In the programme**: status intake or active, with a `programme_start`. Placed, paused and
  closed candidates are not on the clock.
- **programme_9_months**: in the programme for at least 9 and less than 12 months, no offer.
  **programme_12_months**: 12 months or more, no offer; escalated to the coordinators. When the
  12 months are reached the 9-month signal is resolved (its condition no longer holds).
- **follow_up_due**: a placement (not ended early) whose six-month follow-up (`Placement.
  follow_up`, a next action) is not done and due within 7 days or overdue. For the action's owner.
- **no_contact**: a candidate with status intake or active without a contact moment for
  `WERKTOP_NO_CONTACT_WEEKS` weeks (default 6). Only real contact counts: call, visit, e-mail,
  meeting; notes and handovers do not. Without any contact moment the quiet period starts when
  the candidate was entered. The key holds the start of the quiet period, so after a new
  contact moment a later silence raises a new signal.
- **opportunity_without_candidate**: an open opportunity, opened (reviewed, or else created)
  more than 14 days ago, for which no candidate was proposed since it opened: no placement on
  that opportunity or at that employer, no match lead with that employer, no seat in a table
  plan and no recorded conversation with that employer at a meetup starting since then.
- **target_reached** / **target_behind_pace** (`targets.progress`): only while today lies inside
  the current project period and for targets above 0; for the coordinators; reached once per
  target per period, behind pace once per target per ISO week.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from matching_events.models import (
    Conversation,
    MatchLead,
    Opportunity,
    Placement,
    TableSeat,
)
from matching_events.services.placements import add_months
from relations.models import Candidate, ContactMoment
from targets.progress import current_period, target_progress

from .models import Signal

Kind = Signal.Kind
IN_PROGRAMME = (Candidate.Status.INTAKE, Candidate.Status.ACTIVE)
REAL_CONTACT = (ContactMoment.Kind.CALL, ContactMoment.Kind.VISIT, ContactMoment.Kind.EMAIL,
                ContactMoment.Kind.MEETING)
FOLLOW_UP_WARNING_DAYS = 7
OPPORTUNITY_WAIT_DAYS = 14
DEFAULT_NO_CONTACT_WEEKS = 6


@dataclass(frozen=True)
class Found:
    """One signal as it should exist today."""

    kind: str
    key: str
    owner_id: int | None = None
    escalated: bool = False
    candidate_id: int | None = None
    employer_id: int | None = None
    placement_id: int | None = None
    opportunity_id: int | None = None
    data: dict = field(default_factory=dict)


def no_contact_weeks() -> int:
    return int(getattr(settings, "WERKTOP_NO_CONTACT_WEEKS", DEFAULT_NO_CONTACT_WEEKS))


def start_of(day: date) -> datetime:
    """The first moment of a local day, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def had_an_offer() -> Q:
    """Candidates (outer `pk`) who had an offer: see the module docstring."""
    leads = MatchLead.objects.filter(
        Q(status__in=[MatchLead.Status.NEW, MatchLead.Status.APPROVED])
        | Q(approved_at__isnull=False), candidate_id=OuterRef("pk"))
    return Q(Exists(Placement.objects.filter(candidate_id=OuterRef("pk")))) | Q(Exists(leads))


def programme(today: date) -> dict[str, list[Found]]:
    """Both programme kinds in one query (the 12-month one wins)."""
    nine_months_ago, twelve_months_ago = add_months(today, -9), add_months(today, -12)
    rows = (Candidate.objects.filter(status__in=IN_PROGRAMME, programme_start__isnull=False,
                                     programme_start__lte=nine_months_ago)
            .exclude(had_an_offer())
            .values_list("pk", "owner_id", "programme_start").order_by("pk"))
    found: dict[str, list[Found]] = {Kind.PROGRAMME_9_MONTHS: [], Kind.PROGRAMME_12_MONTHS: []}
    for pk, owner_id, start in rows:
        kind = (Kind.PROGRAMME_12_MONTHS if start <= twelve_months_ago
                else Kind.PROGRAMME_9_MONTHS)
        found[kind].append(Found(
            kind=kind, key=f"{kind}:candidate:{pk}", owner_id=owner_id, candidate_id=pk,
            escalated=kind == Kind.PROGRAMME_12_MONTHS, data={"since": start.isoformat()}))
    return found


def follow_up_due(today: date) -> list[Found]:
    rows = (Placement.objects
            .filter(follow_up__isnull=False, follow_up__done_at__isnull=True,
                    follow_up__due_on__lte=today + timedelta(days=FOLLOW_UP_WARNING_DAYS))
            .exclude(status=Placement.Status.ENDED_EARLY)
            .values_list("pk", "candidate_id", "employer_id", "follow_up__owner_id",
                         "follow_up__due_on").order_by("pk"))
    return [Found(kind=Kind.FOLLOW_UP_DUE, key=f"{Kind.FOLLOW_UP_DUE}:placement:{pk}",
                  owner_id=owner_id, candidate_id=candidate_id, employer_id=employer_id,
                  placement_id=pk, data={"due_on": due_on.isoformat()})
            for pk, candidate_id, employer_id, owner_id, due_on in rows]


def no_contact(today: date) -> list[Found]:
    weeks = no_contact_weeks()
    latest = (ContactMoment.objects.filter(candidate_id=OuterRef("pk"), kind__in=REAL_CONTACT)
              .order_by("-occurred_at").values("occurred_at")[:1])
    rows = (Candidate.objects.filter(status__in=IN_PROGRAMME)
            .annotate(last_contact=Subquery(latest))
            .annotate(quiet_since=Coalesce("last_contact", "created_at"))
            .filter(quiet_since__lt=start_of(today - timedelta(weeks=weeks) + timedelta(days=1)))
            .values_list("pk", "owner_id", "quiet_since", "last_contact").order_by("pk"))
    found = []
    for pk, owner_id, quiet_since, last_contact in rows:
        since = timezone.localdate(quiet_since)
        found.append(Found(
            kind=Kind.NO_CONTACT, key=f"{Kind.NO_CONTACT}:candidate:{pk}:{since.isoformat()}",
            owner_id=owner_id, candidate_id=pk,
            data={"since": since.isoformat(), "weeks": weeks,
                  "had_contact": last_contact is not None}))
    return found


def opportunity_without_candidate(today: date) -> list[Found]:
    employer, opened = OuterRef("employer_id"), OuterRef("opened_at")
    proposed = (
        Exists(Placement.objects.filter(Q(opportunity_id=OuterRef("pk"))
                                        | Q(employer_id=employer, created_at__gte=opened)))
        | Exists(MatchLead.objects.filter(employer_id=employer, created_at__gte=opened))
        | Exists(TableSeat.objects.filter(employer_id=employer, meetup__starts_at__gte=opened))
        | Exists(Conversation.objects.filter(employer_id=employer,
                                             meetup__starts_at__gte=opened)))
    rows = (Opportunity.objects.filter(status=Opportunity.Status.OPEN)
            .annotate(opened_at=Coalesce("reviewed_at", "created_at"))
            .filter(opened_at__lt=start_of(today - timedelta(days=OPPORTUNITY_WAIT_DAYS)))
            .exclude(proposed)
            .values_list("pk", "employer_id", "employer__owner_id", "opened_at").order_by("pk"))
    return [Found(kind=Kind.OPPORTUNITY_WITHOUT_CANDIDATE,
                  key=f"{Kind.OPPORTUNITY_WITHOUT_CANDIDATE}:opportunity:{pk}",
                  owner_id=owner_id, employer_id=employer_id, opportunity_id=pk,
                  data={"since": timezone.localdate(opened_at).isoformat()})
            for pk, employer_id, owner_id, opened_at in rows]


def targets(today: date) -> dict[str, list[Found]]:
    """Target reached / behind pace, for the coordinators (no owner)."""
    found: dict[str, list[Found]] = {Kind.TARGET_REACHED: [], Kind.TARGET_BEHIND_PACE: []}
    period = current_period(today=today)
    if period is None or not period.contains(today):
        return found
    period_key = str(period.id) if period.id is not None else (
        f"{period.start.isoformat()}_{period.end.isoformat()}")
    year, week, _weekday = today.isocalendar()
    iso_week = f"{year}-W{week:02d}"
    for item in target_progress(period, today):
        if item.target <= 0:
            continue
        data = {"target": item.key, "count": item.count, "goal": item.target,
                "expected": item.expected, "period_start": period.start.isoformat(),
                "period_end": period.end.isoformat()}
        if item.reached:
            kind = Kind.TARGET_REACHED
            found[kind].append(Found(kind=kind, key=f"{kind}:{item.key}:period-{period_key}",
                                     escalated=True, data=data))
        elif item.behind:
            kind = Kind.TARGET_BEHIND_PACE
            found[kind].append(Found(kind=kind, key=f"{kind}:{item.key}:{iso_week}",
                                     escalated=True, data={**data, "week": iso_week}))
    return found


def everything(today: date) -> dict[str, list[Found]]:
    """Every kind, in the order they are stored."""
    found: dict[str, list[Found]] = {}
    found.update(programme(today))
    found[Kind.FOLLOW_UP_DUE] = follow_up_due(today)
    found[Kind.NO_CONTACT] = no_contact(today)
    found[Kind.OPPORTUNITY_WITHOUT_CANDIDATE] = opportunity_without_candidate(today)
    found.update(targets(today))
    return found
