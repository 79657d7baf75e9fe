"""Meetups: create, publish, cancel, hold; invite employers; choose the date with them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from relations import services as relations_services
from relations.models import Employer
from relations.services import confirmed_contacts

from .. import tokens
from ..models import (
    DateAnswer,
    EmployerAccount,
    Meetup,
    MeetupEmployer,
    ProposedDate,
    Registration,
)
from ..notifications import notify
from ..selectors import sees_all_names
from .registrations import change_capacity, lock_meetup, promote_from_waiting_list

EDITABLE = ("title", "theme", "sector", "description", "starts_at", "duration_minutes",
            "round_minutes", "location_name", "address", "accessibility_notes", "online_link",
            "registration_deadline")


def _check_times(meetup: Meetup, *, date_chosen: bool) -> None:
    """`date_chosen`: the date is being set now (new, moved, or published), so it must lie
    ahead; other edits of a meetup under way leave its date alone."""
    errors = {}
    if date_chosen and meetup.starts_at and meetup.starts_at <= timezone.now():
        errors["starts_at"] = _("Choose a date and time in the future.")
    if meetup.registration_deadline:
        if meetup.starts_at and meetup.registration_deadline > meetup.starts_at:
            errors["registration_deadline"] = _("Registration must close before the meetup "
                                                "starts.")
    if meetup.round_minutes > meetup.duration_minutes:
        errors["round_minutes"] = _("One conversation cannot take longer than the meetup.")
    if errors:
        raise ValidationError(errors)


def _check_place(meetup: Meetup) -> None:
    if not (meetup.address or meetup.online_link):
        raise ValidationError({"address": _("Fill in an address or an online link.")})


@transaction.atomic
def create_meetup(*, by, **fields: Any) -> Meetup:
    meetup = Meetup(organiser=fields.pop("organiser", by), **fields)
    meetup.status = Meetup.Status.DRAFT
    meetup.full_clean()
    _check_times(meetup, date_chosen=True)
    meetup.save()
    return meetup


def check_may_manage(meetup: Meetup, by) -> None:
    """Changing a meetup itself (details, publishing, cancelling, dates, employers) is for its
    organiser and the coordinators: it e-mails everyone invited, also other portfolios'
    candidates. `by=None`: the platform itself (demo loader, tasks)."""
    if by is not None and not sees_all_names(by, meetup):
        raise PermissionDenied


@transaction.atomic
def update_meetup(meetup_id: int, *, by, **changes: Any) -> Meetup:
    meetup = lock_meetup(meetup_id)
    check_may_manage(meetup, by)
    if meetup.status in (Meetup.Status.HELD, Meetup.Status.CANCELLED):
        raise ValidationError(_("A meetup that took place or was cancelled cannot be changed."))
    moved = "starts_at" in changes and changes["starts_at"] != meetup.starts_at
    capacity = changes.pop("capacity", None)
    unknown = set(changes) - set(EDITABLE) - {"organiser"}
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(meetup, field, value)
    meetup.full_clean()
    _check_times(meetup, date_chosen=moved)
    if meetup.status in Meetup.OPEN_STATES:
        _check_place(meetup)
        if meetup.starts_at is None:
            raise ValidationError({"starts_at": _("A published meetup needs a date.")})
    meetup.save()
    if capacity is not None and capacity != meetup.capacity:
        meetup = change_capacity(meetup.pk, capacity, by=by)
    if moved and meetup.status in Meetup.OPEN_STATES:
        _tell_everyone(meetup, "meetup_changed", f"{meetup.starts_at:%Y%m%d%H%M}")
    return meetup


def _tell_everyone(meetup: Meetup, kind: str, version: str) -> None:
    for pk in meetup.registrations.filter(
            status__in=Registration.ACTIVE).values_list("pk", flat=True):
        notify(f"{kind}_candidate", pk, f"{kind}_candidate:{pk}:{version}")
    for pk in meetup.employers.exclude(
            status=MeetupEmployer.Status.DECLINED).values_list("pk", flat=True):
        notify(f"{kind}_employer", pk, f"{kind}_employer:{pk}:{version}")


@transaction.atomic
def publish_meetup(meetup_id: int, *, by) -> Meetup:
    meetup = lock_meetup(meetup_id)
    check_may_manage(meetup, by)
    if meetup.status != Meetup.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    if meetup.starts_at is None:
        raise ValidationError({"starts_at": _("Choose the date before publishing.")})
    _check_place(meetup)
    _check_times(meetup, date_chosen=True)
    meetup.status = Meetup.Status.PUBLISHED
    meetup.save(update_fields=["status", "updated_at"])
    promote_from_waiting_list(meetup)  # sets FULL when invitations already fill it
    return meetup


@transaction.atomic
def cancel_meetup(meetup_id: int, *, by, reason: str = "") -> Meetup:
    meetup = lock_meetup(meetup_id)
    check_may_manage(meetup, by)
    if meetup.status in (Meetup.Status.HELD, Meetup.Status.CANCELLED):
        raise ValidationError(_("This meetup was already %(status)s.")
                              % {"status": meetup.get_status_display()})
    was_public = meetup.status in Meetup.OPEN_STATES
    meetup.status = Meetup.Status.CANCELLED
    meetup.save(update_fields=["status", "updated_at"])
    if was_public:
        _tell_everyone(meetup, "meetup_cancelled", "1")
    return meetup


@transaction.atomic
def mark_held(meetup_id: int, *, by) -> Meetup:
    meetup = lock_meetup(meetup_id)
    check_may_manage(meetup, by)
    if meetup.status not in Meetup.OPEN_STATES:
        raise ValidationError(_("Only a published meetup can be marked as held."))
    if meetup.starts_at is None or meetup.starts_at > timezone.now():
        raise ValidationError(_("The meetup has not started yet."))
    meetup.status = Meetup.Status.HELD
    meetup.save(update_fields=["status", "updated_at"])
    for pk in meetup.registrations.filter(attended=True).values_list("pk", flat=True):
        notify("survey_candidate", pk)
    for pk in meetup.employers.filter(attended=True).values_list("pk", flat=True):
        notify("survey_employer", pk)
    return meetup


# --- employers ------------------------------------------------------------------------------

@transaction.atomic
def invite_employers(meetup_id: int, employer_ids: Iterable[int], *, by) -> list[MeetupEmployer]:
    meetup = Meetup.objects.get(pk=meetup_id)
    check_may_manage(meetup, by)
    if meetup.status in (Meetup.Status.HELD, Meetup.Status.CANCELLED):
        raise ValidationError(_("A meetup that took place or was cancelled cannot be changed."))
    invited = []
    already = set(meetup.employers.values_list("employer_id", flat=True))
    for employer in Employer.objects.filter(pk__in=list(employer_ids)):
        if employer.pk in already:
            raise ValidationError(_("%(name)s is already invited.") % {"name": employer.name})
        # Never an unconfirmed contact from the public form: they get nothing.
        contact = confirmed_contacts(employer).exclude(email="").first()
        try:
            with transaction.atomic():
                participation = MeetupEmployer.objects.create(
                    meetup=meetup, employer=employer, contact=contact)
        except IntegrityError as error:
            raise ValidationError(
                _("%(name)s is already invited.") % {"name": employer.name}) from error
        if contact is not None:
            notify("employer_invitation", participation.pk,
                   f"employer_invitation:{participation.pk}:{participation.link_key}")
        invited.append(participation)
    return invited


@transaction.atomic
def confirm_employer_contact(person_id: int, *, by) -> list[MeetupEmployer]:
    """Confirm a contact person who signed up on the website; open invitations of their
    employer that had nobody to go to (the contact was unconfirmed then) go to them now.
    Returns those invitations."""
    person = relations_services.confirm_contact_person(person_id, by=by)
    if not person.email:
        return []
    waiting = list(MeetupEmployer.objects.select_for_update(of=("self",)).filter(
        employer_id=person.employer_id, contact__isnull=True,
        status=MeetupEmployer.Status.INVITED).exclude(
        meetup__status__in=(Meetup.Status.HELD, Meetup.Status.CANCELLED)).exclude(
        meetup__starts_at__lte=timezone.now()))
    for participation in waiting:
        participation.contact = person
        participation.save(update_fields=["contact"])
        notify("employer_invitation", participation.pk,
               f"employer_invitation:{participation.pk}:{participation.link_key}")
    return waiting


def participation_from_link(token: str) -> MeetupEmployer:
    link = tokens.read_token(tokens.EMPLOYER, token)
    participation = (MeetupEmployer.objects.select_related("meetup", "employer")
                     .filter(pk=link.pk).first())
    if participation is None:
        raise tokens.LinkError(_("This invitation no longer exists."))
    if str(participation.link_key) != link.key:
        raise tokens.no_longer_valid()
    return participation


@transaction.atomic
def answer_invitation(token: str, *, coming: bool, suitable_dates: Iterable[int] = ()
                      ) -> MeetupEmployer:
    """An employer answers through the link: which proposed dates suit (while the date is
    open), and whether they come."""
    participation = participation_from_link(token)
    meetup = participation.meetup
    if meetup.status in (Meetup.Status.HELD, Meetup.Status.CANCELLED) or (
            meetup.starts_at and meetup.starts_at <= timezone.now()):
        raise tokens.LinkError(_("This meetup has already taken place or was cancelled."))
    if meetup.starts_at is None:
        chosen = set(suitable_dates)
        proposals = list(meetup.proposed_dates.all())
        if chosen - {p.pk for p in proposals}:
            raise ValidationError(_("Choose the dates from the list."))
        for proposal in proposals:
            DateAnswer.objects.update_or_create(
                proposed_date=proposal, participation=participation,
                defaults={"suits": proposal.pk in chosen})
        coming = coming and bool(chosen)
    participation.status = (MeetupEmployer.Status.CONFIRMED if coming
                            else MeetupEmployer.Status.DECLINED)
    participation.answered_at = timezone.now()
    participation.save(update_fields=["status", "answered_at"])
    return participation


@transaction.atomic
def set_employer_status(participation_id: int, status: str, *, by) -> MeetupEmployer:
    """The organiser or a coordinator records the answer (given by phone); the employer's own
    portal account answers for itself."""
    participation = MeetupEmployer.objects.select_for_update().get(pk=participation_id)
    if by is None or not EmployerAccount.objects.filter(
            user=by, employer_id=participation.employer_id).exists():
        check_may_manage(participation.meetup, by)
    if status not in MeetupEmployer.Status.values:
        raise ValidationError(_("Choose invited, confirmed or declined."))
    participation.status = status
    participation.answered_at = timezone.now()
    participation.save(update_fields=["status", "answered_at"])
    return participation


# --- scheduling -----------------------------------------------------------------------------

@transaction.atomic
def propose_dates(meetup_id: int, dates: Iterable[datetime], *, by) -> list[ProposedDate]:
    """Two to four dates in the future; replaces earlier proposals (and their answers)."""
    meetup = lock_meetup(meetup_id)
    check_may_manage(meetup, by)
    if meetup.status != Meetup.Status.DRAFT:
        raise ValidationError(_("Dates can be proposed only while the meetup is a draft."))
    chosen = sorted(set(dates))
    if not 2 <= len(chosen) <= 4:
        raise ValidationError(_("Propose two to four different dates."))
    if any(timezone.is_naive(d) for d in chosen):
        raise ValueError("proposed dates must be aware")
    if chosen[0] <= timezone.now():
        raise ValidationError(_("Propose dates in the future."))
    meetup.proposed_dates.all().delete()
    proposals = [ProposedDate.objects.create(meetup=meetup, starts_at=d) for d in chosen]
    for participation in meetup.employers.exclude(status=MeetupEmployer.Status.DECLINED):
        if participation.contact_id:
            notify("employer_dates", participation.pk,
                   f"employer_dates:{participation.pk}:{chosen[0]:%Y%m%d%H%M}")
    return proposals


@dataclass(frozen=True)
class DateResult:
    proposal: ProposedDate
    suits: int
    employers: list[str]
    clashes: list[Meetup]


def clashes(meetup: Meetup, starts_at: datetime) -> list[Meetup]:
    """The organiser's other meetups (not cancelled) that overlap this time."""
    ends_at = starts_at + timedelta(minutes=meetup.duration_minutes)
    others = (Meetup.objects.filter(organiser_id=meetup.organiser_id, starts_at__isnull=False,
                                    starts_at__lt=ends_at)
              .exclude(pk=meetup.pk).exclude(status=Meetup.Status.CANCELLED))
    return [m for m in others if m.ends_at > starts_at]


