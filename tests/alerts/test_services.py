"""Each kind of signal: its trigger on a small data set, raised once, never again after
dismissal; dismissal rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from alerts.models import Signal
from alerts.selectors import open_signal_counts, open_signals
from alerts.services import dismiss_signal, raise_signals
from matching_events.models import MatchLead
from matching_events.services.opportunities import create_opportunity, update_opportunity
from matching_events.services.placements import record_placement
from relations import services as relations

from .conftest import days, make_lead, months_ago, new_candidate, new_employer

pytestmark = pytest.mark.usefixtures("in_zoetermeer", "no_project_period")
Kind = Signal.Kind


def of_kind(kind: str):
    return Signal.objects.filter(kind=kind)


# --- sluitende aanpak: 9 and 12 months without an offer ------------------------------------

def test_nine_months_without_an_offer_warns_the_owner_once(alice, carol):
    samira = new_candidate(alice, programme_start=months_ago(9))
    new_candidate(alice, email="jan@example.org", first_name="Jan",
                  programme_start=months_ago(8))  # not yet
    assert raise_signals() >= 1
    signal = of_kind(Kind.PROGRAMME_9_MONTHS).get()
    assert (signal.candidate, signal.owner, signal.escalated) == (samira, alice, False)
    assert signal.key == f"programme_9_months:candidate:{samira.pk}"
    assert list(open_signals(alice)) == [signal]
    assert signal not in open_signals(carol)  # a warning, not yet the coordinator's
    assert "Samira Bouzid" in signal.text
    assert raise_signals() == 0  # the same day: nothing new
    assert of_kind(Kind.PROGRAMME_9_MONTHS).count() == 1


def test_twelve_months_escalates_to_the_coordinator(alice, bob, carol):
    samira = new_candidate(alice, programme_start=months_ago(10))
    raise_signals()
    warning = of_kind(Kind.PROGRAMME_9_MONTHS).get()
    later = timezone.localdate() + timedelta(days=70)
    assert raise_signals(today=later) >= 1
    escalation = of_kind(Kind.PROGRAMME_12_MONTHS).get()
    assert (escalation.candidate, escalation.owner, escalation.escalated) == (samira, alice, True)
    assert escalation in open_signals(carol) and escalation in open_signals(alice)
    assert escalation not in open_signals(bob)
    warning.refresh_from_db()
    assert warning.resolved_at is not None  # the 12-month signal replaces the warning
    assert raise_signals(today=later) == 0


def test_an_offer_stops_the_programme_signal(alice, bob):
    employer = new_employer(alice)
    placed = new_candidate(alice, programme_start=months_ago(13))
    record_placement(candidate_id=placed.pk, employer_id=employer.pk, by=alice, kind="trial",
                     start_date=days(-3))
    # The trial ended; the candidate is active again, but had an offer.
    relations.update_candidate(placed.pk, by=alice, expected_version=None, status="active")
    open_lead = new_candidate(alice, email="c@example.org", programme_start=months_ago(13))
    make_lead(employer, open_lead, alice)  # a new lead, not yet introduced: an offer too
    introduced = new_candidate(alice, email="a@example.org", programme_start=months_ago(13))
    make_lead(employer, introduced, alice, status=MatchLead.Status.APPROVED,
              approved_at=timezone.now())
    closed_lead = new_candidate(alice, email="b@example.org", programme_start=months_ago(13))
    make_lead(employer, closed_lead, alice, status=MatchLead.Status.CLOSED)  # no offer
    raise_signals()
    assert [s.candidate for s in of_kind(Kind.PROGRAMME_12_MONTHS)] == [closed_lead]


def test_a_candidate_without_owner_goes_to_the_coordinators(alice, carol):
    orphan = relations.create_candidate(by=alice, first_name="Wees", last_name="Kind",
                                        status="active", programme_start=months_ago(9))
    raise_signals()
    signal = of_kind(Kind.PROGRAMME_9_MONTHS).get(candidate=orphan)
    assert signal.owner is None and signal in open_signals(carol)


# --- placement follow-up -------------------------------------------------------------------

def test_a_follow_up_due_within_a_week_is_signalled_once_and_resolved_when_done(alice):
    employer = new_employer(alice)
    due_soon = new_candidate(alice)
    placement = record_placement(candidate_id=due_soon.pk, employer_id=employer.pk, by=alice,
                                 kind="job", start_date=months_ago(6, days(5)))
    not_yet = new_candidate(alice, email="later@example.org")
    record_placement(candidate_id=not_yet.pk, employer_id=employer.pk, by=alice, kind="job",
                     start_date=days(-10))
    raise_signals()
    signal = of_kind(Kind.FOLLOW_UP_DUE).get()
    assert (signal.placement, signal.candidate, signal.owner) == (placement, due_soon, alice)
    assert signal.key == f"follow_up_due:placement:{placement.pk}"
    assert raise_signals() == 0
    relations.complete_next_action(placement.follow_up_id, by=alice)
    raise_signals()
    signal.refresh_from_db()
    assert signal.resolved_at is not None and signal not in open_signals(alice)
    assert of_kind(Kind.FOLLOW_UP_DUE).count() == 1


def test_an_overdue_follow_up_is_signalled(alice):
    employer = new_employer(alice)
    samira = new_candidate(alice)
    record_placement(candidate_id=samira.pk, employer_id=employer.pk, by=alice,
                     kind="work_experience", start_date=months_ago(7))
    raise_signals()
    assert of_kind(Kind.FOLLOW_UP_DUE).count() == 1


# --- no contact for N weeks ----------------------------------------------------------------

def test_no_contact_for_six_weeks(alice):
    samira = new_candidate(alice)
    relations.log_contact_moment(samira, kind="call", occurred_at=timezone.now(),
                                 summary="Gebeld", by=alice)
    new_candidate(alice, email="paused@example.org", status="paused")  # not on the clock
    assert raise_signals(today=days(41)) == 0
    raise_signals(today=days(42))
    signal = of_kind(Kind.NO_CONTACT).get()
    assert (signal.candidate, signal.owner) == (samira, alice)
    assert signal.key == f"no_contact:candidate:{samira.pk}:{timezone.localdate().isoformat()}"
    assert raise_signals(today=days(43)) == 0


def test_a_note_is_no_contact_and_the_number_of_weeks_is_a_setting(alice):
    samira = new_candidate(alice)
    relations.log_contact_moment(samira, kind="note", occurred_at=timezone.now(),
                                 summary="Notitie", by=alice)
    with override_settings(WERKTOP_NO_CONTACT_WEEKS=2):
        raise_signals(today=days(14))
    signal = of_kind(Kind.NO_CONTACT).get()
    assert signal.data == {"since": signal.data["since"], "weeks": 2, "had_contact": False}


# --- an open opportunity without a candidate -----------------------------------------------

def test_an_opportunity_open_for_two_weeks_without_a_candidate(alice, bob):
    bakery = new_employer(bob)
    opportunity = create_opportunity(bakery.pk, by=bob, title="Bakker")
    assert raise_signals(today=days(14)) == 0
    raise_signals(today=days(15))
    signal = of_kind(Kind.OPPORTUNITY_WITHOUT_CANDIDATE).get()
    assert (signal.employer, signal.opportunity, signal.owner) == (bakery, opportunity, bob)
    assert "Bakker" in signal.text
    assert raise_signals(today=days(16)) == 0
    make_lead(bakery, new_candidate(alice), alice)  # a candidate proposed: resolved
    raise_signals(today=days(17))
    signal.refresh_from_db()
    assert signal.resolved_at is not None


def test_an_opportunity_with_a_placement_or_closed_raises_nothing(alice):
    bakery = new_employer(alice)
    filled = create_opportunity(bakery.pk, by=alice, title="Bakker", places=2)
    record_placement(candidate_id=new_candidate(alice).pk, employer_id=bakery.pk, by=alice,
                     kind="job", start_date=days(-1), opportunity=filled)
    shop = new_employer(alice, name="Winkel", kvk_number="12345678")
    closed = create_opportunity(shop.pk, by=alice, title="Verkoper")
    update_opportunity(closed.pk, by=alice, status="closed")
    raise_signals(today=days(30))
    assert not of_kind(Kind.OPPORTUNITY_WITHOUT_CANDIDATE).exists()


# --- dismissing ----------------------------------------------------------------------------

@pytest.fixture
def warning(alice):
    new_candidate(alice, programme_start=months_ago(9))
    raise_signals()
    return of_kind(Kind.PROGRAMME_9_MONTHS).get()


def test_a_dismissed_signal_is_not_raised_again(alice, warning):
    dismissed = dismiss_signal(warning.pk, by=alice, reason="Aanbod buiten het platform")
    assert dismissed.dismissed_by == alice and dismissed.dismiss_reason
    assert list(open_signals(alice)) == []
    assert raise_signals() == 0
    assert raise_signals(today=days(7)) == 0
    assert of_kind(Kind.PROGRAMME_9_MONTHS).count() == 1


def test_dismissing_needs_a_reason_in_dutch(alice, warning):
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="reden|reason"):
            dismiss_signal(warning.pk, by=alice, reason=reason)
    warning.refresh_from_db()
    assert warning.is_open


def test_only_the_owner_or_a_coordinator_may_dismiss(alice, bob, carol, warning):
    with pytest.raises(PermissionDenied):
        dismiss_signal(warning.pk, by=bob, reason="Niet van mij")
    dismiss_signal(warning.pk, by=carol, reason="Besproken in het teamoverleg")
    with pytest.raises(ValidationError):
        dismiss_signal(warning.pk, by=alice, reason="Nog een keer")


def test_open_signals_follow_a_handover(alice, bob, carol, warning):
    relations.hand_over_portfolio(by=carol, from_user=alice, to_user=bob)
    raise_signals()
    assert [s.pk for s in open_signals(bob)] == [warning.pk]
    assert list(open_signals(alice)) == []


def test_counts_per_kind_for_the_report(alice, warning):
    counts = open_signal_counts()
    assert counts[Kind.PROGRAMME_9_MONTHS] == 1
    assert set(counts) == set(Kind.values)
