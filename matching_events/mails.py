"""The e-mails of meetups, opportunities and match leads, each sent once (`send_once`).

Exactly once, as far as it can be (docs/architecture.md, "Faults"):
- `OutgoingMessage.key` is unique. `send_once` first *claims* the key: it gets or creates the
  row with `SELECT ... FOR UPDATE` and commits it before anything goes out. Then, holding the
  row lock again, it sends and records `sent_at` in the same short transaction. A duplicate
  task (a redelivery while the first still runs) waits for the lock, then finds `sent_at` set
  and sends nothing. Once `sent_at` is committed no retry sends again.
- A claimed row without `sent_at` is an attempt that failed (SMTP down: the retry sends) or
  was interrupted (a killed worker). Only in the second case can the mail have gone out: a
  crash after the SMTP server accepted the message and before `sent_at` was committed (a few
  milliseconds) sends it again when the task is redelivered. At-least-once at the SMTP
  boundary, never zero times: a lost confirmation link or cancellation is worse than a rare
  double mail. Every attempt of a key carries the same `Message-ID` (`message_id`), so mail
  servers and clients that drop duplicate Message-IDs show the copy once.

Every kind is rendered from `templates/matching_events/mail/<kind>.txt` and `.html`, in
Dutch, with absolute links to the municipality's own host. Logs name kinds and keys, never
people or addresses.
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.mime.text import MIMEText
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from core.schemas import current_schema
from core.site import link, municipality_name, site_url, workspace_link
from relations.services import confirmed_contacts

from . import ics, links
from .models import MatchLead, Meetup, MeetupEmployer, Opportunity, OutgoingMessage, Registration
from .services.outcomes import contact_details_for_candidate, contact_details_for_employer

logger = logging.getLogger(__name__)


@dataclass
class Mail:
    to: str
    subject: str
    context: dict[str, Any] = field(default_factory=dict)
    calendar: bytes | None = None
    calendar_method: str = "REQUEST"
    reply_to: str = ""


# --- the municipality and its links: core.site -------------------------------------------

def _person(user) -> str:
    return str(user) if user is not None else ""


def meetup_context(meetup: Meetup) -> dict[str, Any]:
    starts = timezone.localtime(meetup.starts_at, ics.AMSTERDAM) if meetup.starts_at else None
    ends = timezone.localtime(meetup.ends_at, ics.AMSTERDAM) if starts else None
    return {"meetup": meetup, "starts_at": starts, "ends_at": ends,
            "location": ics.meetup_location(meetup), "organiser": _person(meetup.organiser)}


def _calendar(meetup: Meetup, to: str, method: str = "REQUEST") -> bytes | None:
    """No personal link in the calendar entry: calendars are often shared with others."""
    if meetup.starts_at is None:
        return None
    return ics.meetup_calendar(meetup, method=method, sequence=ics.meetup_sequence(meetup),
                               attendee=to)


# --- the candidate's mails (pk of a Registration) -------------------------------------------

def _registration(pk: int) -> Registration | None:
    return (Registration.objects.select_related("meetup__organiser", "candidate__owner")
            .filter(pk=pk).first())


def _candidate_mail(pk: int, subject: str, *, calendar: str = "", **extra: Any
                    ) -> Mail | None:
    registration = _registration(pk)
    if registration is None or not registration.candidate.email:
        return None
    meetup, candidate = registration.meetup, registration.candidate
    manager = candidate.owner or meetup.organiser
    manage_token = links.manage_token(registration)
    context = {**meetup_context(meetup), "registration": registration,
               "name": candidate.first_name, "relationship_manager": _person(manager),
               "manage_url": link("meetups_public:manage", token=manage_token),
               "cancel_url": link("meetups_public:cancel", token=manage_token),
               "mine_url": link("meetups_public:mine",
                                token=links.my_registrations_token(candidate))}
    for key, value in extra.items():
        context[key] = value(registration, manage_token) if callable(value) else value
    if calendar == "REQUEST" and registration.status != Registration.Status.CONFIRMED:
        calendar = ""  # on the waiting list (or no longer coming): nothing for the calendar
    to = candidate.email
    return Mail(to=to, subject=subject % {"title": meetup.title}, context=context,
                reply_to=manager.email if manager else "",
                calendar=_calendar(meetup, to, calendar) if calendar else None,
                calendar_method=calendar or "REQUEST")


def _confirm_url(registration: Registration, _token: str) -> str:
    return link("meetups_public:confirm", token=links.confirm_token(registration))


def _survey_url(registration: Registration, token: str) -> str:
    return link("meetups_public:candidate_survey", token=token)


def _waiting_position(registration: Registration, _token: str) -> int | None:
    return links.waiting_position(registration)


def _reminder_candidate(pk: int) -> Mail | None:
    registration = _registration(pk)
    if registration is None or registration.status != Registration.Status.CONFIRMED or (
            registration.meetup.status not in Meetup.OPEN_STATES):
        return None
    return _candidate_mail(pk, _("Tomorrow: %(title)s"))


CANDIDATE_KINDS: dict[str, Callable[[int], Mail | None]] = {
    "registration_confirm_request": lambda pk: _candidate_mail(
        pk, _("Please confirm your registration for %(title)s"), confirm_url=_confirm_url),
    "candidate_invitation": lambda pk: _candidate_mail(
        pk, _("You are invited: %(title)s"), confirm_url=_confirm_url),
    "registration_confirmed": lambda pk: _candidate_mail(
        pk, _("You are registered for %(title)s"), calendar="REQUEST"),
    "registration_waiting": lambda pk: _candidate_mail(
        pk, _("You are on the waiting list for %(title)s"), position=_waiting_position),
    "registration_promoted": lambda pk: _candidate_mail(
        pk, _("Good news: there is a place for you at %(title)s"), calendar="REQUEST"),
    "registration_cancelled": lambda pk: _candidate_mail(
        pk, _("Your registration for %(title)s is cancelled"), calendar="CANCEL"),
    "meetup_changed_candidate": lambda pk: _candidate_mail(
        pk, _("New time for %(title)s"), calendar="REQUEST"),
    "meetup_cancelled_candidate": lambda pk: _candidate_mail(
        pk, _("Cancelled: %(title)s"), calendar="CANCEL"),
    "survey_candidate": lambda pk: _candidate_mail(
        pk, _("How was %(title)s?"), survey_url=_survey_url),
    "meetup_reminder_candidate": _reminder_candidate,
}


# --- the employer's mails (pk of a MeetupEmployer) ------------------------------------------

def _participation(pk: int) -> MeetupEmployer | None:
    return (MeetupEmployer.objects.select_related("meetup__organiser", "employer__owner",
                                                  "contact").filter(pk=pk).first())


def _employer_mail(pk: int, subject: str, *, calendar: str = "", **extra: Any
                   ) -> Mail | None:
    participation = _participation(pk)
    if participation is None or participation.contact is None or (
            not participation.contact.email) or not participation.contact.confirmed:
        return None
    meetup = participation.meetup
    manager = participation.employer.owner or meetup.organiser
    token = links.employer_token(participation)
    employer_url = link("meetups_public:employer", token=token)
    context = {**meetup_context(meetup), "participation": participation,
               "name": participation.contact.name, "employer": participation.employer.name,
               "relationship_manager": _person(manager), "employer_url": employer_url,
               "survey_url": link("meetups_public:employer_survey", token=token)}
    if extra.get("dates"):
        context["proposed_dates"] = [timezone.localtime(d.starts_at, ics.AMSTERDAM)
                                     for d in meetup.proposed_dates.all()]
    to = participation.contact.email
    return Mail(to=to, subject=subject % {"title": meetup.title}, context=context,
                reply_to=manager.email if manager else "",
                calendar=_calendar(meetup, to, calendar) if calendar else None,
                calendar_method=calendar or "REQUEST")


def _reminder_employer(pk: int) -> Mail | None:
    participation = _participation(pk)
    if participation is None or participation.status != MeetupEmployer.Status.CONFIRMED or (
            participation.meetup.status not in Meetup.OPEN_STATES):
        return None
    return _employer_mail(pk, _("Tomorrow: %(title)s"))


EMPLOYER_KINDS: dict[str, Callable[[int], Mail | None]] = {
    "employer_invitation": lambda pk: _employer_mail(
        pk, _("Invitation: %(title)s"), calendar="REQUEST"),
    "employer_dates": lambda pk: _employer_mail(
        pk, _("Which date suits you? %(title)s"), dates=True),
    "employer_date_chosen": lambda pk: _employer_mail(
        pk, _("The date is set: %(title)s"), calendar="REQUEST"),
    "meetup_changed_employer": lambda pk: _employer_mail(
        pk, _("New time for %(title)s"), calendar="REQUEST"),
    "meetup_cancelled_employer": lambda pk: _employer_mail(
        pk, _("Cancelled: %(title)s"), calendar="CANCEL"),
    "survey_employer": lambda pk: _employer_mail(pk, _("How was %(title)s?")),
    "meetup_reminder_employer": _reminder_employer,
}


# --- relationship managers and introductions ------------------------------------------------

def _review_request(pk: int) -> Mail | None:
    opportunity = (Opportunity.objects.select_related("employer__owner")
                   .filter(pk=pk).first())
    owner = opportunity.employer.owner if opportunity else None
    if owner is None or not owner.email:
        return None
    return Mail(to=owner.email, subject=_("To review: %(title)s") % {"title": opportunity.title},
                context={"name": owner.first_name, "opportunity": opportunity,
                         "employer": opportunity.employer.name,
                         "workspace_url": workspace_link(
                             ("matching_events:opportunity_detail", {"pk": pk}),
                             ("matching_events:opportunity_list", {}))})


def _lead(pk: int) -> MatchLead | None:
    return (MatchLead.objects.select_related("owner", "employer", "candidate",
                                             "conversation__meetup").filter(pk=pk).first())


def _match_lead(pk: int) -> Mail | None:
    lead = _lead(pk)
    if lead is None or not lead.owner.email:
        return None
    return Mail(to=lead.owner.email, subject=_("A mutual yes after %(title)s") % {
        "title": lead.conversation.meetup.title},
        context={"name": lead.owner.first_name, "meetup": lead.conversation.meetup,
                 "workspace_url": workspace_link(("matching_events:lead_detail", {"pk": pk}),
                                                 ("matching_events:lead_list", {}))})


def _introduction_employer(pk: int) -> Mail | None:
    lead = _lead(pk)
    details = contact_details_for_employer(lead) if lead else None
    if details is None:
        return None
    participation = (MeetupEmployer.objects.select_related("contact")
                     .filter(meetup=lead.conversation.meetup, employer=lead.employer).first())
    contact = participation.contact if participation and participation.contact else None
    if contact is None or not contact.confirmed:
        contact = confirmed_contacts(lead.employer).exclude(email="").first()
    if contact is None or not contact.email or not contact.confirmed:
        return None
    return Mail(to=contact.email, subject=_("Introduction after %(title)s") % {
                "title": lead.conversation.meetup.title},
                context={"name": contact.name, "details": details,
                         "meetup": lead.conversation.meetup,
                         "relationship_manager": _person(lead.owner)},
                reply_to=lead.owner.email)


def _introduction_candidate(pk: int) -> Mail | None:
    lead = _lead(pk)
    details = contact_details_for_candidate(lead) if lead else None
    if details is None or not lead.candidate.email:
        return None
    return Mail(to=lead.candidate.email,
                subject=_("Introduction after %(title)s") % {
                    "title": lead.conversation.meetup.title},
                context={"name": lead.candidate.first_name, "details": details,
                         "meetup": lead.conversation.meetup,
                         "relationship_manager": _person(lead.owner)},
                reply_to=lead.owner.email)


KINDS: dict[str, Callable[[int], Mail | None]] = {
    **CANDIDATE_KINDS,
    **EMPLOYER_KINDS,
    "review_request": _review_request,
    "match_lead": _match_lead,
    "introduction_employer": _introduction_employer,
    "introduction_candidate": _introduction_candidate,
}


# --- rendering and sending ------------------------------------------------------------------

def render(kind: str, mail: Mail) -> EmailMultiAlternatives:
    """The message of `kind`: plain text, an HTML alternative and the calendar entry."""
    municipality = municipality_name()
    context = {**mail.context, "municipality": municipality, "site_url": site_url() + "/",
               "subject": mail.subject, "has_calendar": mail.calendar is not None}
    text = re.sub(r"\n{3,}", "\n\n",
                  render_to_string(f"matching_events/mail/{kind}.txt", context)).strip() + "\n"
    html = render_to_string(f"matching_events/mail/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=f"{municipality}: {mail.subject}", body=text, to=[mail.to],
        reply_to=[mail.reply_to] if mail.reply_to else None)
    message.attach_alternative(html, "text/html")
    if mail.calendar is not None:
        part = MIMEText(mail.calendar.decode("utf-8"), "calendar", "utf-8")
        part.set_param("method", mail.calendar_method)
        filename = "afgelast.ics" if mail.calendar_method == "CANCEL" else "bijeenkomst.ics"
        part.add_header("Content-Disposition", "attachment", filename=filename)
        message.attach(part)
    return message


def build(kind: str, pk: int) -> Mail | None:
    try:
        builder = KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown notification kind {kind!r}") from None
    return builder(pk)


def message_id(key: str) -> str:
    """The Message-ID of message `key` in this municipality: the same on every attempt, so a
    mail sent twice (see the module's docstring) carries one Message-ID and mail servers and
    clients can drop the copy. A keyed hash: no key, kind or number can be read from it."""
    digest = salted_hmac("werktop.mails.message-id", f"{current_schema()}:{key}",
                         algorithm="sha256").hexdigest()[:40]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "werktop.localhost"
    return f"<{digest}@{domain}>"


def _claim(kind: str, pk: int, key: str) -> OutgoingMessage | None:
    """Claim `key`: its row, committed before anything is sent. None when it was sent before.
    The row lock makes this wait for an attempt that is sending right now."""
    with transaction.atomic():
        message, created = OutgoingMessage.objects.select_for_update().get_or_create(key=key)
    if message.sent_at is not None:
        logger.info("notification %s:%s was sent before", kind, pk)
        return None
    if not created:
        logger.warning("notification %s:%s: an earlier attempt was not recorded as sent; "
                       "sending with the same Message-ID", kind, pk)
    return message


def send_once(kind: str, pk: int, key: str) -> bool:
    """Send the `kind` mail about object `pk` unless the message `key` went out before.
    True when sent now; False when sent before, or its object or address is gone."""
    with translation.override("nl"), timezone.override(ics.AMSTERDAM):
        mail = build(kind, pk)
        if mail is None:
            logger.info("notification %s:%s skipped: nothing to send", kind, pk)
            return False
        claimed = _claim(kind, pk, key)
        if claimed is None:
            return False
        message = render(kind, mail)
        message.extra_headers["Message-ID"] = message_id(key)
        with transaction.atomic():
            row = OutgoingMessage.objects.select_for_update().get(pk=claimed.pk)
            if row.sent_at is not None:  # a parallel attempt sent it while we rendered
                logger.info("notification %s:%s was sent before", kind, pk)
                return False
            message.send()
            # Recorded at once: from here to the commit is the only window in which a crash
            # sends this mail twice (with the same Message-ID).
            row.sent_at = timezone.now()
            row.save(update_fields=["sent_at"])
    logger.info("notification %s:%s sent", kind, pk)
    return True
