"""What counts towards the targets, and the breakdowns, on small known data sets."""

from datetime import timedelta

from django.db import connection
from django.utils.translation import gettext

from relations import services
from targets import progress
from tenants.models import Municipality
from tests.targets.conftest import (
    KVK,
    a_period,
    contacted_employer,
    days_ago,
    new_candidate,
    placed,
)


def test_counting_rules(in_zoetermeer, alice):
    period = progress.period_from_row(a_period(alice, start_days_ago=100))
    contacted_employer(alice, next(KVK), on=days_ago(10))
    contacted_employer(alice, next(KVK), on=days_ago(100))  # the first day counts
    contacted_employer(alice, next(KVK), on=days_ago(101))  # the day before does not
    new_employer = contacted_employer(alice, next(KVK), on=days_ago(5))
    samira = new_candidate(alice, email="a@example.org")
    placed(samira, new_employer, alice, kind="job", start=days_ago(3))
    placed(samira, new_employer, alice, kind="job", start=days_ago(150))  # before the period
    placed(samira, new_employer, alice, kind="job", start=days_ago(-3))  # not started yet
    placed(samira, new_employer, alice, kind="work_experience", start=days_ago(20))
    placed(samira, new_employer, alice, kind="trial", start=days_ago(20))  # never counts
    assert progress.counts(period) == {
        "employer_contacts": 3, "regular_jobs": 1, "work_experience_places": 1}
    # counted up to an earlier day
    assert progress.counts(period, today=days_ago(6)) == {
        "employer_contacts": 2, "regular_jobs": 0, "work_experience_places": 1}
    statuses = progress.target_progress(period)
    assert [s.key for s in statuses] == list(progress.KEYS)
    jobs = statuses[1]
    assert (jobs.count, jobs.target, jobs.share) == (1, 40, 1 / 40)
    assert jobs.expected == 40 * 101 // 365 and jobs.behind


def test_placements_after_the_end_do_not_count(in_zoetermeer, alice):
    period = progress.period_from_row(a_period(alice, start_days_ago=100, length=50))
    employer = contacted_employer(alice, next(KVK), on=days_ago(30))  # after the end
    placed(new_candidate(alice, email="b@example.org"), employer, alice, kind="job",
           start=days_ago(30))
    assert progress.counts(period) == dict.fromkeys(progress.KEYS, 0)


def test_burn_up_is_weekly_and_cumulative(in_zoetermeer, alice, django_assert_num_queries):
    period = progress.period_from_row(a_period(alice, start_days_ago=20))
    for day in (20, 19, 12, 1):
        contacted_employer(alice, next(KVK), on=days_ago(day))
    with django_assert_num_queries(1):
        points = progress.burn_up(period, "employer_contacts")
    assert points == [(days_ago(20), 1), (days_ago(13), 2), (days_ago(6), 3), (days_ago(0), 4)]
    assert progress.burn_up(period, "regular_jobs") == [
        (days_ago(20), 0), (days_ago(13), 0), (days_ago(6), 0), (days_ago(0), 0)]


def test_current_period_falls_back_to_the_municipality(in_zoetermeer, alice):
    municipality = Municipality.objects.get(schema_name=connection.schema_name)
    period = progress.current_period()
    assert (period.start, period.end, period.id) == (
        municipality.period_start, municipality.period_end, None)
    assert period.targets == {"employer_contacts": 70, "regular_jobs": 40,
                              "work_experience_places": 20}


def test_per_manager(in_zoetermeer, alice, bob, carol):
    period = progress.period_from_row(a_period(carol))
    contacted_employer(alice, next(KVK), on=days_ago(3))
    contacted_employer(alice, next(KVK), on=days_ago(4))
    bobs_employer = contacted_employer(bob, next(KVK), on=days_ago(5))
    orphan = contacted_employer(bob, next(KVK), on=days_ago(6))
    services.update_employer(orphan.pk, by=carol, expected_version=None, owner=None)
    placed(new_candidate(alice, email="c@example.org"), bobs_employer, alice, kind="job",
           start=days_ago(2))
    placed(new_candidate(bob, email="d@example.org"), bobs_employer, bob,
           kind="work_experience", start=days_ago(2))
    rows = {row.name: row for row in progress.per_manager(period)}
    as_tuple = {name: (r.employer_contacts, r.regular_jobs, r.work_experience_places)
                for name, r in rows.items()}
    assert as_tuple == {
        str(alice): (2, 1, 0), str(bob): (1, 0, 1), str(carol): (0, 0, 0),
        str(gettext("no relationship manager")): (1, 0, 0)}


