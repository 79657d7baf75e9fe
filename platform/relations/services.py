"""Every write to employers, candidates, their timeline and next actions goes through here.

Views, the API, the import and tasks call these functions; they validate (`full_clean`), keep
derived fields (search text, first contact date, ladder, closed date) and refuse stale edits.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.files import delete_after_commit
from core.workspace import StaleEdit

from .models import (
    Candidate,
    ContactMoment,
    ContactPerson,
    Employer,
    LadderStep,
    NextAction,
    ZrmAssessment,
    ZrmScore,
)
from .reference import ZRM_DOMAIN_CHOICES
from .validators import normalise_kvk, normalise_postcode, validate_not_in_future

# --- search text ---------------------------------------------------------------------------

def employer_search_text(employer: Employer, contact_names: Iterable[str] = ()) -> str:
    parts = [employer.name, employer.kvk_number, employer.city, employer.postcode, *contact_names]
    return " ".join(p for p in parts if p).lower()


def candidate_search_text(candidate: Candidate) -> str:
    parts = [candidate.first_name, candidate.last_name, candidate.email, candidate.phone,
             candidate.client_reference, candidate.postcode, candidate.languages,
             candidate.talents, candidate.interests]
    return " ".join(p for p in parts if p).lower()


# --- derived fields (also used by the bulk import) ------------------------------------------

def normalise_employer(employer: Employer) -> None:
    employer.kvk_number = normalise_kvk(employer.kvk_number)
    employer.postcode = normalise_postcode(employer.postcode)


def normalise_candidate(candidate: Candidate) -> None:
    candidate.postcode = normalise_postcode(candidate.postcode)
    candidate.email = (candidate.email or "").strip()


def set_closed_at(candidate: Candidate, previous_status: str | None) -> None:
    """A file closed now gets today's closing time (retention counts from it); reopened, none."""
    if candidate.status != Candidate.Status.CLOSED:
        candidate.closed_at = None
    elif previous_status != Candidate.Status.CLOSED:
        candidate.closed_at = timezone.now()


def apply_contact(employer: Employer, day: date) -> bool:
    """A contact on `day`, in memory: the earliest contact is the first contact (the target
    counts it), and a prospect is now in contact. True when the first contact date moved."""
    if employer.status == Employer.Status.PROSPECT:
        employer.status = Employer.Status.IN_CONTACT
    if employer.first_contact_date is None or day < employer.first_contact_date:
        employer.first_contact_date = day
        return True
    return False


def _employer_search(employer: Employer) -> str:
    return employer_search_text(employer, employer.contacts.values_list("name", flat=True))


def _clean_employer(employer: Employer) -> None:
    normalise_employer(employer)
    employer.full_clean()


def _clean_candidate(candidate: Candidate) -> None:
    normalise_candidate(candidate)
    candidate.full_clean(exclude=["shared_with"])


def _apply(obj: Any, changes: dict[str, Any]) -> None:
    for field, value in changes.items():
        setattr(obj, field, value)


def _locked_current(model, pk: int, expected_version: int | None):
    obj = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and obj.version != expected_version:
        raise StaleEdit
    return obj


# --- employers -----------------------------------------------------------------------------

@transaction.atomic
def create_employer(*, by, contacts: Iterable[dict[str, str]] = (), **fields: Any) -> Employer:
    employer = Employer(**fields)
    _clean_employer(employer)
    employer.save()
    for contact in contacts:
        person = ContactPerson(employer=employer, **contact)
        person.full_clean()
        person.save()
    employer.search_text = _employer_search(employer)
    Employer.objects.filter(pk=employer.pk).update(search_text=employer.search_text)
    return employer


@transaction.atomic
def update_employer(employer_id: int, *, by, expected_version: int | None,
                    **changes: Any) -> Employer:
    employer = _locked_current(Employer, employer_id, expected_version)
    _apply(employer, changes)
    _clean_employer(employer)
    employer.search_text = _employer_search(employer)
    employer.version += 1
    employer.save()
    return employer


def _refresh_employer_search(employer: Employer) -> None:
    Employer.objects.filter(pk=employer.pk).update(search_text=_employer_search(employer))


def confirmed_contacts(employer: Employer | int) -> QuerySet[ContactPerson]:
    """The contact persons of an employer who may be written to or shown to others (meetup
    invitations, introductions, portal accounts): never an unconfirmed one from the public
    form. Oldest first."""
    return ContactPerson.objects.confirmed().filter(employer=employer).order_by("pk")


@transaction.atomic
def confirm_contact_person(person_id: int, *, by) -> ContactPerson:
    """The employer's relationship manager (or a colleague) checked that this person works
    there: from now on they receive invitations and introductions. Twice changes nothing."""
    person = ContactPerson.objects.select_for_update().get(pk=person_id)
    if not person.confirmed:
        person.confirmed = True
        person.save(update_fields=["confirmed"])
    return person


