"""The e-mails of meetups: every kind renders in Dutch (text and HTML) with absolute links and
the right calendar entry, goes out once per key, stays inside its municipality, and the
reminder task mails tomorrow's meetups only."""

import logging
import re
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from urllib.parse import urlparse

import icalendar
import pytest
from django.db import transaction
from django.urls import resolve
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from matching_events import ics, mails, tokens
from matching_events.models import (
    Conversation,
    MatchLead,
    Meetup,
    OutgoingMessage,
    ProposedDate,
    Registration,
)
from matching_events.notifications import notify
from matching_events.services import meetups, opportunities, registrations
from matching_events.tasks import (
    expire_unconfirmed_registrations_everywhere,
    send_meetup_reminders,
    send_meetup_reminders_everywhere,
    send_notification,
)
from werktop.celery import app

from .conftest import confirmed_registration, new_candidate, new_employer, new_meetup

AMSTERDAM = ics.AMSTERDAM


@pytest.fixture
def world(in_zoetermeer, alice):
    """A published meetup (one place) in Zoetermeer: Samira has the place, Jan waits; a
    confirmed employer with a contact person; an opportunity to review; an approved lead."""
    meetup = new_meetup(alice, capacity=1, accessibility_notes="Rolstoeltoegankelijk")
    samira = new_candidate(alice)
    registration = confirmed_registration(meetup, samira, alice)
    jan = new_candidate(alice, first_name="Jan", last_name="Jansen", email="jan@example.org")
    waiting = confirmed_registration(meetup, jan, alice)
    employer = new_employer(alice, contacts=[{"name": "Petra de Boer",
                                              "email": "petra@korenschoof.example"}])
    (participation,) = meetups.invite_employers(meetup.pk, [employer.pk], by=alice)
    participation = meetups.set_employer_status(participation.pk, "confirmed", by=alice)
    ProposedDate.objects.create(meetup=meetup, starts_at=meetup.starts_at + timedelta(days=1))
    opportunity = opportunities.post_opportunity(employer.pk, title="Hulp in de bakkerij")
    conversation = Conversation.objects.create(meetup=meetup, employer=employer,
                                               candidate=samira, employer_says="yes",
                                               candidate_says="yes")
    lead = MatchLead.objects.create(conversation=conversation, employer=employer,
                                    candidate=samira, owner=alice, status="approved",
                                    approved_by=alice, approved_at=timezone.now())
    return SimpleNamespace(meetup=meetup, registration=registration, waiting=waiting,
                           participation=participation, opportunity=opportunity, lead=lead,
                           alice=alice)


CANDIDATE, EMPLOYER = "samira@example.org", "petra@korenschoof.example"
# kind: (object, recipient, Dutch words in the text, calendar method)
KINDS = {
    "registration_confirm_request": ("registration", CANDIDATE, "Bevestig mijn aanmelding", None),
    "candidate_invitation": ("registration", CANDIDATE, "nodigt je uit", None),
    "registration_confirmed": ("registration", CANDIDATE, "is bevestigd", "REQUEST"),
    "registration_waiting": ("waiting", "jan@example.org", "wachtlijst: nummer 1", None),
    "registration_promoted": ("registration", CANDIDATE, "Die plek is voor jou", "REQUEST"),
    "registration_cancelled": ("registration", CANDIDATE, "Je bent afgemeld", "CANCEL"),
    "meetup_changed_candidate": ("registration", CANDIDATE, "nieuwe tijd", "REQUEST"),
    "meetup_cancelled_candidate": ("registration", CANDIDATE, "niet door", "CANCEL"),
    "survey_candidate": ("registration", CANDIDATE, "Vul de vragenlijst in", None),
    "meetup_reminder_candidate": ("registration", CANDIDATE, "morgen is de bijeenkomst", None),
    "employer_invitation": ("participation", EMPLOYER, "De uitnodiging beantwoorden", "REQUEST"),
    "employer_dates": ("participation", EMPLOYER, "Kies de data die jou passen", None),
    "employer_date_chosen": ("participation", EMPLOYER, "De datum van", "REQUEST"),
    "meetup_changed_employer": ("participation", EMPLOYER, "nieuwe tijd", "REQUEST"),
    "meetup_cancelled_employer": ("participation", EMPLOYER, "niet door", "CANCEL"),
    "survey_employer": ("participation", EMPLOYER, "Vul de vragenlijst in", None),
    "meetup_reminder_employer": ("participation", EMPLOYER, "Fijn dat je meedoet", None),
    "review_request": ("opportunity", "alice@zoetermeer.example", "Hulp in de bakkerij", None),
    "match_lead": ("lead", "alice@zoetermeer.example", "allebei ja", None),
    "introduction_employer": ("lead", EMPLOYER, "samira@example.org", None),
    "introduction_candidate": ("lead", CANDIDATE, "petra@korenschoof.example", None),
}


