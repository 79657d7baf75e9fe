"""Importing employers. Matched on KvK number: a re-run updates instead of duplicating.

Several rows may carry the same KvK number (a list with one row per contact person): they all
go to one employer, and each adds its contact person when the employer has none by that name.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ContactMoment, ContactPerson, Employer
from ..services import apply_contact, employer_search_text, normalise_employer
from ..validators import normalise_kvk, validate_not_in_future
from .rows import Importer, bulk_update_changed, changed_fields, snapshot

FIELDS = ["name", "kvk_number", "sector", "size_class", "street_address", "postcode", "city",
          "website", "status"]
COMPARED = [*FIELDS, "owner_id", "first_contact_date", "search_text"]
CONTACT_COLUMNS = {"name": "contact_name", "role": "contact_role", "email": "contact_email",
                   "phone": "contact_phone"}
BATCH = 500


@dataclass
class Target:
    """The employer a group of rows goes to, with what the rows add to it."""

    obj: Employer
    new: bool
    before: dict[str, Any]
    contact_names: list[str]
    contacts: list[ContactPerson] = field(default_factory=list)
    first_contact: date | None = None


def first_contact_moment(day: date) -> datetime:
    """A time on `day` for the contact moment: noon, or now when `day` is today."""
    noon = timezone.make_aware(datetime.combine(day, time(12)))
    return min(noon, timezone.now())


class EmployerImport(Importer):
    kind = "employers"

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        numbers = {row["kvk_number"] for row in rows if row.get("kvk_number")}
        employers = Employer.objects.filter(kvk_number__in=numbers)
        if self.lock:
            employers = employers.select_for_update()
        self.existing = {employer.kvk_number: employer for employer in employers}
        self.names: dict[int, list[str]] = {employer.pk: [] for employer in
                                            self.existing.values()}
        people = ContactPerson.objects.filter(employer_id__in=list(self.names)).order_by(
            "employer_id", "name", "pk").values_list("employer_id", "name")
        for employer_id, name in people:
            self.names[employer_id].append(name)
        self.targets: dict[Any, Target] = {}

    def _target(self, number: int, kvk: str) -> tuple[Target, bool]:
        """The employer for this row and whether an earlier row already went to it."""
        key = kvk or ("row", number)
        if key in self.targets:
            return self.targets[key], True
        existing = self.existing.get(kvk) if kvk else None
        if existing is not None:
            target = Target(obj=existing, new=False, before=snapshot(existing, COMPARED),
                            contact_names=list(self.names[existing.pk]))
        else:
            target = Target(obj=Employer(owner_id=self.user.pk), new=True, before={},
                            contact_names=[])
        self.targets[key] = target
        return target, False

    def check_row(self, number: int, values: dict[str, Any], failed: set[str]) -> None:
        kvk = normalise_kvk(values.get("kvk_number", ""))
        target, seen = self._target(number, kvk)
        employer = target.obj
        for name in FIELDS:
            if name in values:
                setattr(employer, name, values[name])
        if "owner" in values:
            employer.owner_id = values["owner"]
        normalise_employer(employer)
        # A new employer's first row is checked whole (required fields); later rows and
        # existing employers only on what the row changes.
        only = None if target.new and not seen else set(values) & set(FIELDS)
        self.full_clean(number, employer, only=only, failed=failed,
                        exclude=["owner", "first_contact_date", "search_text", "version"])
        self._check_first_contact(number, target, values.get("first_contact_date"))
        self._check_contact(number, target, values, failed)

    def _check_first_contact(self, number: int, target: Target, day: date | None) -> None:
        if day is None:
            return
        try:
            validate_not_in_future(day)
        except ValidationError as error:
            self.add_validation_error(number, ValidationError({"first_contact_date": error}))
            return
        if target.first_contact is None or day < target.first_contact:
            target.first_contact = day

    def _check_contact(self, number: int, target: Target, values: dict[str, Any],
                       failed: set[str]) -> None:
        given = {key: values[column] for key, column in CONTACT_COLUMNS.items()
                 if column in values}
        if not given:
            return
        if not given.get("name"):
            if "contact_name" not in failed:
                self.add_error(number, "contact_name", _(
                    "Give the name of the contact person, or leave all contact person "
                    "columns empty."))
            return
        if given["name"].lower() in {name.lower() for name in target.contact_names}:
            return  # already there: a re-run adds nobody twice
        person = ContactPerson(**given)
        try:
            person.full_clean(exclude=["employer"])
        except ValidationError as error:
            self.add_validation_error(number, error, fields=CONTACT_COLUMNS, skip=failed)
            return
        target.contacts.append(person)
        target.contact_names.append(person.name)

    # --- writing -----------------------------------------------------------------------

    def write(self) -> tuple[int, int, int]:
        now = timezone.now()
        targets = list({id(t): t for t in self.targets.values()}.values())
        created, updated, moments = [], [], []
        unchanged, fields = 0, set()
        for target in targets:
            employer = target.obj
            # As logging a contact moment does: the first contact counts towards the target.
            if target.first_contact and apply_contact(employer, target.first_contact):
                moments.append(ContactMoment(
                    employer=employer, kind=ContactMoment.Kind.NOTE,
                    occurred_at=first_contact_moment(target.first_contact),
                    summary=_("First contact (from an import)."), author=self.user))
            employer.search_text = employer_search_text(employer, target.contact_names)
            changed = set() if target.new else changed_fields(employer, target.before)
            if target.new:
                created.append(employer)
            elif changed or target.contacts:  # a new contact person changes the employer too
                fields |= changed
                employer.version += 1
                employer.updated_at = now
                updated.append(employer)
            else:
                unchanged += 1
        Employer.objects.bulk_create(created, batch_size=BATCH)
        bulk_update_changed(Employer, updated, fields)
        people = []
        for target in targets:
            for person in target.contacts:
                person.employer = target.obj
                people.append(person)
        ContactPerson.objects.bulk_create(people, batch_size=BATCH)
        ContactMoment.objects.bulk_create(moments, batch_size=BATCH)
        return len(created), len(updated), unchanged
