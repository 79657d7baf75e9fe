"""Registrations for a meetup: double opt-in, capacity, waiting list, self-cancellation.

Capacity is never exceeded: every change that can take or free a place locks the meetup row
(`SELECT ... FOR UPDATE`) inside one transaction, then counts the confirmed registrations. A
row lock lives in the municipality's own table, so municipalities never wait for each other.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from audit.services import record
from core.schemas import current_schema
from relations.models import Candidate
from relations.selectors import visible_candidates
from relations.services import create_candidate
from relations.validators import validate_phone

from .. import tokens
from ..models import Meetup, PracticalNeed, Registration
from ..notifications import notify
from ..selectors import check_name_visible, sees_all_names

MAX_NAME = 100


def lock_meetup(meetup_id: int) -> Meetup:
    """The meetup row, locked until the end of the transaction. Everything that takes or frees
    a place goes through here (the concurrency test swaps it for an unlocked read)."""
    return Meetup.objects.select_for_update().get(pk=meetup_id)


def confirmed_count(meetup: Meetup) -> int:
    return meetup.registrations.filter(status=Registration.Status.CONFIRMED).count()


def check_open_for_registration(meetup: Meetup) -> None:
    """Raise a Dutch ValidationError when no one can register (or confirm) now."""
    now = timezone.now()
    if meetup.status == Meetup.Status.CANCELLED:
        raise ValidationError(_("This meetup has been cancelled."), code="cancelled")
    if meetup.status == Meetup.Status.HELD or (meetup.starts_at and meetup.starts_at <= now):
        raise ValidationError(_("This meetup has already taken place."), code="past")
    if meetup.status not in Meetup.OPEN_STATES:
        raise ValidationError(_("Registration for this meetup is not open."), code="closed")
    if meetup.registration_deadline and meetup.registration_deadline < now:
        raise ValidationError(
            _("Registration closed on %(deadline)s.")
            % {"deadline": timezone.localtime(meetup.registration_deadline)
               .strftime("%d-%m-%Y %H:%M")}, code="deadline")


def _clean_needs(needs: Iterable[str]) -> list[str]:
    allowed = set(PracticalNeed.values)
    chosen = list(dict.fromkeys(needs))
    if any(need not in allowed for need in chosen):
        raise ValidationError({"needs": _("Choose the practical needs from the list.")})
    return chosen


def _already_registered() -> ValidationError:
    return ValidationError(
        _("You are already registered for this meetup. The e-mail we sent you has a link "
          "to your registration."), code="twice")


# --- placing and freeing places (always under the meetup lock) ------------------------------

def _sync_full(meetup: Meetup, confirmed: int) -> None:
    """PUBLISHED <-> FULL follows the number of confirmed places."""
    if meetup.status in Meetup.OPEN_STATES:
        status = Meetup.Status.FULL if confirmed >= meetup.capacity else Meetup.Status.PUBLISHED
        if status != meetup.status:
            meetup.status = status
            meetup.save(update_fields=["status", "updated_at"])


def _place(meetup: Meetup, registration: Registration) -> None:
    """Confirm when a place is free, else the end of the waiting list. Caller holds the lock."""
    now = timezone.now()
    confirmed = confirmed_count(meetup)
    registration.confirmed_at = now
    if confirmed < meetup.capacity:
        registration.status = Registration.Status.CONFIRMED
        registration.waiting_since = None
        confirmed += 1
        notify("registration_confirmed", registration.pk,
               f"registration_confirmed:{registration.pk}:{registration.link_key}")
    else:
        registration.status = Registration.Status.WAITING
        registration.waiting_since = now
        notify("registration_waiting", registration.pk,
               f"registration_waiting:{registration.pk}:{registration.link_key}")
    registration.save(update_fields=["status", "confirmed_at", "waiting_since"])
    _sync_full(meetup, confirmed)


def promote_from_waiting_list(meetup: Meetup) -> list[Registration]:
    """Fill free places from the waiting list, first come first served. Caller holds the lock."""
    confirmed = confirmed_count(meetup)
    free = meetup.capacity - confirmed
    promoted = []
    if free > 0 and meetup.status in Meetup.OPEN_STATES:
        waiting = list(meetup.registrations.filter(status=Registration.Status.WAITING)
                       .order_by("waiting_since", "pk")[:free])
        for registration in waiting:
            registration.status = Registration.Status.CONFIRMED
            registration.waiting_since = None
            registration.save(update_fields=["status", "waiting_since"])
            notify("registration_promoted", registration.pk,
                   f"registration_promoted:{registration.pk}:{registration.link_key}")
            promoted.append(registration)
        confirmed += len(promoted)
    _sync_full(meetup, confirmed)
    return promoted


def _cancel(meetup: Meetup, registration: Registration) -> None:
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration was already cancelled."), code="reused")
    if meetup.status == Meetup.Status.HELD or (
            meetup.starts_at and meetup.starts_at <= timezone.now()):
        raise ValidationError(_("This meetup has already taken place."), code="past")
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.waiting_since = None
    registration.save(update_fields=["status", "cancelled_at", "waiting_since"])
    notify("registration_cancelled", registration.pk,
           f"registration_cancelled:{registration.pk}:{registration.link_key}")
    promote_from_waiting_list(meetup)


# --- portal: self-registration with double opt-in -------------------------------------------

def normalise_email(email: str) -> str:
    """The form of an address the uniqueness rules compare: stripped, lower case."""
    return email.strip().lower()


def email_key(email: str) -> str:
    """What `Registration.email_key` holds: a keyed hash of the normalised address, salted
    with the municipality's schema (the same address gives unrelated keys elsewhere)."""
    return salted_hmac(f"werktop.registration-email.{current_schema()}",
                       normalise_email(email), algorithm="sha256").hexdigest()