def test_every_kind_the_services_send_has_a_mail():
    import pathlib

    services = pathlib.Path(mails.__file__).parent / "services"
    sent = set()
    for source in services.glob("*.py"):
        text = source.read_text()
        sent |= set(re.findall(r'notify\("(\w+)"', text))
        for kind in re.findall(r'_tell_everyone\(meetup, "(\w+)"', text):
            sent |= {f"{kind}_candidate", f"{kind}_employer"}
    assert sent - set(mails.KINDS) == set()
    assert set(KINDS) == set(mails.KINDS)


def calendar_of(message) -> tuple[str, icalendar.Calendar] | None:
    for part in message.message().walk():
        if part.get_content_type() == "text/calendar":
            return part.get_param("method"), icalendar.Calendar.from_ical(
                part.get_payload(decode=True))
    return None


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_renders_in_dutch_and_is_sent(world, kind, mailoutbox):
    attribute, recipient, words, method = KINDS[kind]
    assert mails.send_once(kind, getattr(world, attribute).pk, f"test:{kind}") is True
    (message,) = mailoutbox
    assert message.to == [recipient]
    assert message.subject.startswith("Gemeente Zoetermeer: ")
    assert words in message.body, message.body
    assert "\n\nHallo" in message.body and "Met vriendelijke groet" in message.body
    (html, mimetype), = message.alternatives
    assert mimetype == "text/html"
    assert '<html lang="nl">' in html and "<h1 " in html and "Met vriendelijke groet" in html
    for text in (message.body, html, message.subject):
        assert not re.search(r"\{\{|\{%|%\(|\bHello\b|\bregards\b", text), text
    links = links_in(message.body)
    assert all(link.startswith("http://zoetermeer.localhost/") for link in links), links
    for link in links:  # every link goes to a page of the municipality's site
        resolve(urlparse(link).path)
    calendar = calendar_of(message)
    if method is None:
        assert calendar is None
        return
    mime_method, parsed = calendar
    meetup = Meetup.objects.get(pk=world.meetup.pk)
    assert mime_method == method == str(parsed["METHOD"])
    (event,) = parsed.walk("VEVENT")
    assert str(event["UID"]) == f"meetup-{meetup.pk}@gm0637.werktop"
    assert event.decoded("DTSTART") == meetup.starts_at.replace(microsecond=0)
    assert event.decoded("DTSTART").tzinfo.key == "Europe/Amsterdam"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)
    assert int(event["SEQUENCE"]) == int(meetup.updated_at.timestamp())
    assert str(event["LOCATION"]) == "Markt 1, 2711 CA Zoetermeer"
    assert str(event["SUMMARY"]) == "Prettig gesprek: Prettig gesprek in de zorg"
    assert "Rolstoeltoegankelijk" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")


def test_the_links_carry_working_tokens(world, mailoutbox):
    registration = world.registration
    mails.send_once("registration_confirm_request", registration.pk, "test:confirm")
    mails.send_once("registration_confirmed", registration.pk, "test:confirmed")
    mails.send_once("employer_invitation", world.participation.pk, "test:employer")
    confirm, manage, employer = (links_in(m.body)[0] for m in mailoutbox)
    purposes = [(confirm, tokens.CONFIRM, registration), (manage, tokens.MANAGE, registration),
                (employer, tokens.EMPLOYER, world.participation)]
    for link, purpose, row in purposes:
        token = resolve(urlparse(link).path).kwargs["token"]
        data = tokens.read_token(purpose, token)
        assert (data.pk, data.key) == (row.pk, str(row.link_key))
    assert 'href="' + manage + '"' in mailoutbox[1].alternatives[0][0]


