"""During and after a meetup: check-in, conversations and their outcome, match leads, surveys."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relations.services import confirmed_contacts

from .. import tokens
from ..models import (
    Conversation,
    MatchLead,
    Meetup,
    MeetupEmployer,
    Registration,
    SurveyResponse,
)
from ..notifications import notify
from ..selectors import check_name_visible
from .meetups import participation_from_link
from .registrations import registration_from_link


def _check_started(meetup: Meetup) -> None:
    if meetup.status == Meetup.Status.CANCELLED:
        raise ValidationError(_("This meetup has been cancelled."))
    if meetup.starts_at is None or timezone.localdate(meetup.starts_at) > timezone.localdate():
        raise ValidationError(_("Check-in opens on the day of the meetup."))


@transaction.atomic
def check_in(registration_id: int, *, present: bool, by) -> Registration:
    """Present or absent. Only by someone who may see the candidate's name at this meetup
    (PermissionDenied otherwise)."""
    registration = Registration.objects.select_for_update().select_related("meetup").get(
        pk=registration_id)
    check_name_visible(by, registration.meetup, registration.candidate_id)
    _check_started(registration.meetup)
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Only confirmed candidates can be checked in."))
    registration.attended = present
    registration.save(update_fields=["attended"])
    return registration


@transaction.atomic
def check_in_employer(participation_id: int, *, present: bool, by) -> MeetupEmployer:
    participation = MeetupEmployer.objects.select_for_update().select_related("meetup").get(
        pk=participation_id)
    _check_started(participation.meetup)
    if participation.status != MeetupEmployer.Status.CONFIRMED:
        raise ValidationError(_("Only employers who confirmed can be checked in."))
    participation.attended = present
    participation.save(update_fields=["attended"])
    return participation


@transaction.atomic
def record_outcome(meetup_id: int, *, employer_id: int, candidate_id: int, employer_says: str,
                   candidate_says: str, by) -> Conversation:
    """What both sides say after a conversation. A mutual yes becomes a match lead for the
    candidate's relationship manager; contact details are shared only when they approve."""
    meetup = Meetup.objects.get(pk=meetup_id)
    check_name_visible(by, meetup, candidate_id)
    _check_started(meetup)
    registration = meetup.registrations.filter(candidate_id=candidate_id).first()
    if registration is None or registration.attended is not True:
        raise ValidationError(_("This candidate was not checked in as present: record "
                                "attendance first."))
    participation = meetup.employers.filter(employer_id=employer_id).first()
    if participation is None or participation.attended is False or (
            participation.status != MeetupEmployer.Status.CONFIRMED):
        raise ValidationError(_("This employer was not present at the meetup."))
    allowed = set(Conversation.Answer.values) | {""}
    if employer_says not in allowed or candidate_says not in allowed:
        raise ValidationError(_("Choose yes, no or maybe."))
    conversation, _created = Conversation.objects.select_for_update().get_or_create(
        meetup=meetup, employer_id=employer_id, candidate_id=candidate_id,
        defaults={"recorded_by": by})
    conversation.employer_says, conversation.candidate_says = employer_says, candidate_says
    conversation.recorded_by = by
    conversation.save()
    lead = MatchLead.objects.filter(conversation=conversation).first()
    if conversation.mutual_yes and lead is None:
        candidate = registration.candidate
        lead = MatchLead.objects.create(
            conversation=conversation, employer_id=employer_id, candidate_id=candidate_id,
            owner_id=candidate.owner_id or meetup.organiser_id)
        notify("match_lead", lead.pk)
    elif not conversation.mutual_yes and lead is not None and lead.status == MatchLead.Status.NEW:
        lead.delete()  # not yet introduced: nothing was shared, so nothing to keep
    return conversation


@transaction.atomic
def approve_match_lead(lead_id: int, *, by) -> MatchLead:
    """The relationship manager introduces both sides: only now do their contact details go
    to the other side (by e-mail)."""
    lead = MatchLead.objects.select_for_update().get(pk=lead_id)
    if lead.status != MatchLead.Status.NEW:
        raise ValidationError(_("This match lead was already handled."))
    lead.status = MatchLead.Status.APPROVED
    lead.approved_by, lead.approved_at = by, timezone.now()
    lead.save(update_fields=["status", "approved_by", "approved_at"])
    notify("introduction_employer", lead.pk)
    notify("introduction_candidate", lead.pk)
    return lead


@transaction.atomic
def close_match_lead(lead_id: int, *, by) -> MatchLead:
    lead = MatchLead.objects.select_for_update().get(pk=lead_id)
    lead.status = MatchLead.Status.CLOSED
    lead.save(update_fields=["status"])
    return lead


def contact_details_for_employer(lead: MatchLead) -> dict[str, str] | None:
    """What the employer may know of the candidate: nothing before approval."""
    if not lead.contacts_shared:
        return None
    candidate = lead.candidate
    return {"name": candidate.full_name, "email": candidate.email, "phone": candidate.phone}


def contact_details_for_candidate(lead: MatchLead) -> dict[str, str] | None:
    if not lead.contacts_shared:
        return None
    contact = confirmed_contacts(lead.employer).first()
    return {"name": lead.employer.name,
            "contact": contact.name if contact else "",
            "email": contact.email if contact else "",
            "phone": contact.phone if contact else ""}


# --- surveys --------------------------------------------------------------------------------

def _scores(answers: dict, fields: tuple[str, ...]) -> dict:
    cleaned = {}
    for field in fields:
        value = answers.get(field)
        if value in (None, ""):
            cleaned[field] = None
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= 5:
            raise ValidationError({field: _("Choose a score from 1 to 5.")})
        cleaned[field] = number
    comment = (answers.get("comment") or "").strip()
    if len(comment) > 2000:
        raise ValidationError({"comment": _("Keep it short: at most 2000 characters.")})
    cleaned["comment"] = comment
    return cleaned


def _check_survey_open(meetup: Meetup) -> None:
    if meetup.status != Meetup.Status.HELD:
        raise tokens.LinkError(_("The survey opens after the meetup."))


def _answered_already() -> tokens.LinkError:
    return tokens.LinkError(_("You already filled in this survey. Thank you!"))


def _save_answer(**fields) -> SurveyResponse:
    """One answer per registration or participation (unique in the database): the second of
    two simultaneous submits gets the same answer as a later one, not an error page."""
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(**fields)
    except IntegrityError as error:
        raise _answered_already() from error


@transaction.atomic
def answer_candidate_survey(token: str, answers: dict) -> SurveyResponse:
    registration = registration_from_link(tokens.MANAGE, token)
    _check_survey_open(registration.meetup)
    if registration.attended is not True:
        raise tokens.LinkError(_("The survey is for people who came to the meetup."))
    if SurveyResponse.objects.filter(registration=registration).exists():
        raise _answered_already()
    return _save_answer(
        meetup=registration.meetup, respondent=SurveyResponse.Respondent.CANDIDATE,
        registration=registration,
        **_scores(answers, ("approach", "relationship_manager", "self_efficacy")))


@transaction.atomic
def answer_employer_survey(token: str, answers: dict) -> SurveyResponse:
    participation = participation_from_link(token)
    _check_survey_open(participation.meetup)
    if SurveyResponse.objects.filter(participation=participation).exists():
        raise _answered_already()
    return _save_answer(
        meetup=participation.meetup, respondent=SurveyResponse.Respondent.EMPLOYER,
        participation=participation,
        **_scores(answers, ("approach", "relationship_manager")))
