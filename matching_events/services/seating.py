"""The table plan of a meetup: generate it, adjust one seat, show it, print it (PDF).

Participants: employers who confirmed (and, once check-in started, were not marked absent)
and candidates with a confirmed registration not marked absent. Writes lock the meetup row,
so two people generating or adjusting at the same time never leave a mixed plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import html_to_pdf
from relations.models import Candidate, Employer

from ..matching import candidate_rows, fit_for_employer, fit_matrix, opportunities_by_employer
from ..models import Meetup, MeetupEmployer, Opportunity, Registration, TableSeat
from ..selectors import check_may_plan, names_shown, sees_all_names
from ..tableplan.planner import plan_rounds
from .registrations import lock_meetup


def _employer_participations(meetup: Meetup):
    return meetup.employers.filter(status=MeetupEmployer.Status.CONFIRMED).exclude(
        attended=False)


def _candidate_registrations(meetup: Meetup):
    return meetup.registrations.filter(status=Registration.Status.CONFIRMED).filter(
        Q(attended__isnull=True) | Q(attended=True))


def participants(meetup: Meetup) -> tuple[list[Employer], list[Candidate]]:
    """The employers and candidates who take part (two queries), sorted by name."""
    employers = list(Employer.objects.filter(
        pk__in=_employer_participations(meetup).values("employer_id")).order_by("name", "pk"))
    candidates = candidate_rows(Candidate.objects.filter(
        pk__in=_candidate_registrations(meetup).values("candidate_id")).order_by(
        "last_name", "first_name", "pk"))
    return employers, candidates


def _open_opportunities(employer_ids) -> dict[int, list[Opportunity]]:
    return opportunities_by_employer(Opportunity.objects.filter(
        employer_id__in=list(employer_ids), status=Opportunity.Status.OPEN).order_by("pk"))


def _check_plannable(meetup: Meetup) -> None:
    if meetup.status == Meetup.Status.CANCELLED:
        raise ValidationError(_("This meetup has been cancelled."))


@transaction.atomic
def make_table_plan(meetup_id: int, *, by) -> list[TableSeat]:
    """(Re)generate the whole plan from the current participants and their scores; replaces
    the seats there were. The candidates nobody could seat are in `table_plan().unseated`.
    Only the organiser and coordinators (PermissionDenied otherwise)."""
    meetup = lock_meetup(meetup_id)
    check_may_plan(by, meetup)
    _check_plannable(meetup)
    employers, candidates = participants(meetup)
    matrix = fit_matrix(employers, candidates, _open_opportunities(e.pk for e in employers))
    scores = {pair: result.points for pair, result in matrix.items()}
    plan = plan_rounds([e.pk for e in employers], [c.pk for c in candidates], scores,
                       meetup.rounds)
    TableSeat.objects.filter(meetup=meetup).delete()
    seats = [TableSeat(meetup=meetup, round_no=number, employer_id=employer_id,
                       candidate_id=candidate_id, score=scores.get((employer_id, candidate_id), 0))
             for number, seating in enumerate(plan, start=1)
             for employer_id, candidate_id in seating.items()]
    return TableSeat.objects.bulk_create(seats)


@transaction.atomic
def set_seat(meetup_id: int, *, round_no: int, employer_id: int, candidate_id: int | None,
             by) -> None:
    """Put a candidate at an employer's table in one round (None: leave the table empty).
    Refused, with nothing changed, when the candidate already sits elsewhere that round,
    already talks with this employer in another round, or does not take part. Only the
    organiser and coordinators, who see every name (PermissionDenied otherwise): a seat
    moves or displaces other people's candidates, so a colleague may not seat even their
    own; they ask the organiser."""
    meetup = lock_meetup(meetup_id)
    check_may_plan(by, meetup)
    _check_plannable(meetup)
    if not 1 <= round_no <= meetup.rounds:
        raise ValidationError(_("Choose a round from 1 to %(rounds)s.")
                              % {"rounds": meetup.rounds})
    employer = Employer.objects.filter(
        pk=employer_id, pk__in=_employer_participations(meetup).values("employer_id")).first()
    if employer is None:
        raise ValidationError(_("This employer does not take part in this meetup."))
    seats = TableSeat.objects.filter(meetup=meetup)
    if candidate_id is None:
        seats.filter(round_no=round_no, employer_id=employer_id).delete()
        return
    candidate = Candidate.objects.filter(
        pk=candidate_id,
        pk__in=_candidate_registrations(meetup).values("candidate_id")).first()
    if candidate is None:
        raise ValidationError(_("This candidate does not take part in this meetup."))
    elsewhere = seats.filter(round_no=round_no, candidate_id=candidate_id).exclude(
        employer_id=employer_id).select_related("employer").first()
    if elsewhere is not None:
        raise ValidationError(
            _("%(name)s already sits with %(employer)s in round %(round)s.")
            % {"name": candidate.full_name, "employer": elsewhere.employer.name,
               "round": round_no})
    earlier = seats.filter(candidate_id=candidate_id, employer_id=employer_id).exclude(
        round_no=round_no).first()
    if earlier is not None:
        raise ValidationError(
            _("%(name)s already talks with %(employer)s in round %(round)s.")
            % {"name": candidate.full_name, "employer": employer.name,
               "round": earlier.round_no})
    score = fit_for_employer(candidate, employer,
                             _open_opportunities([employer.pk]).get(employer.pk, [])).points
    seats.filter(round_no=round_no, employer_id=employer_id).delete()
    TableSeat.objects.create(meetup=meetup, round_no=round_no, employer=employer,
                             candidate=candidate, score=score)


# --- reading --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """One table in one round. `candidate` is None at an empty table and at a table whose
    candidate the viewer may not see by name (`taken` then says someone sits there)."""

    employer: Employer
    candidate: Candidate | None
    score: int | None
    taken: bool = False


@dataclass(frozen=True)
class Round:
    number: int
    tables: list[Table]


@dataclass(frozen=True)
class Schedule:
    """One candidate's evening: per round the employer (None: a break)."""

    candidate: Candidate
    rounds: list[tuple[int, Employer | None]]

    @property
    def conversations(self) -> int:
        return sum(1 for _number, employer in self.rounds if employer is not None)