def test_a_moved_meetup_keeps_its_uid_with_a_higher_sequence(world, alice, mailoutbox):
    meetup = world.meetup
    # the sequence counts seconds: the meetup was last changed a while ago
    Meetup.objects.filter(pk=meetup.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    mails.send_once("registration_confirmed", world.registration.pk, "test:before")
    moved = meetup.starts_at + timedelta(days=2)
    meetups.update_meetup(meetup.pk, by=alice, starts_at=moved)
    mails.send_once("meetup_changed_candidate", world.registration.pk, "test:after")
    (_m, before), (_n, after) = (calendar_of(m) for m in mailoutbox)
    (old,), (new,) = before.walk("VEVENT"), after.walk("VEVENT")
    assert old["UID"] == new["UID"]
    assert int(new["SEQUENCE"]) > int(old["SEQUENCE"])
    assert new.decoded("DTSTART") == moved.replace(microsecond=0)


def test_no_calendar_entry_for_someone_on_the_waiting_list(world, mailoutbox):
    mails.send_once("meetup_changed_candidate", world.waiting.pk, "test:waiting")
    assert calendar_of(mailoutbox[0]) is None
    assert "bijlage" not in mailoutbox[0].body


def test_send_once_sends_once(world, mailoutbox):
    pk = world.registration.pk
    assert mails.send_once("registration_confirmed", pk, "confirmed:1") is True
    assert mails.send_once("registration_confirmed", pk, "confirmed:1") is False
    assert send_notification.delay("registration_confirmed", pk, "confirmed:1").get() is False
    assert len(mailoutbox) == 1
    message = OutgoingMessage.objects.get(key="confirmed:1")
    assert message.sent_at is not None


def test_the_task_twice_sends_once(world, mailoutbox):
    pk = world.participation.pk
    assert send_notification.delay("employer_invitation", pk, "invitation:1").get() is True
    assert send_notification.delay("employer_invitation", pk, "invitation:1").get() is False
    assert len(mailoutbox) == 1


def test_a_failed_send_is_not_recorded_and_the_retry_sends(world, mailoutbox, monkeypatch):
    pk = world.registration.pk

    def broken(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(OSError):
        mails.send_once("registration_confirmed", pk, "confirmed:retry")
    assert not OutgoingMessage.objects.filter(key="confirmed:retry", sent_at__isnull=False)
    monkeypatch.undo()
    assert mails.send_once("registration_confirmed", pk, "confirmed:retry") is True
    assert len(mailoutbox) == 1


def test_nothing_to_send_without_object_or_address(world, alice, mailoutbox):
    no_email = new_candidate(alice, first_name="Kees", email="")
    registration = registrations.invite_candidate(world.meetup.pk, no_email.pk, by=alice)
    assert mails.send_once("registration_confirmed", registration.pk, "test:no-address") is False
    assert mails.send_once("registration_confirmed", 999_999, "test:gone") is False
    assert mailoutbox == []
    assert not OutgoingMessage.objects.filter(key__startswith="test:").exists()
    with pytest.raises(ValueError):
        mails.send_once("no_such_kind", registration.pk, "test:unknown")


def test_a_zoetermeer_registration_is_not_found_in_hilversum(world, hilversum, mailoutbox):
    pk = world.registration.pk
    with tenant_context(hilversum):
        assert not Registration.objects.filter(pk=pk).exists()
        assert send_notification.delay("registration_confirmed", pk, "confirmed:x").get() is False
        assert not OutgoingMessage.objects.exists()
    assert mailoutbox == []
    assert not OutgoingMessage.objects.filter(key="confirmed:x").exists()


def test_a_task_sent_from_the_national_site_is_refused(db):
    with schema_context("public"), pytest.raises(RuntimeError):
        send_notification.delay("registration_confirmed", 1, "confirmed:1")


def test_notify_sends_after_commit_only(world, alice, mailoutbox,
                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify("registration_confirmed", world.registration.pk)
            raise RuntimeError("rolled back")
    assert callbacks == [] and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        registrations.cancel_on_behalf(world.registration.pk, by=alice)
    # the cancellation, and Jan's place from the waiting list
    assert sorted(m.to[0] for m in mailoutbox) == ["jan@example.org", CANDIDATE]
    assert {calendar_of(m)[0] for m in mailoutbox} == {"CANCEL", "REQUEST"}


def test_no_personal_data_in_the_logs(world, mailoutbox, caplog):
    with caplog.at_level(logging.DEBUG):
        for kind in ("registration_confirmed", "introduction_employer"):
            pk = world.lead.pk if kind.startswith("intro") else world.registration.pk
            mails.send_once(kind, pk, f"test:{kind}")
            mails.send_once(kind, pk, f"test:{kind}")
    assert caplog.records
    for forbidden in ("Samira", "Bouzid", "samira@", "petra", "Petra"):
        assert forbidden not in caplog.text


def at_local(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


@pytest.mark.usefixtures("in_zoetermeer")
def test_reminders_go_to_tomorrows_meetups_once(alice, zoetermeer, mailoutbox):
    today = timezone.localdate(timezone=AMSTERDAM)
    tomorrow = new_meetup(alice, starts_at=at_local(today + timedelta(days=1), 14))
    later = new_meetup(alice, title="Later", starts_at=at_local(today + timedelta(days=2), 9))
    cancelled = new_meetup(alice, title="Afgelast",
                           starts_at=at_local(today + timedelta(days=1), 10))
    samira = new_candidate(alice)
    for meetup in (tomorrow, later, cancelled):
        confirmed_registration(meetup, samira, alice)
    pending = new_candidate(alice, first_name="Jan", email="jan@example.org")
    registrations.invite_candidate(tomorrow.pk, pending.pk, by=alice)
    meetups.cancel_meetup(cancelled.pk, by=alice)
    employer = new_employer(alice, contacts=[{"name": "Petra", "email": EMPLOYER}])
    (participation,) = meetups.invite_employers(tomorrow.pk, [employer.pk], by=alice)
    meetups.set_employer_status(participation.pk, "confirmed", by=alice)

    assert send_meetup_reminders.delay().get() == 2
    assert sorted(m.to[0] for m in mailoutbox) == [EMPLOYER, CANDIDATE]
    assert all(m.subject == "Gemeente Zoetermeer: Morgen: Prettig gesprek in de zorg"
               for m in mailoutbox)
    key = f"meetup_reminder_candidate:{samira.registrations.get(meetup=tomorrow).pk}:" \
          f"{(today + timedelta(days=1)).isoformat()}"
    assert OutgoingMessage.objects.filter(key=key, sent_at__isnull=False).exists()

    send_meetup_reminders.delay()  # a second run (or beat firing twice) sends nothing
    with schema_context("public"):
        assert send_meetup_reminders_everywhere.delay().get() == 2
    assert len(mailoutbox) == 2


def test_unconfirmed_registrations_expire_everywhere(zoetermeer, alice, mailoutbox):
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice)
        registration = registrations.register_for_meetup(
            meetup.pk, first_name="Jan", last_name="Jansen", email="jan@example.org")
        Registration.objects.filter(pk=registration.pk).update(
            created_at=timezone.now() - timedelta(days=8))
    with schema_context("public"):
        assert expire_unconfirmed_registrations_everywhere.delay().get() == 2
    with tenant_context(zoetermeer):
        assert not Registration.objects.filter(pk=registration.pk).exists()


def test_the_beat_schedule_has_reminders_and_expiry():
    schedule = app.conf.beat_schedule
    reminders = schedule["send-meetup-reminders-daily"]
    assert reminders["task"] == "matching_events.send_meetup_reminders_everywhere"
    assert reminders["options"]["queue"] == "default"
    assert (reminders["schedule"].hour, reminders["schedule"].minute) == ({10}, {0})
    expiry = schedule["expire-unconfirmed-registrations-nightly"]
    assert expiry["task"] == "matching_events.expire_unconfirmed_registrations_everywhere"
    assert (expiry["schedule"].hour, expiry["schedule"].minute) == ({3}, {30})
    assert reminders["task"] in app.tasks and expiry["task"] in app.tasks