def _known_candidate(email: str) -> Candidate | None:
    return (Candidate.objects.filter(email__iexact=normalise_email(email))
            .exclude(status=Candidate.Status.CLOSED).order_by("pk").first())


def _find_or_create_candidate(*, first_name: str, last_name: str, email: str, phone: str,
                              interests: str, owner) -> tuple[Candidate, bool]:
    """The open candidate file of this address (the oldest, when staff made several), or a
    new one. Two submits of one address at the same moment both miss the lookup; the
    database lets only one portal file per address in (candidate_portal_email_unique), and
    the other finds that one: it waits on the unique index until the first commits."""
    candidate = _known_candidate(email)
    if candidate is not None:
        return candidate, False
    try:
        with transaction.atomic():  # a savepoint: the loser of the race carries on
            return create_candidate(
                by=None, first_name=first_name, last_name=last_name, email=email,
                phone=phone, interests=interests, owner=owner,
                status=Candidate.Status.INTAKE, source=Candidate.Source.PORTAL), True
    except (IntegrityError, ValidationError):
        # IntegrityError: the other insert committed while ours waited on the index;
        # ValidationError: it committed before full_clean() looked. Anything else re-raises.
        candidate = _known_candidate(email)
        if candidate is None:
            raise
        return candidate, False


def _clean_person(first_name: str, last_name: str, email: str, phone: str) -> dict[str, str]:
    errors = {}
    first_name, last_name = first_name.strip(), last_name.strip()
    email, phone = email.strip(), phone.strip()
    if not first_name:
        errors["first_name"] = _("Fill in your first name.")
    if not last_name:
        errors["last_name"] = _("Fill in your last name.")
    if len(first_name) > MAX_NAME or len(last_name) > MAX_NAME:
        errors["last_name"] = _("A name can be at most %(max)d characters.") % {"max": MAX_NAME}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Fill in a valid e-mail address, like naam@voorbeeld.nl.")
    if len(phone) > 30:
        errors["phone"] = _("A phone number can be at most 30 characters.")
    else:
        try:
            validate_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return {"first_name": first_name, "last_name": last_name, "email": email, "phone": phone}


