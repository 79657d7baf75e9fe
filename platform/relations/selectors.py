"""Read-side queries: what a user may see, timelines, my day, ZRM progress."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from .imports.models import ImportJob
from .models import Candidate, ContactMoment, Employer, NextAction, ZrmAssessment, ZrmScore
from .reference import ZRM_DOMAIN_CHOICES


def visible_candidates(user) -> QuerySet[Candidate]:
    """The portfolio rule as a queryset: the same as `relations.view_candidate`."""
    candidates = Candidate.objects.all()
    if not user.is_authenticated or not user.has_perm("accounts.access_workspace"):
        return candidates.none()
    if user.has_perm("accounts.view_all_candidates"):
        return candidates
    shared = Candidate.shared_with.through.objects.filter(
        candidate_id=OuterRef("pk"), user_id=user.pk)
    return candidates.filter(Q(owner_id=user.pk) | Exists(shared))


def visible_employers(user) -> QuerySet[Employer]:
    if not user.is_authenticated or not user.has_perm("accounts.access_workspace"):
        return Employer.objects.none()
    return Employer.objects.all()


def visible_next_actions(user) -> QuerySet[NextAction]:
    """Actions on relations the user may see (an employer's: everyone in the workspace; a
    candidate's: the portfolio rule)."""
    return NextAction.objects.filter(
        Q(employer__in=visible_employers(user)) | Q(candidate__in=visible_candidates(user)))


def visible_import_jobs(user) -> QuerySet[ImportJob]:
    """A job is visible to the person who uploaded it and to whoever sees every candidate (an
    import file may hold any portfolio's candidates)."""
    jobs = ImportJob.objects.select_related("created_by")
    if not user.is_authenticated or not user.has_perm("relations.import"):
        return jobs.none()
    if user.has_perm("accounts.view_all_candidates"):
        return jobs
    return jobs.filter(created_by_id=user.pk)


def timeline(relation: Employer | Candidate) -> QuerySet[ContactMoment]:
    """All contact moments of one relation, newest first."""
    field = "employer" if isinstance(relation, Employer) else "candidate"
    return ContactMoment.objects.filter(**{field: relation}).select_related("author")


def open_actions(relation: Employer | Candidate) -> QuerySet[NextAction]:
    field = "employer" if isinstance(relation, Employer) else "candidate"
    return NextAction.objects.filter(**{field: relation, "done_at__isnull": True}).select_related(
        "owner")


def my_day(user) -> QuerySet[NextAction]:
    """Open actions of a relationship manager: overdue first (oldest first), then today, then
    what is coming. One query."""
    return (NextAction.objects.filter(owner=user, done_at__isnull=True)
            .select_related("employer", "candidate").order_by("due_on", "pk"))


def new_employer_contacts(start: date | None, end: date | None) -> int:
    """Employers whose first contact moment falls inside the project period (both ends
    included). Without a period nothing counts."""
    if start is None or end is None:
        return 0
    return Employer.objects.filter(
        first_contact_date__gte=start, first_contact_date__lte=end).count()


@dataclass(frozen=True)
class DomainProgress:
    domain: int
    name: str
    first: int | None
    latest: int | None

    @property
    def change(self) -> int | None:
        if self.first is None or self.latest is None:
            return None
        return self.latest - self.first


def zrm_history(candidate: Candidate) -> list[ZrmAssessment]:
    return list(candidate.zrm.prefetch_related(
        Prefetch("scores", queryset=ZrmScore.objects.order_by("domain"))).select_related(
        "assessed_by"))


def zrm_progress(assessments: list[ZrmAssessment]) -> list[DomainProgress]:
    """Per domain: the score of the first and of the latest assessment (oldest first list)."""
    if not assessments:
        return []
    first = {s.domain: s.score for s in assessments[0].scores.all()}
    latest = {s.domain: s.score for s in assessments[-1].scores.all()}
    return [DomainProgress(number, name, first.get(number), latest.get(number))
            for number, name in ZRM_DOMAIN_CHOICES]
