""""Doe mee als ondernemer": an employer signs up on the public portal with an opportunity.

The form is anonymous: anyone can type any company's KvK number. So an existing employer's
data is never changed from here; only a new contact person (matched on e-mail address) and the
opportunity are added, and a relationship manager is assigned when the employer has none.
The opportunity waits for review; `post_opportunity` notifies the relationship manager.

The contact person is added *unconfirmed* (also with a new employer: a KvK number is public,
and someone could sign up a company they do not work for): they receive no invitation, no
introduction and no portal account until the relationship manager confirms them
(`relations.services.confirm_contact_person`, a button on the employer page; a next action in
their "my day" asks for it). The visitor gets the same answer whether the KvK number was known
or not: every field is validated the same way in both cases, and the thank-you page shows only
what they typed.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, group_name
from relations import services as relations
from relations.models import ContactPerson, Employer
from relations.validators import normalise_kvk

from ..models import Opportunity
from .opportunities import post_opportunity

# What the form may set on the opportunity.
OPPORTUNITY_FIELDS = ("kind", "title", "description", "hours_per_week", "publish_on_portal")


@dataclass(frozen=True)
class SignUp:
    employer: Employer
    opportunity: Opportunity
    created_employer: bool
    created_contact: bool


def relationship_managers():
    """Active users with the Relatiemanager role, each with `employer_count`."""
    return (User.objects.filter(is_active=True,
                                groups__name=group_name(Role.RELATIONSHIP_MANAGER))
            .annotate(employer_count=Count("employers", distinct=True)))


def choose_relationship_manager(sector: str) -> User | None:
    """Who gets a new employer: the relationship manager owning most employers of the sector
    (ties: fewest employers overall, then the oldest account); without one, round-robin: the
    relationship manager with the fewest employers (ties: the oldest account)."""
    managers = relationship_managers()
    if sector:
        by_sector = (managers.annotate(sector_count=Count(
            "employers", filter=Q(employers__sector=sector), distinct=True))
            .filter(sector_count__gt=0)
            .order_by("-sector_count", "employer_count", "pk").first())
        if by_sector is not None:
            return by_sector
    return managers.order_by("employer_count", "pk").first()


def _validate_like_a_new_employer(*, name: str, kvk_number: str, sector: str, postcode: str,
                                  contact: dict[str, Any]) -> None:
    """The errors a new employer would get, also for a known KvK number: a different answer
    would tell the visitor which companies the municipality works with."""
    errors: dict[str, list[str]] = {}
    employer = Employer(name=name, kvk_number=kvk_number, sector=sector, postcode=postcode,
                        status=Employer.Status.PROSPECT)
    relations.normalise_employer(employer)
    try:
        employer.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        ContactPerson(**contact).full_clean(exclude=["employer"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _find_or_create_employer(*, name: str, kvk_number: str, sector: str, postcode: str,
                             contact: dict[str, Any]) -> tuple[Employer, bool]:
    existing = Employer.objects.select_for_update().filter(kvk_number=kvk_number).first()
    if existing is not None:
        return existing, False
    fields = {"name": name, "kvk_number": kvk_number, "sector": sector, "postcode": postcode,
              "status": Employer.Status.PROSPECT,
              "owner": choose_relationship_manager(sector)}
    try:
        with transaction.atomic():  # a savepoint: a parallel sign-up may create it first
            return relations.create_employer(by=None, contacts=[contact], **fields), True
    except IntegrityError:
        return Employer.objects.select_for_update().get(kvk_number=kvk_number), False


def _add_contact_if_new(employer: Employer, contact: dict[str, Any]) -> bool:
    email = contact["email"].strip()
    if ContactPerson.objects.filter(employer=employer, email__iexact=email).exists():
        return False  # known: keep what the relationship manager has
    relations.add_contact_person(employer, **contact)
    return True


@transaction.atomic
def sign_up_employer(*, company_name: str, kvk_number: str, sector: str, postcode: str,
                     contact_name: str, email: str, phone: str = "",
                     **opportunity: Any) -> SignUp:
    """Find the employer by KvK number or create it (a prospect), with the contact person;
    give it a relationship manager if it has none; post the opportunity for review.

    Raises ValidationError (field names of the models: name, kvk_number, email, title, ...)
    and then stores nothing."""
    unknown = set(opportunity) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise ValueError(f"not allowed: {sorted(unknown)}")
    contact = {"name": contact_name.strip(), "email": email.strip(), "phone": phone.strip(),
               "confirmed": False}
    company = {"name": company_name.strip(), "kvk_number": normalise_kvk(kvk_number),
               "sector": sector, "postcode": postcode}
    _validate_like_a_new_employer(**company, contact=contact)
    employer, created = _find_or_create_employer(**company, contact=contact)
    created_contact = created or _add_contact_if_new(employer, contact)
    if employer.owner_id is None:
        manager = choose_relationship_manager(employer.sector or sector)
        if manager is not None:
            employer = relations.update_employer(employer.pk, by=None, expected_version=None,
                                                 owner=manager)
    posted = post_opportunity(employer.pk, by=None, sector=sector, postcode=postcode,
                              **opportunity)
    if created_contact and employer.owner_id is not None:
        relations.plan_next_action(
            employer, owner=employer.owner, due_on=timezone.localdate(), by=None,
            description=_("Check the new contact person from the website and confirm them "
                          "on the employer page."))
    return SignUp(employer=employer, opportunity=posted, created_employer=created,
                  created_contact=created_contact)
