"""Breakdowns of a period's progress: per relationship manager, and the funnel.

Read side; a fixed number of aggregate queries whatever the number of candidates, employers
or users. Import them from `targets.progress`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from matching_events.models import MatchLead, Opportunity, Placement, Registration
from relations.models import Candidate, ContactMoment, Employer

if TYPE_CHECKING:
    from .progress import Period


@dataclass(frozen=True)
class ManagerRow:
    """One relationship manager's share of the period's counts: new employer contacts of the
    employers they own, and jobs / work-experience places of the candidates they own (owner
    as it is now). `user_id` None: employers or candidates without an owner."""

    user_id: int | None
    name: str
    employer_contacts: int
    regular_jobs: int
    work_experience_places: int

    @property
    def total(self) -> int:
        return self.employer_contacts + self.regular_jobs + self.work_experience_places


def _last_day(period: Period, today: date | None) -> date:
    return min(period.end, today or timezone.localdate(), timezone.localdate())


def per_manager(period: Period, *, today: date | None = None) -> list[ManagerRow]:
    """A row per workspace user (relationship managers and coordinators), plus any other owner
    with counts, sorted by name; a last row for unowned relations when they count. Three
    queries."""
    last = _last_day(period, today)
    contacts: dict[int | None, int] = dict(
        Employer.objects.filter(first_contact_date__gte=period.start, first_contact_date__lte=last)
        .values_list("owner").annotate(n=Count("pk")).order_by())
    placed: dict[tuple[int | None, str], int] = {
        (owner, kind): n for owner, kind, n in
        Placement.objects.filter(
            kind__in=[Placement.Kind.JOB, Placement.Kind.WORK_EXPERIENCE],
            start_date__gte=period.start, start_date__lte=last)
        .values_list("candidate__owner", "kind").annotate(n=Count("pk")).order_by()}
    owners = {owner for owner in contacts if owner} | {owner for owner, _ in placed if owner}
    users = (get_user_model().objects.filter(
        Q(pk__in=owners) | Q(is_active=True, groups__permissions__codename="access_workspace",
                             groups__permissions__content_type__app_label="accounts"))
        .distinct().only("pk", "first_name", "last_name", "email"))

    def row(user_id: int | None, name: str) -> ManagerRow:
        return ManagerRow(
            user_id=user_id, name=name, employer_contacts=contacts.get(user_id, 0),
            regular_jobs=placed.get((user_id, Placement.Kind.JOB), 0),
            work_experience_places=placed.get((user_id, Placement.Kind.WORK_EXPERIENCE), 0))

    rows = sorted((row(user.pk, str(user)) for user in users), key=lambda r: r.name.lower())
    unowned = row(None, str(_("no relationship manager")))
    if unowned.total:
        rows.append(unowned)
    return rows


@dataclass(frozen=True)
class FunnelStep:
    key: str
    label: Promise
    count: int
    # Share of the funnel's first step (1.0 is 100%); None when the first step is 0.
    share: float | None

    @property
    def percentage(self) -> int | None:
        return round(self.share * 100) if self.share is not None else None


@dataclass(frozen=True)
class Funnel:
    candidates: list[FunnelStep]
    employers: list[FunnelStep]


def _steps(values: dict[str, int], labels: dict[str, Promise]) -> list[FunnelStep]:
    first = next(iter(values.values()))
    return [FunnelStep(key, labels[key], count, count / first if first else None)
            for key, count in values.items()]


CANDIDATE_STEPS = {
    "active": _("active candidates"),
    "meetup": _("attended a meetup"),
    "match_lead": _("match lead"),
    "placement": _("placement"),
}
EMPLOYER_STEPS = {
    "contacted": _("employers contacted"),
    "active_partner": _("active partner"),
    "offering": _("offering an opportunity"),
}


def funnel(period: Period, *, today: date | None = None) -> Funnel:
    """Two funnels of the period (up to today). Two queries.

    Candidates: *active* (status active or placed, now); of those, who attended a meetup held
    in the period, got a match lead in the period, started a placement (any kind, also a
    trial) in the period. Employers: *contacted* (a logged contact moment in the period, not a
    handover); of those,
    who are an active partner now, and who offer an open opportunity now."""
    last = _last_day(period, today)
    meetup = Registration.objects.filter(
        candidate=OuterRef("pk"), attended=True,
        meetup__starts_at__date__gte=period.start, meetup__starts_at__date__lte=last)
    lead = MatchLead.objects.filter(candidate=OuterRef("pk"), created_at__date__gte=period.start,
                                    created_at__date__lte=last)
    placement = Placement.objects.filter(candidate=OuterRef("pk"), start_date__gte=period.start,
                                         start_date__lte=last)
    candidates = Candidate.objects.filter(
        status__in=[Candidate.Status.ACTIVE, Candidate.Status.PLACED]).aggregate(
        active=Count("pk"), meetup=Count("pk", filter=Q(Exists(meetup))),
        match_lead=Count("pk", filter=Q(Exists(lead))),
        placement=Count("pk", filter=Q(Exists(placement))))
    contacted = ContactMoment.objects.filter(
        employer=OuterRef("pk"), kind__in=ContactMoment.LOGGABLE,
        occurred_at__date__gte=period.start,
        occurred_at__date__lte=last)
    offering = Opportunity.objects.filter(employer=OuterRef("pk"),
                                          status=Opportunity.Status.OPEN)
    employers = Employer.objects.filter(Exists(contacted)).aggregate(
        contacted=Count("pk"),
        active_partner=Count("pk", filter=Q(status=Employer.Status.ACTIVE_PARTNER)),
        offering=Count("pk", filter=Q(Exists(offering))))
    return Funnel(candidates=_steps({key: candidates[key] for key in CANDIDATE_STEPS},
                                    CANDIDATE_STEPS),
                  employers=_steps({key: employers[key] for key in EMPLOYER_STEPS},
                                   EMPLOYER_STEPS))
