"""Relationship-management rules: first contact and the target, ZRM progress, the ladder,
next actions and my day, handovers."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from relations import selectors, services
from relations.models import ContactMoment, Employer, NextAction
from targets.services import recount_target_progress
from tenants.models import Municipality
from tests.relations.conftest import new_candidate, new_employer

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.usefixtures("in_zoetermeer")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMS)


def test_the_earliest_contact_moment_is_the_first_contact(alice):
    employer = new_employer(alice)
    assert employer.status == Employer.Status.PROSPECT
    services.log_contact_moment(employer, kind="call", occurred_at=at(date(2026, 5, 4)),
                                summary="Gebeld", by=alice)
    services.log_contact_moment(employer, kind="visit", occurred_at=at(date(2026, 3, 2)),
                                summary="Bezocht", by=alice)
    employer.refresh_from_db()
    assert employer.first_contact_date == date(2026, 3, 2)
    assert employer.status == Employer.Status.IN_CONTACT


def test_new_employer_contacts_count_when_first_contact_is_inside_the_period(zoetermeer, alice):
    Municipality.objects.filter(pk=zoetermeer.pk).update(
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    cases = {"10000001": date(2025, 12, 31),  # before: an old contact, not new
             "10000002": date(2026, 1, 1),  # first day counts
             "10000003": date(2026, 11, 20),
             "10000004": None}  # never contacted
    for kvk, first in cases.items():
        employer = new_employer(alice, kvk_number=kvk, name=f"Bedrijf {kvk}")
        if first:
            services.log_contact_moment(employer, kind="call", occurred_at=at(first, 0),
                                        summary="Eerste contact", by=alice)
    # A later contact of the old employer does not make it new.
    services.log_contact_moment(Employer.objects.get(kvk_number="10000001"), kind="call",
                                occurred_at=at(date(2026, 6, 1)), summary="Weer", by=alice)
    assert selectors.new_employer_contacts(date(2026, 1, 1), date(2026, 12, 31)) == 2
    assert recount_target_progress().employer_contacts == 2


def test_a_handover_moment_is_not_a_first_contact(alice, bob, carol):
    employer = new_employer(alice)
    services.hand_over_portfolio(by=carol, from_user=alice, to_user=bob)
    employer.refresh_from_db()
    assert employer.first_contact_date is None and employer.owner == bob


def test_zrm_history_shows_progress_between_first_and_latest(alice):
    candidate = new_candidate(alice)
    scores = {domain: 2 for domain in range(1, 14)}
    services.record_zrm_assessment(candidate, assessed_on=date(2026, 1, 10), scores=scores,
                                   by=alice)
    services.record_zrm_assessment(candidate, assessed_on=date(2026, 4, 10),
                                   scores={**scores, 1: 3}, by=alice)
    services.record_zrm_assessment(candidate, assessed_on=date(2026, 9, 10),
                                   scores={**scores, 1: 4, 2: 1}, by=alice)
    history = selectors.zrm_history(candidate)
    assert [a.assessed_on.month for a in history] == [1, 4, 9]
    progress = {row.domain: row for row in selectors.zrm_progress(history)}
    assert len(progress) == 13
    assert (progress[1].first, progress[1].latest, progress[1].change) == (2, 4, 2)
    assert progress[2].change == -1
    assert progress[13].change == 0


@pytest.mark.parametrize("bad", [0, 6, None])
def test_a_zrm_score_outside_1_to_5_or_missing_is_refused(alice, bad):
    candidate = new_candidate(alice)
    scores = {domain: 3 for domain in range(1, 14)}
    scores[5] = bad
    with pytest.raises(ValidationError) as error:
        services.record_zrm_assessment(candidate, assessed_on=date(2026, 1, 1), scores=scores,
                                       by=alice)
    assert "domain_5" in error.value.message_dict
    assert not candidate.zrm.exists()


def test_a_zrm_assessment_cannot_be_in_the_future(alice):
    candidate = new_candidate(alice)
    with pytest.raises(ValidationError):
        services.record_zrm_assessment(
            candidate, assessed_on=timezone.localdate() + timedelta(days=1),
            scores={domain: 3 for domain in range(1, 14)}, by=alice)


def test_the_ladder_keeps_its_history_and_the_latest_date_is_current(alice):
    candidate = new_candidate(alice)
    services.record_ladder_step(candidate, rung=4, on=date(2026, 6, 1), by=alice)
    services.record_ladder_step(candidate, rung=3, on=date(2026, 3, 1), by=alice)  # late entry
    candidate.refresh_from_db()
    assert candidate.ladder_rung == 4
    assert [(s.on.month, s.rung) for s in candidate.ladder.all()] == [(6, 4), (3, 3)]


def test_changing_the_rung_on_the_form_adds_a_step(alice):
    candidate = new_candidate(alice, ladder_rung=2)
    services.update_candidate(candidate.pk, by=alice, expected_version=1, ladder_rung=3)
    assert [s.rung for s in candidate.ladder.all()] == [3, 2]


def test_marking_an_action_done_logs_a_contact_moment_once(alice):
    candidate = new_candidate(alice)
    action = services.plan_next_action(candidate, description="Bellen over het gesprek",
                                       due_on=timezone.localdate(), owner=alice, by=alice)
    services.complete_next_action(action.pk, by=alice, summary="Komt donderdag")
    services.complete_next_action(action.pk, by=alice, summary="Nog eens")
    action.refresh_from_db()
    assert action.done_at is not None
    moments = list(selectors.timeline(candidate))
    assert [m.summary for m in moments] == ["Komt donderdag"]
    assert moments[0].kind == ContactMoment.Kind.CALL


def test_a_colleague_cannot_complete_an_action_on_a_candidate_they_cannot_see(alice, bob):
    candidate = new_candidate(bob)
    action = services.plan_next_action(candidate, description="Bellen",
                                       due_on=timezone.localdate(), owner=bob, by=bob)
    with pytest.raises(PermissionDenied):
        services.complete_next_action(action.pk, by=alice)


def test_my_day_lists_overdue_first_and_only_my_open_actions(alice, bob):
    employer = new_employer(alice)
    today = timezone.localdate()
    later = services.plan_next_action(employer, description="later", by=alice, owner=alice,
                                      due_on=today + timedelta(days=3))
    overdue = services.plan_next_action(employer, description="te laat", by=alice, owner=alice,
                                        due_on=today - timedelta(days=2))
    now = services.plan_next_action(employer, description="vandaag", by=alice, owner=alice,
                                    due_on=today)
    services.plan_next_action(employer, description="van bob", by=alice, owner=bob, due_on=today)
    done = services.plan_next_action(employer, description="klaar", by=alice, owner=alice,
                                     due_on=today - timedelta(days=5))
    services.complete_next_action(done.pk, by=alice)
    assert list(selectors.my_day(alice)) == [overdue, now, later]


def test_handover_of_selected_relations_moves_open_actions_and_is_in_the_timeline(alice, bob,
                                                                                  carol):
    kept, moved = new_candidate(alice), new_candidate(alice, email="b@example.org")
    action = services.plan_next_action(moved, description="Bellen", owner=alice, by=alice,
                                       due_on=timezone.localdate())
    count = services.hand_over_portfolio(by=carol, from_user=alice, to_user=bob,
                                         candidate_ids=[moved.pk])
    assert count == 1
    moved.refresh_from_db()
    kept.refresh_from_db()
    assert (moved.owner, kept.owner) == (bob, alice)
    assert NextAction.objects.get(pk=action.pk).owner == bob
    assert selectors.timeline(moved).get().kind == ContactMoment.Kind.HANDOVER
    assert not selectors.timeline(kept).exists()


def test_only_a_coordinator_hands_over(alice, bob):
    new_candidate(alice)
    with pytest.raises(PermissionDenied):
        services.hand_over_portfolio(by=alice, from_user=alice, to_user=bob)


def test_a_stale_edit_is_refused(alice, bob):
    employer = new_employer(alice)
    services.update_employer(employer.pk, by=bob, expected_version=1, name="Nieuwe naam")
    with pytest.raises(services.StaleEdit):
        services.update_employer(employer.pk, by=alice, expected_version=1, city="Delft")
    employer.refresh_from_db()
    assert (employer.name, employer.city, employer.version) == ("Nieuwe naam", "", 2)


def test_kvk_numbers_are_unique_within_the_municipality_only(zoetermeer, hilversum, alice,
                                                             charlie):
    new_employer(alice)
    with pytest.raises(ValidationError) as error:
        new_employer(alice, name="Andere naam")
    assert "kvk_number" in error.value.message_dict
    from django_tenants.utils import tenant_context

    with tenant_context(hilversum):
        assert new_employer(charlie).kvk_number == "27312152"


def test_closing_a_candidate_records_when(alice):
    candidate = new_candidate(alice)
    closed = services.update_candidate(candidate.pk, by=alice, expected_version=1,
                                       status="closed")
    assert closed.closed_at is not None
    reopened = services.update_candidate(candidate.pk, by=alice, expected_version=2,
                                         status="active")
    assert reopened.closed_at is None