@transaction.atomic
def add_contact_person(employer: Employer, **fields: Any) -> ContactPerson:
    """Staff add a contact (confirmed); the public form passes `confirmed=False`."""
    person = ContactPerson(employer=employer, **fields)
    person.full_clean()
    person.save()
    _refresh_employer_search(employer)
    return person


@transaction.atomic
def remove_contact_person(person: ContactPerson) -> None:
    employer = person.employer
    person.delete()
    _refresh_employer_search(employer)


# --- candidates ----------------------------------------------------------------------------

@transaction.atomic
def create_candidate(*, by, **fields: Any) -> Candidate:
    candidate = Candidate(**fields)
    _clean_candidate(candidate)
    set_closed_at(candidate, None)
    candidate.search_text = candidate_search_text(candidate)
    candidate.save()
    if candidate.ladder_rung:
        LadderStep.objects.create(candidate=candidate, rung=candidate.ladder_rung,
                                  on=timezone.localdate(), recorded_by=by)
    return candidate


@transaction.atomic
def update_candidate(candidate_id: int, *, by, expected_version: int | None,
                     **changes: Any) -> Candidate:
    candidate = _locked_current(Candidate, candidate_id, expected_version)
    previous_status, previous_rung = candidate.status, candidate.ladder_rung
    previous_cv = candidate.cv.name
    _apply(candidate, changes)
    _clean_candidate(candidate)
    set_closed_at(candidate, previous_status)
    candidate.search_text = candidate_search_text(candidate)
    candidate.version += 1
    candidate.save()
    if previous_cv and candidate.cv.name != previous_cv:
        # A replaced or removed CV leaves nothing behind (no earlier versions on disk).
        delete_after_commit(candidate.cv.storage, previous_cv)
    if candidate.ladder_rung and candidate.ladder_rung != previous_rung:
        LadderStep.objects.create(candidate=candidate, rung=candidate.ladder_rung,
                                  on=timezone.localdate(), recorded_by=by)
    return candidate


@transaction.atomic
def record_ladder_step(candidate: Candidate, *, rung: int, on: date, by) -> LadderStep:
    """Add a step to the ladder history; the latest step is the candidate's current rung."""
    step = LadderStep(candidate=candidate, rung=rung, on=on, recorded_by=by)
    step.full_clean()
    step.save()
    latest = candidate.ladder.order_by("-on", "-pk").first()
    Candidate.objects.filter(pk=candidate.pk).update(ladder_rung=latest.rung)
    candidate.ladder_rung = latest.rung
    return step


@transaction.atomic
def record_zrm_assessment(candidate: Candidate, *, assessed_on: date, scores: dict[int, int],
                          by) -> ZrmAssessment:
    """Store a dated assessment with a score 1-5 for each of the 13 domains."""
    errors: dict[str, list[str]] = {}
    try:
        validate_not_in_future(assessed_on)
    except ValidationError as error:
        errors["assessed_on"] = error.messages
    domains = dict(ZRM_DOMAIN_CHOICES)
    for number, name in domains.items():
        value = scores.get(number)
        if value is None:
            errors[f"domain_{number}"] = [_("Give a score for %(domain)s.") % {"domain": name}]
        elif not 1 <= int(value) <= 5:
            errors[f"domain_{number}"] = [
                _("A score is a number from 1 to 5 (%(domain)s).") % {"domain": name}]
    unknown = set(scores) - set(domains)
    if unknown:
        errors["__all__"] = [_("Unknown ZRM domain: %(domains)s.") % {
            "domains": ", ".join(str(d) for d in sorted(unknown))}]
    if errors:
        raise ValidationError(errors)
    assessment = ZrmAssessment.objects.create(
        candidate=candidate, assessed_on=assessed_on, assessed_by=by)
    ZrmScore.objects.bulk_create(
        ZrmScore(assessment=assessment, domain=number, score=int(scores[number]))
        for number in domains)
    return assessment


@transaction.atomic
def share_candidate(candidate: Candidate, *, with_user, by, request=None) -> None:
    if not with_user.has_perm("accounts.access_workspace"):
        raise ValidationError(_("You can only share with a colleague who uses the workspace."))
    candidate.shared_with.add(with_user)
    record("share", "candidate", candidate.pk, actor=by, request=request,
           detail=f"gedeeld met gebruiker {with_user.pk}")


@transaction.atomic
def unshare_candidate(candidate: Candidate, *, with_user, by, request=None) -> None:
    candidate.shared_with.remove(with_user)
    record("share", "candidate", candidate.pk, actor=by, request=request,
           detail=f"niet meer gedeeld met gebruiker {with_user.pk}")


