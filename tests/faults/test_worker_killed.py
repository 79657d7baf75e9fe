"""Drill: a Celery worker is killed (SIGKILL, the whole process group) in the middle of
sending tomorrow's meetup reminders. After a new worker starts, every candidate and employer
has exactly one reminder and none is missing.

How: 200 confirmed candidates and 5 confirmed employers of a meetup tomorrow, in a
municipality of the drill's own. The reminder task is queued on the real broker; a real worker
(prefork, 2 processes, prefetch 1) sends through a backend that records every hand-over in a
file (`mail_backend`). After 60 reminders the "SMTP server" stops answering, so both pool
processes hang inside a send; the drill kills the worker then. The messages it had taken are
not acknowledged; the broker hands them out again after the visibility timeout (4 s here,
15 minutes in production) to the second worker, which finds their claimed rows unsent and
sends them, with the same Message-ID.

The milliseconds between the SMTP hand-over and recording `sent_at`, in which a kill does send
twice, are shown by the last test (docs/architecture.md, "Faults")."""

import time
from collections import Counter
from datetime import datetime, timedelta
from datetime import time as clock

import pytest
import redis
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.roles import Role
from accounts.services import create_user_with_role
from matching_events import mails
from matching_events.models import Meetup, MeetupEmployer, OutgoingMessage, Registration
from matching_events.services import meetups
from matching_events.tasks import AMSTERDAM, send_meetup_reminders
from relations.models import Candidate, ContactPerson, Employer
from tests.faults.conftest import kill_process_group, wait_until, worker_process
from tests.faults.mail_backend import held_processes, records
from werktop.celery import app

pytestmark = pytest.mark.faults

CANDIDATES, EMPLOYERS, HOLD_AFTER = 200, 5, 60


def tomorrows_meetup(municipality) -> tuple[str, dict[str, str]]:
    """The meetup, its people; returns the day and {recipient: message key}."""
    day = timezone.localdate(timezone=AMSTERDAM) + timedelta(days=1)
    with tenant_context(municipality):
        organiser = create_user_with_role("organisator@utrecht.example", "drill-password-1",
                                          Role.RELATIONSHIP_MANAGER)
        meetup = meetups.create_meetup(
            by=organiser, title="Prettig gesprek", address="Stadsplateau 1, Utrecht",
            capacity=CANDIDATES + 10,
            starts_at=datetime.combine(day, clock(14), tzinfo=AMSTERDAM))
        meetup = meetups.publish_meetup(meetup.pk, by=organiser)
        # Written directly: the places and the double opt-in are not what this drill is about.
        candidates = Candidate.objects.bulk_create(
            Candidate(first_name="Kandidaat", last_name=str(i), owner=organiser,
                      email=f"kandidaat{i:03d}@example.org", status="active")
            for i in range(CANDIDATES))
        now = timezone.now()
        registrations = Registration.objects.bulk_create(
            Registration(meetup=meetup, candidate=candidate, confirmed_at=now,
                         status=Registration.Status.CONFIRMED) for candidate in candidates)
        employers = Employer.objects.bulk_create(
            Employer(name=f"Werkgever {i}", kvk_number=f"9000000{i}", owner=organiser)
            for i in range(EMPLOYERS))
        contacts = ContactPerson.objects.bulk_create(
            ContactPerson(employer=employer, name="Contactpersoon",
                          email=f"werkgever{i}@example.org")
            for i, employer in enumerate(employers))
        participations = MeetupEmployer.objects.bulk_create(
            MeetupEmployer(meetup=meetup, employer=employer, contact=contact,
                           status=MeetupEmployer.Status.CONFIRMED)
            for employer, contact in zip(employers, contacts, strict=True))
    keys = {c.email: f"meetup_reminder_candidate:{r.pk}:{day.isoformat()}"
            for c, r in zip(candidates, registrations, strict=True)}
    keys |= {c.email: f"meetup_reminder_employer:{p.pk}:{day.isoformat()}"
             for c, p in zip(contacts, participations, strict=True)}
    return day.isoformat(), keys


def broker() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def broker_idle(client: redis.Redis) -> bool:
    """Nothing queued, nothing handed out and unacknowledged."""
    return not (client.llen("default") or client.hlen("unacked") or client.zcard("unacked_index"))