@dataclass(frozen=True)
class TablePlanView:
    """The plan as one viewer may see it: `candidates`, `schedules` and `unseated` hold only
    the candidates whose name the viewer may see; the others count in `candidate_count` and
    `hidden_unseated` and sit at tables as `taken` without a name or number."""

    meetup: Meetup
    employers: list[Employer]
    candidates: list[Candidate]
    rounds: list[Round]
    schedules: list[Schedule]
    unseated: list[Candidate] = field(default_factory=list)
    has_plan: bool = False
    candidate_count: int = 0
    hidden_unseated: int = 0
    may_plan: bool = False

    @property
    def round_numbers(self) -> list[int]:
        return [r.number for r in self.rounds]

    @property
    def shown_ids(self) -> list[int]:
        """The candidates named on this plan (for the audit trail)."""
        return [c.pk for c in self.candidates]


def table_plan(meetup: Meetup, *, viewer) -> TablePlanView:
    """Rounds × employers with the candidate at each table, and each candidate's schedule,
    as `viewer` may see them (`selectors.names_shown`). Four queries (participating
    employers, candidates, seats, the viewer's portfolio) whatever the size. Seats of people
    who no longer take part (cancelled after the plan was made) are left out."""
    employers, candidates = participants(meetup)
    shown = names_shown(viewer, meetup, [c.pk for c in candidates])
    employer_by_id = {e.pk: e for e in employers}
    candidate_by_id = {c.pk: c for c in candidates}
    seats = {(s.round_no, s.employer_id): s for s in TableSeat.objects.filter(meetup=meetup)
             if s.employer_id in employer_by_id and s.candidate_id in candidate_by_id}
    numbers = range(1, meetup.rounds + 1)
    rounds = []
    where: dict[tuple[int, int], Employer] = {}
    for number in numbers:
        tables = []
        for employer in employers:
            seat = seats.get((number, employer.pk))
            if seat is None:
                tables.append(Table(employer, None, None))
                continue
            where[(seat.candidate_id, number)] = employer
            if seat.candidate_id in shown:
                tables.append(Table(employer, candidate_by_id[seat.candidate_id], seat.score,
                                    taken=True))
            else:
                tables.append(Table(employer, None, None, taken=True))
        rounds.append(Round(number, tables))
    seated = {candidate_id for candidate_id, _number in where}
    visible = [c for c in candidates if c.pk in shown]
    return TablePlanView(
        meetup=meetup, employers=employers, candidates=visible, rounds=rounds,
        schedules=[Schedule(c, [(n, where.get((c.pk, n))) for n in numbers])
                   for c in visible],
        has_plan=bool(seats), candidate_count=len(candidates),
        unseated=[c for c in visible if seats and c.pk not in seated],
        hidden_unseated=sum(1 for c in candidates
                            if seats and c.pk not in seated and c.pk not in shown),
        may_plan=sees_all_names(viewer, meetup) and meetup.status != Meetup.Status.CANCELLED)


def table_plan_pdf(meetup: Meetup, *, viewer) -> tuple[bytes, TablePlanView]:
    """The plan on paper (A4 landscape) as `viewer` may see it: the grid, then the schedule
    of every candidate they may see by name. Returns the PDF and the plan it shows."""
    plan = table_plan(meetup, viewer=viewer)
    html = render_to_string("matching_events/tableplan/pdf.html", {
        "plan": plan, "printed_at": timezone.localtime()})
    return html_to_pdf(html), plan