@transaction.atomic
def register_for_meetup(meetup_id: int, *, first_name: str, last_name: str, email: str,
                        phone: str = "", interests: str = "", needs: Iterable[str] = (),
                        needs_note: str = "", waiting_list: bool = False) -> Registration:
    """Self-registration on the portal. The registration waits for the e-mail address to be
    confirmed (double opt-in); only then does it take a place or join the waiting list.
    For a meetup that is already full the person must say yes to the waiting list."""
    person = _clean_person(first_name, last_name, email, phone)
    chosen_needs = _clean_needs(needs)
    if len(interests) > 500 or len(needs_note) > 500:
        raise ValidationError(_("Keep it short: at most 500 characters."))
    meetup = Meetup.objects.get(pk=meetup_id)
    check_open_for_registration(meetup)
    if meetup.status == Meetup.Status.FULL and not waiting_list:
        raise ValidationError(_("This meetup is full. You can join the waiting list: you get "
                                "a place as soon as someone cancels."), code="full")
    candidate, created = _find_or_create_candidate(
        interests=interests, owner=meetup.organiser, **person)
    registration = Registration.objects.filter(meetup=meetup, candidate=candidate).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        raise _already_registered()
    if registration is None:
        registration = Registration(meetup=meetup, candidate=candidate,
                                    created_candidate=created)
    else:  # registering again after cancelling: a fresh start, old links stop working
        registration.link_key = registration._meta.get_field("link_key").default()
        registration.cancelled_at = registration.confirmed_at = None
    registration.status = Registration.Status.PENDING
    registration.source = Registration.Source.PORTAL
    registration.email_key = email_key(person["email"])
    registration.needs, registration.needs_note = chosen_needs, needs_note.strip()
    registration.interests = interests.strip()
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        # The same address, twice at the same moment (registration_once or
        # registration_portal_email_once): the whole registration rolls back, and the visitor
        # gets the answer of a repeated registration, which the portal shows exactly like a
        # new one ("check your e-mail"), so it reveals nothing.
        raise _already_registered() from error
    notify("registration_confirm_request", registration.pk,
           f"registration_confirm_request:{registration.pk}:{registration.link_key}")
    return registration


def lock_registration(registration_id: int) -> Registration | None:
    """The registration and its meetup, both rows locked until the end of the transaction, in
    one query (FOR UPDATE on a join locks the joined rows too). The link services take places
    through here (the concurrency test swaps it for an unlocked read)."""
    return (Registration.objects.select_related("meetup").select_for_update()
            .filter(pk=registration_id).first())


def _registration_from_link(purpose: str, token: str, max_age) -> tuple[Meetup, Registration]:
    link = tokens.read_token(purpose, token, max_age)
    registration = lock_registration(link.pk)
    if registration is None:
        raise tokens.LinkError(_("This registration no longer exists."))
    if str(registration.link_key) != link.key:
        raise tokens.no_longer_valid()
    return registration.meetup, registration


def registration_from_link(purpose: str, token: str) -> Registration:
    """Read-only: the registration a manage link points to (LinkError when it does not)."""
    link = tokens.read_token(purpose, token)
    registration = (Registration.objects.select_related("meetup", "candidate")
                    .filter(pk=link.pk).first())
    if registration is None or str(registration.link_key) != link.key:
        raise tokens.no_longer_valid()
    return registration


@transaction.atomic
def confirm_registration(token: str) -> Registration:
    """The confirmation link: takes a place, or a place on the waiting list."""
    meetup, registration = _registration_from_link(
        tokens.CONFIRM, token, tokens.CONFIRM_MAX_AGE)
    if registration.status != Registration.Status.PENDING:
        raise tokens.LinkError(_("You already used this link: your registration is %(status)s.")
                               % {"status": registration.get_status_display()})
    try:
        check_open_for_registration(meetup)
    except ValidationError as error:
        raise tokens.LinkError(error.messages[0]) from error
    _place(meetup, registration)
    return registration


@transaction.atomic
def cancel_registration(token: str) -> Registration:
    """The cancellation link in the e-mails: frees the place for the waiting list."""
    meetup, registration = _registration_from_link(tokens.MANAGE, token, tokens.MANAGE_MAX_AGE)
    try:
        _cancel(meetup, registration)
    except ValidationError as error:
        raise tokens.LinkError(error.messages[0]) from error
    return registration


# --- workspace: the relationship manager invites and manages --------------------------------

