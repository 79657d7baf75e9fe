"""Portal accounts of employers and candidates (optional: the portal works without them).

- An employer account is made by the relationship manager for one of the employer's contact
  persons (`invite_employer_user`); a candidate account by the candidate, from the "my
  registrations" page reached by a signed e-mail link (`create_candidate_user`): both prove
  that the e-mail address belongs to the person.
- The user gets a role (Werkgever or Kandidaat) and no usable password. After commit an e-mail
  brings a link to choose one: allauth's password reset "from key" page, with allauth's own
  token generator (the token depends on the password and the last login, so the link works
  once, and for PASSWORD_RESET_TIMEOUT).
"""

import logging
import re

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.services import create_user_with_role
from core.site import municipality_name, site_url
from relations.models import Candidate, ContactPerson, Employer

from ..models import CandidateAccount, EmployerAccount

logger = logging.getLogger(__name__)
MAIL_TEMPLATE = "matching_events/accounts/mail_set_password"


def set_password_url(user: User) -> str:
    """The absolute link (on the municipality's own host) to choose a password."""
    path = reverse("account_reset_password_from_key", urlconf=settings.ROOT_URLCONF, kwargs={
        "uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)})
    return site_url() + path


def send_set_password_mail(user_id: int, *, name: str = "", relationship_manager: str = ""
                           ) -> None:
    """The e-mail with the set-password link, in Dutch, text and HTML."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return  # gone, or the password was set meanwhile: the link would not work
    with translation.override("nl"):
        municipality = municipality_name()
        subject = _("Your account on the portal")
        context = {"name": name, "municipality": municipality, "subject": subject,
                   "relationship_manager": relationship_manager,
                   "url": set_password_url(user), "site_url": site_url() + "/",
                   "email": user.email}
        text = re.sub(r"\n{3,}", "\n\n", render_to_string(f"{MAIL_TEMPLATE}.txt", context))
        message = EmailMultiAlternatives(subject=f"{municipality}: {subject}",
                                         body=text.strip() + "\n", to=[user.email])
        message.attach_alternative(render_to_string(f"{MAIL_TEMPLATE}.html", context),
                                   "text/html")
    message.send()
    logger.info("set-password mail sent to user %s", user_id)


def _account_exists_error() -> ValidationError:
    return ValidationError(_("There is already an account with this e-mail address. Log in, "
                             "or choose “Forgot your password?” on the login page."),
                           code="account_exists")


def _new_portal_user(email: str, role: Role, *, first_name: str, last_name: str) -> User:
    """The user, or "account exists" when a parallel request (a double click, two
    colleagues at once) made one for this address first: User.email is unique, and the
    savepoint keeps the caller's transaction usable."""
    try:
        with transaction.atomic():
            return create_user_with_role(email, None, role, first_name=first_name,
                                         last_name=last_name)
    except IntegrityError:
        raise _account_exists_error() from None


def _split_name(name: str) -> tuple[str, str]:
    first, _space, last = name.strip().partition(" ")
    return first[:150], last.strip()[:150]


@transaction.atomic
def invite_employer_user(employer_id: int, contact_person_id: int, *, by) -> EmployerAccount:
    """A login for one contact person of the employer (role Werkgever), mailed after commit.

    Refused when the contact has no e-mail address or the address already has an account."""
    employer = Employer.objects.get(pk=employer_id)
    contact = ContactPerson.objects.get(pk=contact_person_id, employer=employer)
    if not contact.confirmed:
        raise ValidationError(_("Confirm this contact person first: they signed up on the "
                                "website and nobody has checked yet that they work here."),
                              code="unconfirmed")
    email = (contact.email or "").strip().lower()
    if not email:
        raise ValidationError(_("This contact person has no e-mail address. Add one first."),
                              code="no_email")
    if User.objects.filter(email__iexact=email).exists():
        raise _account_exists_error()
    first_name, last_name = _split_name(contact.name)
    user = _new_portal_user(email, Role.EMPLOYER, first_name=first_name,
                            last_name=last_name)
    account = EmployerAccount.objects.create(user=user, employer=employer, contact=contact,
                                             invited_by=by)
    manager = str(employer.owner or by or "")
    transaction.on_commit(lambda: send_set_password_mail(
        user.pk, name=contact.name, relationship_manager=manager), robust=True)
    return account


@transaction.atomic
def create_candidate_user(candidate_id: int) -> CandidateAccount:
    """A candidate's own login (role Kandidaat), after they proved their e-mail address by
    opening a signed link. The set-password mail goes out after commit."""
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("owner").get(
        pk=candidate_id)
    if CandidateAccount.objects.filter(candidate=candidate).exists():
        raise ValidationError(_("You already have an account. Log in with your e-mail "
                                "address."), code="has_account")
    email = (candidate.email or "").strip().lower()
    if not email:
        raise ValidationError(_("We have no e-mail address for you. Contact your "
                                "relationship manager."), code="no_email")
    if User.objects.filter(email__iexact=email).exists():
        raise _account_exists_error()
    user = _new_portal_user(email, Role.CANDIDATE, first_name=candidate.first_name,
                            last_name=candidate.last_name)
    account = CandidateAccount.objects.create(user=user, candidate=candidate)
    manager = str(candidate.owner or "")
    transaction.on_commit(lambda: send_set_password_mail(
        user.pk, name=candidate.first_name, relationship_manager=manager), robust=True)
    return account


def employer_of(user) -> Employer | None:
    """The employer a portal user acts for (None: no employer account)."""
    account = EmployerAccount.objects.select_related("employer").filter(
        user_id=getattr(user, "pk", None)).first()
    return account.employer if account else None


def candidate_of(user) -> Candidate | None:
    account = CandidateAccount.objects.select_related("candidate").filter(
        user_id=getattr(user, "pk", None)).first()
    return account.candidate if account else None


@transaction.atomic
def link_existing_users(*, employer_user, employer: Employer, candidate_user,
                        candidate: Candidate) -> None:
    """Link users that already exist (the demo's werkgever and kandidaat) to an employer and a
    candidate. Idempotent; no mail."""
    EmployerAccount.objects.get_or_create(user=employer_user, defaults={"employer": employer})
    if not CandidateAccount.objects.filter(candidate=candidate).exists():
        CandidateAccount.objects.get_or_create(user=candidate_user,
                                               defaults={"candidate": candidate})