def test_funnel(in_zoetermeer, alice):
    from matching_events.models import Opportunity, Registration
    from matching_events.services.opportunities import create_opportunity
    from relations.models import Candidate, Employer
    from tests.targets.conftest import confirmed_registration, new_meetup

    period = progress.period_from_row(a_period(alice))
    one = new_candidate(alice, email="e@example.org")
    two = new_candidate(alice, email="f@example.org")
    new_candidate(alice, email="g@example.org", status=Candidate.Status.INTAKE)  # not active
    from matching_events.models import Meetup

    meetup = new_meetup(alice)
    registration = confirmed_registration(meetup, one, alice)
    confirmed_registration(meetup, two, alice)  # registered, not present
    # The meetup was held yesterday (set directly: the services refuse dates in the past).
    Meetup.objects.filter(pk=meetup.pk).update(starts_at=meetup.starts_at - timedelta(days=8))
    Registration.objects.filter(pk=registration.pk).update(attended=True)
    partner = contacted_employer(alice, next(KVK), on=days_ago(3))
    Employer.objects.filter(pk=partner.pk).update(status=Employer.Status.ACTIVE_PARTNER)
    create_opportunity(partner.pk, by=alice, title="Kok", kind="job",
                       status=Opportunity.Status.OPEN)
    contacted_employer(alice, next(KVK), on=days_ago(4))
    contacted_employer(alice, next(KVK), on=days_ago(400))  # before the period
    placed(two, partner, alice, kind="trial", start=days_ago(1))
    result = progress.funnel(period)
    assert [(s.key, s.count) for s in result.candidates] == [
        ("active", 2), ("meetup", 1), ("match_lead", 0), ("placement", 1)]
    assert result.candidates[1].share == 0.5
    assert [(s.key, s.count) for s in result.employers] == [
        ("contacted", 2), ("active_partner", 1), ("offering", 1)]


def _zrm(candidate, by, days: int, scores: dict[int, int]):
    services.record_zrm_assessment(candidate, assessed_on=days_ago(days),
                                   scores={d: scores.get(d, 3) for d in range(1, 14)}, by=by)


def test_zrm_progress(in_zoetermeer, alice):
    improved = new_candidate(alice, email="h@example.org")
    _zrm(improved, alice, 300, {1: 2, 2: 2})
    _zrm(improved, alice, 100, {1: 1})  # a middle one is ignored
    _zrm(improved, alice, 10, {1: 4, 2: 1})
    same = new_candidate(alice, email="i@example.org")
    _zrm(same, alice, 200, {})
    _zrm(same, alice, 20, {})
    once = new_candidate(alice, email="j@example.org")
    _zrm(once, alice, 20, {1: 5})
    result = progress.zrm_progress()
    assert (result.assessed, result.improved, result.share) == (2, 1, 0.5)
    domains = {d.domain: d for d in result.domains}
    assert len(domains) == 13
    assert (domains[1].compared, domains[1].improved, domains[1].share) == (2, 1, 0.5)
    assert (domains[2].improved, domains[2].worsened) == (0, 1)
    assert domains[3].share == 0.0


def test_ladder_movement(in_zoetermeer, alice):
    period = progress.period_from_row(a_period(alice, start_days_ago=100))
    up = new_candidate(alice, email="k@example.org")
    services.record_ladder_step(up, rung=2, on=days_ago(200), by=alice)  # before: the baseline
    services.record_ladder_step(up, rung=4, on=days_ago(50), by=alice)
    down = new_candidate(alice, email="l@example.org")
    services.record_ladder_step(down, rung=3, on=days_ago(90), by=alice)
    services.record_ladder_step(down, rung=2, on=days_ago(10), by=alice)
    same = new_candidate(alice, email="m@example.org")
    services.record_ladder_step(same, rung=3, on=days_ago(90), by=alice)
    services.record_ladder_step(same, rung=5, on=days_ago(60), by=alice)
    services.record_ladder_step(same, rung=3, on=days_ago(5), by=alice)
    once = new_candidate(alice, email="n@example.org")  # one step only: nothing to compare
    services.record_ladder_step(once, rung=3, on=days_ago(5), by=alice)
    idle = new_candidate(alice, email="o@example.org")  # no step in the period
    services.record_ladder_step(idle, rung=3, on=days_ago(300), by=alice)
    result = progress.ladder_movement(period)
    assert (result.up, result.same, result.down) == (1, 1, 1)
    assert result.share("up") == 1 / 3
    # 55 days ago only "same" had two steps inside the period (3 then 5)
    assert progress.ladder_movement(period, today=days_ago(55)) == progress.LadderMovement(
        up=1, same=0, down=0)
    assert progress.ladder_movement(period, today=period.start - timedelta(days=1)).total == 0


def test_the_daily_recount_uses_the_recorded_period(in_zoetermeer, alice):
    from targets.services import recount_target_progress

    a_period(alice, start_days_ago=10, target_regular_jobs=12)
    contacted_employer(alice, next(KVK), on=days_ago(3))
    contacted_employer(alice, next(KVK), on=days_ago(30))  # before the period
    row = recount_target_progress()
    assert (row.employer_contacts, row.target_regular_jobs) == (1, 12)
    municipality = Municipality.objects.get(schema_name=connection.schema_name)
    assert (municipality.period_start, municipality.target_regular_jobs) == (days_ago(10), 12)