def test_a_worker_killed_while_sending_reminders_sends_each_exactly_once(
        drill_municipality, committed, tmp_path):
    mail_log, worker_log = tmp_path / "mails.log", tmp_path / "workers.log"
    client = broker()
    with committed():
        day, keys = tomorrows_meetup(drill_municipality)
        app.control.purge()
        client.delete("unacked", "unacked_index")
        app.conf.task_always_eager = False
        try:
            with tenant_context(drill_municipality):
                send_meetup_reminders.delay(day)
        finally:
            app.conf.task_always_eager = True
        started = time.monotonic()

        with worker_process("faults-first", worker_log, WERKTOP_FAULT_MAIL_LOG=str(mail_log),
                            WERKTOP_FAULT_MAIL_DELAY="0.02",
                            WERKTOP_FAULT_HOLD_AFTER=str(HOLD_AFTER)) as first:
            # both pool processes hang inside a send: nothing is between hand-over and commit
            wait_until(lambda: len(held_processes(mail_log)) == 2, 40, "both sends to hang",
                       worker_log)
            kill_process_group(first)
        killed_at = time.monotonic() - started
        sent_before_kill = len(records(mail_log))
        assert sent_before_kill == HOLD_AFTER
        with tenant_context(drill_municipality):
            in_doubt = OutgoingMessage.objects.filter(sent_at__isnull=True).count()
        assert in_doubt == 2  # claimed by the hanging sends, not recorded as sent

        with worker_process("faults-second", worker_log,
                            WERKTOP_FAULT_MAIL_LOG=str(mail_log),
                            WERKTOP_FAULT_MAIL_DELAY="0.02"):
            wait_until(lambda: len(records(mail_log)) >= len(keys) and broker_idle(client),
                       45, "every reminder and an idle broker", worker_log)
            time.sleep(2)  # a late duplicate would show up now
        elapsed = time.monotonic() - started

        sent = records(mail_log)
        per_recipient = Counter(recipient for _id, recipient in sent)
        assert set(per_recipient) == set(keys), "missing or unexpected recipients"
        assert [r for r, n in per_recipient.items() if n != 1] == []
        with tenant_context(drill_municipality):
            expected_ids = {mails.message_id(key): to for to, key in keys.items()}
            assert dict(sent) == expected_ids  # the Message-ID of each key
            rows = OutgoingMessage.objects.filter(key__startswith="meetup_reminder_")
            assert rows.count() == len(keys)
            assert not rows.filter(sent_at__isnull=True).exists()
    assert "not recorded as sent" in worker_log.read_text()  # the two claims taken over
    summary = (f"{len(keys)} reminders, worker killed after {sent_before_kill}; "
               f"{len(sent)} sent, 0 twice, 0 missing; killed after {killed_at:.1f} s, "
               f"all sent after {elapsed:.1f} s")
    print("\n" + summary)  # noqa: T201  (the drill's figures, with -s)


@pytest.mark.usefixtures("in_zoetermeer")
def test_the_redelivered_fan_out_reminds_of_the_day_it_was_meant_for(alice, mailoutbox):
    """Beat fixes the day: a fan-out that runs late (after midnight) still reminds of the
    meetups it was meant for, and never of one that has started."""
    today = timezone.localdate(timezone=AMSTERDAM)
    later = today + timedelta(days=2)
    meetup = meetups.publish_meetup(meetups.create_meetup(
        by=alice, title="Overmorgen", address="Markt 1, 2711 CA Zoetermeer", capacity=5,
        starts_at=datetime.combine(later, clock(9), tzinfo=AMSTERDAM)).pk, by=alice)
    candidate = Candidate.objects.create(first_name="Samira", last_name="B", owner=alice,
                                         email="samira@example.org", status="active")
    Registration.objects.create(meetup=meetup, candidate=candidate, confirmed_at=timezone.now(),
                                status=Registration.Status.CONFIRMED)
    assert send_meetup_reminders.delay().get() == 0  # tomorrow: nothing
    assert send_meetup_reminders.delay(later.isoformat()).get() == 1
    assert [m.to for m in mailoutbox] == [["samira@example.org"]]
    Meetup.objects.filter(pk=meetup.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    assert send_meetup_reminders.delay(timezone.localdate(timezone=AMSTERDAM).isoformat()
                                       ).get() == 0


@pytest.mark.usefixtures("in_zoetermeer")
def test_a_crash_between_hand_over_and_record_resends_with_the_same_message_id(
        alice, mailoutbox, monkeypatch):
    """The residual window: the mail went out, the worker died before `sent_at` was
    committed. The redelivered task sends it again (never zero times), with the same
    Message-ID, so mail servers and clients can drop the copy; after that, never again."""
    meetup = meetups.publish_meetup(meetups.create_meetup(
        by=alice, title="Morgen", address="Markt 1, 2711 CA Zoetermeer", capacity=5,
        starts_at=timezone.now() + timedelta(days=3)).pk, by=alice)
    candidate = Candidate.objects.create(first_name="Samira", last_name="B", owner=alice,
                                         email="samira@example.org", status="active")
    registration = Registration.objects.create(
        meetup=meetup, candidate=candidate, confirmed_at=timezone.now(),
        status=Registration.Status.CONFIRMED)
    real_send = EmailMultiAlternatives.send

    def send_then_die(self, fail_silently=False):
        real_send(self, fail_silently)
        raise SystemExit("worker killed after the hand-over")

    monkeypatch.setattr(EmailMultiAlternatives, "send", send_then_die)
    with pytest.raises(SystemExit):
        mails.send_once("meetup_reminder_candidate", registration.pk, "reminder:1")
    assert OutgoingMessage.objects.get(key="reminder:1").sent_at is None  # claimed, in doubt
    monkeypatch.undo()
    assert mails.send_once("meetup_reminder_candidate", registration.pk, "reminder:1") is True
    assert mails.send_once("meetup_reminder_candidate", registration.pk, "reminder:1") is False
    first, second = (m.message()["Message-ID"] for m in mailoutbox)
    assert first == second == mails.message_id("reminder:1")
    assert mails.message_id("reminder:2") != first