def date_results(meetup: Meetup) -> list[DateResult]:
    """Proposed dates, most suitable first (then earliest), with the clash warnings."""
    proposals = (meetup.proposed_dates.annotate(
        suits=Count("answers", filter=Q(answers__suits=True))).order_by("-suits", "starts_at"))
    names: dict[int, list[str]] = {}
    for pk, name in DateAnswer.objects.filter(
            proposed_date__meetup=meetup, suits=True).values_list(
            "proposed_date_id", "participation__employer__name"):
        names.setdefault(pk, []).append(name)
    return [DateResult(p, p.suits, sorted(names.get(p.pk, [])), clashes(meetup, p.starts_at))
            for p in proposals]


@transaction.atomic
def choose_date(meetup_id: int, proposal_id: int, *, by) -> Meetup:
    meetup = lock_meetup(meetup_id)
    check_may_manage(meetup, by)
    proposal = meetup.proposed_dates.filter(pk=proposal_id).first()
    if proposal is None:
        raise ValidationError(_("Choose one of the proposed dates."))
    if proposal.starts_at <= timezone.now():
        raise ValidationError(_("This date has passed; propose new dates."))
    meetup.starts_at = proposal.starts_at
    meetup.save(update_fields=["starts_at", "updated_at"])
    for participation in meetup.employers.exclude(status=MeetupEmployer.Status.DECLINED):
        suits = DateAnswer.objects.filter(participation=participation, proposed_date=proposal,
                                          suits=True).exists()
        participation.status = (MeetupEmployer.Status.CONFIRMED if suits
                                else MeetupEmployer.Status.INVITED)
        participation.save(update_fields=["status"])
        if participation.contact_id:
            notify("employer_date_chosen", participation.pk,
                   f"employer_date_chosen:{participation.pk}:{proposal.starts_at:%Y%m%d%H%M}")
    return meetup
