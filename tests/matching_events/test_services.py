"""Scheduling, meetup day outcomes, match leads, opportunities and placements."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching_events.models import (
    Conversation,
    MatchLead,
    Meetup,
    MeetupEmployer,
    Opportunity,
    Placement,
)
from matching_events.services import meetups, opportunities, outcomes, placements
from relations.models import Candidate, NextAction
from targets.services import recount_target_progress
from tenants.models import Municipality

from .conftest import confirmed_registration, new_candidate, new_employer, new_meetup

pytestmark = pytest.mark.usefixtures("in_zoetermeer")


def soon(days: int, hour: int = 14):
    day = timezone.localtime() + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def employer_link(participation):
    from matching_events import tokens
    return tokens.make_token(tokens.EMPLOYER, participation.pk, participation.link_key)


# --- scheduling ------------------------------------------------------------------------------

def test_the_date_most_employers_can_make_wins_and_clashes_are_shown(alice):
    meetup = new_meetup(alice, publish=False, starts_at=None)
    e1 = new_employer(alice, name="A", kvk_number="12345678")
    e2 = new_employer(alice, name="B", kvk_number="23456789")
    p1, p2 = meetups.invite_employers(meetup.pk, [e1.pk, e2.pk], by=alice)
    first, second, third = meetups.propose_dates(
        meetup.pk, [soon(10), soon(11), soon(12)], by=alice)
    other = new_meetup(alice, starts_at=soon(11, hour=14) + timedelta(minutes=30))

    meetups.answer_invitation(employer_link(p1), coming=True,
                              suitable_dates=[first.pk, second.pk])
    meetups.answer_invitation(employer_link(p2), coming=True, suitable_dates=[second.pk])
    results = meetups.date_results(meetup)
    assert [r.proposal.pk for r in results] == [second.pk, first.pk, third.pk]
    assert results[0].suits == 2 and results[0].employers == ["A", "B"]
    assert results[0].clashes == [other]
    assert results[1].clashes == []

    meetups.choose_date(meetup.pk, first.pk, by=alice)
    meetup.refresh_from_db()
    assert meetup.starts_at == first.starts_at
    assert MeetupEmployer.objects.get(pk=p2.pk).status == "invited"  # first did not suit B
    assert MeetupEmployer.objects.get(pk=p1.pk).status == "confirmed"


@pytest.mark.parametrize("count", [1, 5])
def test_two_to_four_dates(alice, count):
    meetup = new_meetup(alice, publish=False, starts_at=None)
    with pytest.raises(ValidationError, match="twee tot vier|two to four"):
        meetups.propose_dates(meetup.pk, [soon(10 + i) for i in range(count)], by=alice)
    assert not meetup.proposed_dates.exists()


def test_dates_in_the_past_are_refused(alice):
    meetup = new_meetup(alice, publish=False, starts_at=None)
    with pytest.raises(ValidationError):
        meetups.propose_dates(meetup.pk, [soon(-1), soon(3)], by=alice)


# --- the meetup day -------------------------------------------------------------------------

@pytest.fixture
def held_today(alice):
    """A meetup that started an hour ago, one employer and two confirmed candidates."""
    meetup = new_meetup(alice)
    employer = new_employer(alice)
    (participation,) = meetups.invite_employers(meetup.pk, [employer.pk], by=alice)
    meetups.set_employer_status(participation.pk, "confirmed", by=alice)
    here = confirmed_registration(meetup, new_candidate(alice, email="here@example.org"), alice)
    away = confirmed_registration(meetup, new_candidate(alice, email="away@example.org",
                                                        first_name="Jan"), alice)
    Meetup.objects.filter(pk=meetup.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    outcomes.check_in(here.pk, present=True, by=alice)
    outcomes.check_in(away.pk, present=False, by=alice)
    outcomes.check_in_employer(participation.pk, present=True, by=alice)
    return meetup, employer, here, away


def test_an_outcome_for_an_absent_candidate_is_refused(alice, held_today):
    meetup, employer, _here, away = held_today
    with pytest.raises(ValidationError, match="aanwezig|present"):
        outcomes.record_outcome(meetup.pk, employer_id=employer.pk,
                                candidate_id=away.candidate_id, employer_says="yes",
                                candidate_says="yes", by=alice)
    assert not Conversation.objects.exists()


def test_a_mutual_yes_becomes_a_lead_and_contacts_wait_for_approval(alice, bob, held_today):
    meetup, employer, here, _away = held_today
    outcomes.record_outcome(meetup.pk, employer_id=employer.pk, candidate_id=here.candidate_id,
                            employer_says="yes", candidate_says="maybe", by=alice)
    assert not MatchLead.objects.exists()  # not mutual yet
    outcomes.record_outcome(meetup.pk, employer_id=employer.pk, candidate_id=here.candidate_id,
                            employer_says="yes", candidate_says="yes", by=alice)
    lead = MatchLead.objects.get()
    assert lead.owner == alice  # the candidate's relationship manager
    assert outcomes.contact_details_for_employer(lead) is None
    assert outcomes.contact_details_for_candidate(lead) is None

    outcomes.approve_match_lead(lead.pk, by=alice)
    lead.refresh_from_db()
    assert outcomes.contact_details_for_employer(lead)["email"] == "here@example.org"
    with pytest.raises(ValidationError):
        outcomes.approve_match_lead(lead.pk, by=alice)


def test_taking_back_a_yes_removes_a_lead_not_yet_introduced(alice, held_today):
    meetup, employer, here, _away = held_today
    args = {"employer_id": employer.pk, "candidate_id": here.candidate_id, "by": alice}
    outcomes.record_outcome(meetup.pk, employer_says="yes", candidate_says="yes", **args)
    outcomes.record_outcome(meetup.pk, employer_says="yes", candidate_says="no", **args)
    assert not MatchLead.objects.exists()
    assert Conversation.objects.count() == 1


def test_check_in_before_the_day_is_refused(alice):
    meetup = new_meetup(alice, days_ahead=3)
    registration = confirmed_registration(meetup, new_candidate(alice), alice)
    with pytest.raises(ValidationError):
        outcomes.check_in(registration.pk, present=True, by=alice)
    registration.refresh_from_db()
    assert registration.attended is None


# --- opportunities and placements ------------------------------------------------------------

def test_an_opportunity_posted_by_an_employer_waits_for_review(alice):
    employer = new_employer(alice)
    opportunity = opportunities.post_opportunity(
        employer.pk, kind="work_experience", title="Meewerken in de bakkerij")
    assert opportunity.status == Opportunity.Status.AWAITING_REVIEW
    opportunities.review_opportunity(opportunity.pk, by=alice, approve=True)
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.OPEN and opportunity.reviewed_by == alice


def test_a_placement_plans_the_follow_up_fills_the_opportunity_and_counts(alice, zoetermeer):
    Municipality.objects.filter(pk=zoetermeer.pk).update(
        period_start=date(2026, 1, 1), period_end=date(2027, 3, 31))
    employer = new_employer(alice)
    candidate = new_candidate(alice)
    opportunity = opportunities.create_opportunity(
        employer.pk, by=alice, kind="job", title="Verkoper", places=1)
    placement = placements.record_placement(
        candidate_id=candidate.pk, employer_id=employer.pk, by=alice, kind="job",
        start_date=date(2026, 8, 31), opportunity=opportunity)
    follow_up = NextAction.objects.get(pk=placement.follow_up_id)
    assert follow_up.due_on == date(2027, 2, 28)  # six months on, end of a short month
    assert follow_up.owner == alice and follow_up.candidate == candidate
    assert Opportunity.objects.get(pk=opportunity.pk).status == Opportunity.Status.FILLED
    assert Candidate.objects.get(pk=candidate.pk).status == Candidate.Status.PLACED

    other = new_candidate(alice, email="wep@example.org")
    placements.record_placement(candidate_id=other.pk, employer_id=employer.pk, by=alice,
                                kind="work_experience", start_date=date(2026, 9, 1))
    placements.record_placement(candidate_id=other.pk, employer_id=employer.pk, by=alice,
                                kind="work_experience", start_date=date(2025, 12, 31))
    placements.record_placement(candidate_id=other.pk, employer_id=employer.pk, by=alice,
                                kind="trial", start_date=date(2026, 9, 1))
    progress = recount_target_progress()
    assert (progress.regular_jobs, progress.work_experience_places) == (1, 1)


def test_a_placement_starting_later_counts_once_it_starts(alice, zoetermeer):
    Municipality.objects.filter(pk=zoetermeer.pk).update(
        period_start=date(2026, 1, 1), period_end=date(2027, 12, 31))
    placements.record_placement(
        candidate_id=new_candidate(alice).pk, employer_id=new_employer(alice).pk, by=alice,
        kind="job", start_date=timezone.localdate() + timedelta(days=14))
    assert recount_target_progress().regular_jobs == 0


def test_a_placement_ending_before_it_starts_is_refused(alice):
    with pytest.raises(ValidationError):
        placements.record_placement(
            candidate_id=new_candidate(alice).pk, employer_id=new_employer(alice).pk, by=alice,
            kind="job", start_date=date(2026, 9, 1), end_date=date(2026, 8, 1))
    assert not Placement.objects.exists() and not NextAction.objects.exists()


def test_a_pledge_shows_how_far_it_is_filled(alice):
    employer = new_employer(alice)
    pledge = opportunities.record_pledge(employer.pk, by=alice, description="Drie logistiek",
                                         places=3, made_on=date(2026, 5, 1))
    placements.record_placement(candidate_id=new_candidate(alice).pk, employer_id=employer.pk,
                                by=alice, kind="job", start_date=date(2026, 6, 1), pledge=pledge)
    (row,) = opportunities.pledges_with_progress(employer)
    assert (row.filled, row.places) == (1, 3)
