"""The links in e-mails, made and read back: manage a registration, answer an invitation, and
"my registrations" of a candidate (see `tokens` for how they are signed)."""

import hashlib

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from relations.models import Candidate

from . import tokens
from .models import MeetupEmployer, Registration


def confirm_token(registration: Registration) -> str:
    return tokens.make_token(tokens.CONFIRM, registration.pk, registration.link_key)


def manage_token(registration: Registration) -> str:
    return tokens.make_token(tokens.MANAGE, registration.pk, registration.link_key)


def employer_token(participation: MeetupEmployer) -> str:
    return tokens.make_token(tokens.EMPLOYER, participation.pk, participation.link_key)


def manage_path(registration: Registration) -> str:
    return reverse("meetups_public:manage", args=[manage_token(registration)])


def _email_key(email: str) -> str:
    """A changed e-mail address ends the old "my registrations" links."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def my_registrations_token(candidate: Candidate) -> str:
    """The link to all registrations of a candidate; works as long as the e-mail address is
    the same (and for `tokens.MANAGE_MAX_AGE`)."""
    return tokens.make_token(tokens.MINE, candidate.pk, _email_key(candidate.email))


def my_registrations_path(candidate: Candidate) -> str:
    return reverse("meetups_public:mine", args=[my_registrations_token(candidate)])


def candidate_from_my_registrations_token(token: str) -> Candidate:
    """The candidate of a "my registrations" link; LinkError when forged, expired, or the
    candidate is gone or has another e-mail address now."""
    link = tokens.read_token(tokens.MINE, token)
    candidate = Candidate.objects.filter(pk=link.pk).exclude(email="").first()
    if candidate is None:
        raise tokens.LinkError(_("We could not find your registrations. Contact your "
                                 "relationship manager."))
    if _email_key(candidate.email) != link.key:
        raise tokens.no_longer_valid()
    return candidate


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    since = registration.waiting_since
    ahead = Registration.objects.filter(
        Q(waiting_since__lt=since) | Q(waiting_since=since, pk__lt=registration.pk),
        meetup_id=registration.meetup_id, status=Registration.Status.WAITING).count()
    return ahead + 1