@transaction.atomic
def invite_candidate(meetup_id: int, candidate_id: int, *, by, needs: Iterable[str] = (),
                     needs_note: str = "") -> Registration:
    """Invite a candidate; the invitation e-mail asks them to confirm. Without an e-mail
    address the manager confirms on their behalf (`confirm_on_behalf`)."""
    meetup = Meetup.objects.get(pk=meetup_id)
    if meetup.status == Meetup.Status.DRAFT:
        pass  # inviting before publishing is allowed: the invitation goes out now
    elif meetup.status not in Meetup.OPEN_STATES:
        check_open_for_registration(meetup)
    if meetup.starts_at and meetup.starts_at <= timezone.now():
        raise ValidationError(_("This meetup has already taken place."), code="past")
    candidate = Candidate.objects.get(pk=candidate_id)
    if by is not None and not (by.has_perm("accounts.view_all_candidates")
                               or visible_candidates(by).filter(pk=candidate_id).exists()):
        raise PermissionDenied  # only one's own (or shared) candidates; coordinators: all
    registration = Registration.objects.filter(meetup=meetup, candidate=candidate).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        raise ValidationError(_("%(name)s is already invited for this meetup.")
                              % {"name": candidate.full_name}, code="twice")
    if registration is None:
        registration = Registration(meetup=meetup, candidate=candidate)
    else:
        registration.link_key = registration._meta.get_field("link_key").default()
        registration.cancelled_at = registration.confirmed_at = None
    registration.status = Registration.Status.PENDING
    registration.source = Registration.Source.INVITED
    registration.needs, registration.needs_note = _clean_needs(needs), needs_note.strip()
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise ValidationError(_("%(name)s is already invited for this meetup.")
                              % {"name": candidate.full_name}, code="twice") from error
    if candidate.email:
        notify("candidate_invitation", registration.pk,
               f"candidate_invitation:{registration.pk}:{registration.link_key}")
    return registration


def _locked_registration(registration_id: int) -> tuple[Meetup, Registration]:
    meetup_id = Registration.objects.values_list("meetup_id", flat=True).get(pk=registration_id)
    meetup = lock_meetup(meetup_id)
    return meetup, Registration.objects.select_for_update(of=("self",)).get(pk=registration_id)


@transaction.atomic
def confirm_on_behalf(registration_id: int, *, by) -> Registration:
    """The candidate said yes by phone or in person."""
    meetup, registration = _locked_registration(registration_id)
    if by is not None:
        check_name_visible(by, meetup, registration.candidate_id)
    if registration.status != Registration.Status.PENDING:
        raise ValidationError(_("This registration is already %(status)s.")
                              % {"status": registration.get_status_display()})
    check_open_for_registration(meetup)
    _place(meetup, registration)
    return registration


@transaction.atomic
def cancel_on_behalf(registration_id: int, *, by) -> Registration:
    """The candidate cannot come (told their relationship manager or the organiser)."""
    meetup, registration = _locked_registration(registration_id)
    if by is not None:
        check_name_visible(by, meetup, registration.candidate_id)
    _cancel(meetup, registration)
    return registration


@transaction.atomic
def change_capacity(meetup_id: int, capacity: int, *, by) -> Meetup:
    """More places move the waiting list up; fewer than already confirmed is refused."""
    meetup = lock_meetup(meetup_id)
    if by is not None and not sees_all_names(by, meetup):
        raise PermissionDenied  # the organiser's and coordinators' decision
    confirmed = confirmed_count(meetup)
    if capacity < 1:
        raise ValidationError({"capacity": _("A meetup needs at least one place.")})
    if capacity < confirmed:
        raise ValidationError({"capacity": _(
            "%(count)d candidates are already confirmed; cancel registrations first or keep "
            "at least %(count)d places.") % {"count": confirmed}})
    meetup.capacity = capacity
    meetup.save(update_fields=["capacity", "updated_at"])
    promote_from_waiting_list(meetup)
    return meetup


def expire_unconfirmed(older_than=tokens.CONFIRM_MAX_AGE) -> int:
    """Registrations never confirmed go away; a candidate record made by such a registration
    (and nothing else) is erased with it. Returns the number removed."""
    cutoff = timezone.now() - older_than
    stale = Registration.objects.filter(status=Registration.Status.PENDING, created_at__lt=cutoff)
    removed = 0
    for registration in stale.select_related("candidate"):
        with transaction.atomic():
            candidate = registration.candidate
            registration.delete()
            removed += 1
            if registration.created_candidate and not candidate.registrations.filter(
                    ~Q(status=Registration.Status.PENDING)).exists() and (
                    candidate.status == Candidate.Status.INTAKE):
                erased_pk = candidate.pk
                candidate.delete()
                record("erase", "candidate", erased_pk, detail="inschrijving niet bevestigd")
    return removed