# --- timeline and next actions -------------------------------------------------------------

def _relation_fields(relation: Employer | Candidate) -> dict[str, Any]:
    if isinstance(relation, Employer):
        return {"employer": relation}
    return {"candidate": relation}


@transaction.atomic
def log_contact_moment(relation: Employer | Candidate, *, kind: str, occurred_at: datetime,
                       summary: str, by) -> ContactMoment:
    """Add a contact moment to a relation's timeline. For an employer, the earliest moment
    sets the date of first contact (which counts towards the target) and a prospect becomes
    'in contact'."""
    moment = ContactMoment(kind=kind, occurred_at=occurred_at, summary=summary, author=by,
                           **_relation_fields(relation))
    moment.full_clean()
    moment.save()
    if isinstance(relation, Employer) and kind != ContactMoment.Kind.HANDOVER:
        _note_employer_contact(relation, timezone.localdate(occurred_at))
    return moment


def _note_employer_contact(employer: Employer, day: date) -> None:
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    before = (employer.first_contact_date, employer.status)
    apply_contact(employer, day)
    if (employer.first_contact_date, employer.status) != before:
        Employer.objects.filter(pk=employer.pk).update(
            first_contact_date=employer.first_contact_date, status=employer.status)


@transaction.atomic
def plan_next_action(relation: Employer | Candidate, *, description: str, due_on: date,
                     owner, kind: str = ContactMoment.Kind.CALL, by) -> NextAction:
    action = NextAction(description=description, due_on=due_on, owner=owner, kind=kind,
                        **_relation_fields(relation))
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def complete_next_action(action_id: int, *, by, summary: str = "") -> NextAction:
    """Mark an action done and log it as a contact moment. Doing it twice changes nothing."""
    action = NextAction.objects.select_for_update(of=("self",)).select_related(
        "employer", "candidate").get(pk=action_id)
    if action.done_at is not None:
        return action
    if action.owner_id != by.pk and not by.has_perm(
            "relations.change_candidate" if action.candidate_id else "relations.change_employer",
            action.relation):
        raise PermissionDenied
    now = timezone.now()
    action.contact_moment = log_contact_moment(
        action.relation, kind=action.kind, occurred_at=now,
        summary=summary.strip() or _("Done: %(what)s") % {"what": action.description}, by=by)
    action.done_at = now
    action.save(update_fields=["done_at", "contact_moment"])
    return action


# --- portfolios ----------------------------------------------------------------------------

@transaction.atomic
def hand_over_portfolio(*, by, from_user, to_user, employer_ids: Iterable[int] | None = None,
                        candidate_ids: Iterable[int] | None = None, request=None) -> int:
    """Give relations of `from_user` to `to_user`: all of them when no ids are given, else the
    selected ones. Open next actions move along; each relation's timeline records it.
    Returns the number of relations handed over."""
    if not by.has_perm("relations.hand_over"):
        raise PermissionDenied
    if from_user.pk == to_user.pk:
        raise ValidationError(_("Choose two different colleagues."))
    if not to_user.has_perm("accounts.access_workspace"):
        raise ValidationError(_("The new owner must be a relationship manager or coordinator."))
    employers = Employer.objects.select_for_update().filter(owner=from_user)
    candidates = Candidate.objects.select_for_update().filter(owner=from_user)
    if employer_ids is not None or candidate_ids is not None:
        employers = employers.filter(pk__in=list(employer_ids or []))
        candidates = candidates.filter(pk__in=list(candidate_ids or []))
    employers, candidates = list(employers), list(candidates)
    now = timezone.now()
    summary = _("Handed over from %(old)s to %(new)s.") % {
        "old": from_user.get_full_name() or from_user.email,
        "new": to_user.get_full_name() or to_user.email}
    moments = [ContactMoment(kind=ContactMoment.Kind.HANDOVER, occurred_at=now, summary=summary,
                             author=by, **_relation_fields(r)) for r in employers + candidates]
    ContactMoment.objects.bulk_create(moments)
    Employer.objects.filter(pk__in=[e.pk for e in employers]).update(owner=to_user)
    Candidate.objects.filter(pk__in=[c.pk for c in candidates]).update(owner=to_user)
    NextAction.objects.filter(owner=from_user, done_at__isnull=True).filter(
        employer__in=employers).update(owner=to_user)
    NextAction.objects.filter(owner=from_user, done_at__isnull=True).filter(
        candidate__in=candidates).update(owner=to_user)
    record("handover", "portfolio", from_user.pk, actor=by, request=request,
           detail=f"{len(employers)} werkgevers, {len(candidates)} kandidaten "
                  f"naar gebruiker {to_user.pk}")
    return len(employers) + len(candidates)
