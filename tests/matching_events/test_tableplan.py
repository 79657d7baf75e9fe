"""The table plan: properties of the algorithm (also over many random sizes), the service
that stores it and its hand adjustments, the screen, the PDF and municipality isolation."""

import random
import time

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from matching_events.models import TableSeat
from matching_events.services import meetups, seating
from matching_events.tableplan.planner import TablePlan, plan_rounds
from tests.conftest import query_budget
from tests.matching_events.conftest import confirmed_registration, new_meetup
from tests.relations.conftest import logged_in, new_candidate, new_employer


def check(plan: TablePlan, employers, candidates, rounds: int) -> None:
    """The properties every plan has."""
    assert len(plan) == max(0, rounds)
    seen = set()
    for seating_ in plan:
        assert set(seating_) <= set(employers)
        assert len(set(seating_.values())) == len(seating_), "a candidate sits twice"
        for pair in seating_.items():
            assert pair not in seen, "a pair meets twice"
            seen.add(pair)
    met = {candidate for _employer, candidate in seen}
    assert met <= set(candidates)
    assert set(plan.unseated) == set(candidates) - met
    if rounds * len(employers) >= len(candidates):
        assert plan.complete and met == set(candidates)
    if len(employers) <= len(candidates):  # every table full as long as there are new people
        for employer in employers:
            assert sum(employer in s for s in plan) == min(max(rounds, 0), len(candidates))
    else:  # every candidate talks in every round while there are employers they have not met
        for seating_ in plan[:len(employers)]:
            assert len(seating_) == len(candidates)


def scores_for(employers, candidates, rng):
    return {(e, c): rng.randint(0, 100) for e in employers for c in candidates}


def test_the_best_scores_come_first_and_nobody_is_left_out():
    employers, candidates = [1, 2], [10, 11, 12, 13]
    scores = {(1, 10): 90, (2, 10): 10, (1, 11): 80, (2, 11): 70, (1, 12): 5, (2, 12): 60}
    plan = plan_rounds(employers, candidates, scores, 3)
    check(plan, employers, candidates, 3)
    assert plan[0] == {1: 10, 2: 11} or plan[0] == {1: 10, 2: 12}
    assert plan[0][1] == 10  # the best pair sits together first


def test_fewer_conversations_go_first():
    employers, candidates = [1], [10, 11, 12]
    scores = {(1, 10): 100, (1, 11): 50, (1, 12): 0}
    plan = plan_rounds(employers, candidates, scores, 3)
    assert [s[1] for s in plan] == [10, 11, 12]


def test_more_rounds_than_needed_leave_later_rounds_empty():
    plan = plan_rounds([1, 2], [10, 11, 12], {}, 9)
    check(plan, [1, 2], [10, 11, 12], 9)
    assert sum(len(s) for s in plan) == 6  # every pair once, no more
    assert plan[-1] == {}


def test_more_employers_than_candidates_spreads_the_candidates():
    employers, candidates = list(range(1, 9)), [100, 101]
    plan = plan_rounds(employers, candidates, {(1, 100): 100, (1, 101): 100}, 4)
    check(plan, employers, candidates, 4)
    assert all(len(s) == 2 for s in plan)
    assert {e for s in plan for e in s} == set(employers)  # every employer meets someone


def test_zero_candidates_zero_employers_and_too_few_rounds():
    assert plan_rounds([1, 2], [], {}, 3).rounds == [{}, {}, {}]
    nobody = plan_rounds([], [10, 11], {}, 2)
    assert nobody.unseated == [10, 11] and not nobody.complete
    short = plan_rounds([1], [10, 11, 12], {(1, 12): 9}, 2)
    check(short, [1], [10, 11, 12], 2)
    assert len(short.unseated) == 1


def test_properties_hold_for_many_random_sizes():
    rng = random.Random(20260401)
    for _case in range(400):
        employers = rng.sample(range(1, 500), rng.randint(0, 12))
        candidates = rng.sample(range(1000, 5000), rng.randint(0, 40))
        rounds = rng.randint(0, 10)
        plan = plan_rounds(employers, candidates, scores_for(employers, candidates, rng),
                           rounds)
        check(plan, employers, candidates, rounds)
        again = plan_rounds(list(reversed(employers)), list(reversed(candidates)),
                            scores_for(employers, candidates, random.Random(0)), rounds)
        assert len(again) == len(plan)


def test_it_is_deterministic_and_fast():
    rng = random.Random(7)
    employers, candidates = list(range(1, 16)), list(range(100, 160))
    scores = scores_for(employers, candidates, rng)
    started = time.perf_counter()
    plan = plan_rounds(employers, candidates, scores, 9)
    assert time.perf_counter() - started < 1
    assert plan == plan_rounds(employers, candidates, dict(scores), 9)
    check(plan, employers, candidates, 9)


# --- the service ---------------------------------------------------------------------------

@pytest.fixture
def evening(in_zoetermeer, alice):
    """A meetup of 3 rounds with 2 confirmed employers and 4 confirmed candidates."""
    meetup = new_meetup(alice, duration_minutes=30, round_minutes=10)
    employers = [new_employer(alice, name=f"Werkgever {n}", kvk_number=f"4567890{n}",
                              sector="Q", postcode="2711 AB") for n in range(2)]
    for participation in meetups.invite_employers(meetup.pk, [e.pk for e in employers],
                                                  by=alice):
        meetups.set_employer_status(participation.pk, "confirmed", by=alice)
    candidates = [new_candidate(alice, first_name=f"Kandidaat{n}", preferred_sectors=["Q"])
                  for n in range(4)]
    for candidate in candidates:
        confirmed_registration(meetup, candidate, alice)
    return meetup, employers, candidates


def test_make_table_plan_seats_everyone_and_replaces_the_old_plan(evening, alice):
    meetup, employers, candidates = evening
    seats = seating.make_table_plan(meetup.pk, by=alice)
    assert len(seats) == 6  # 2 tables × 3 rounds
    assert {s.candidate_id for s in seats} == {c.pk for c in candidates}
    assert all(s.score > 0 for s in seats)
    seating.make_table_plan(meetup.pk, by=alice)
    assert TableSeat.objects.filter(meetup=meetup).count() == 6


def test_set_seat_refuses_a_double_booking_and_changes_nothing(evening, alice):
    meetup, employers, candidates = evening
    seating.make_table_plan(meetup.pk, by=alice)
    before = list(TableSeat.objects.filter(meetup=meetup).values_list(
        "round_no", "employer_id", "candidate_id").order_by("round_no", "employer_id"))
    seat = TableSeat.objects.filter(meetup=meetup, round_no=1).order_by("employer_id")[0]
    other = TableSeat.objects.filter(meetup=meetup, round_no=1).exclude(pk=seat.pk).get()
    with pytest.raises(ValidationError) as refused:
        seating.set_seat(meetup.pk, round_no=1, employer_id=seat.employer_id,
                         candidate_id=other.candidate_id, by=alice)
    assert "round 1" in " ".join(refused.value.messages) or "ronde 1" in " ".join(
        refused.value.messages)
    stranger = new_candidate(alice, first_name="Niet", last_name="Aangemeld")
    with pytest.raises(ValidationError):
        seating.set_seat(meetup.pk, round_no=1, employer_id=seat.employer_id,
                         candidate_id=stranger.pk, by=alice)
    after = list(TableSeat.objects.filter(meetup=meetup).values_list(
        "round_no", "employer_id", "candidate_id").order_by("round_no", "employer_id"))
    assert after == before


def test_set_seat_moves_and_empties(evening, alice):
    meetup, employers, candidates = evening
    seating.make_table_plan(meetup.pk, by=alice)
    seated = set(TableSeat.objects.filter(meetup=meetup, round_no=3).values_list(
        "candidate_id", flat=True))
    met_first = set(TableSeat.objects.filter(meetup=meetup, employer=employers[0]).values_list(
        "candidate_id", flat=True))
    free = next(c for c in candidates if c.pk not in seated and c.pk not in met_first)
    seating.set_seat(meetup.pk, round_no=3, employer_id=employers[0].pk,
                     candidate_id=free.pk, by=alice)
    assert TableSeat.objects.get(meetup=meetup, round_no=3, employer=employers[0]).candidate \
        == free
    seating.set_seat(meetup.pk, round_no=3, employer_id=employers[0].pk, candidate_id=None,
                     by=alice)
    assert not TableSeat.objects.filter(meetup=meetup, round_no=3,
                                        employer=employers[0]).exists()


def test_the_plan_view_and_pdf_take_a_fixed_number_of_queries(evening, alice):
    meetup, employers, candidates = evening
    seating.make_table_plan(meetup.pk, by=alice)
    with query_budget(4):  # employers, candidates, seats, the viewer's portfolio
        plan = seating.table_plan(meetup, viewer=alice)
        assert len(plan.rounds) == 3 and len(plan.rounds[0].tables) == 2
        assert all(s.conversations >= 1 for s in plan.schedules)
    assert plan.has_plan and not plan.unseated
    pdf, _plan = seating.table_plan_pdf(meetup, viewer=alice)
    assert pdf.startswith(b"%PDF")


# --- views ---------------------------------------------------------------------------------

def test_the_table_plan_screens_work_for_a_relationship_manager(zoetermeer, alice):
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice, duration_minutes=20, round_minutes=10)
        employer = new_employer(alice, name="Zorgcentrum De Linde")
        participation, = meetups.invite_employers(meetup.pk, [employer.pk], by=alice)
        meetups.set_employer_status(participation.pk, "confirmed", by=alice)
        candidate = new_candidate(alice)
        confirmed_registration(meetup, candidate, alice)
    client = logged_in(zoetermeer, alice)
    url = f"/werkplek/bijeenkomsten/{meetup.pk}/tafelindeling/"
    assert client.get(url).status_code == 200
    assert client.post(url + "maken/").status_code == 302
    page = client.get(url)
    assert "Zorgcentrum De Linde" in page.content.decode()
    assert "Samira Bouzid" in page.content.decode()
    response = client.post(url + "plaats/", {"round_no": "2", "employer_id": employer.pk,
                                             "candidate_id": candidate.pk})
    assert response.status_code == 302
    pdf = client.get(f"/werkplek/bijeenkomsten/{meetup.pk}/tafelindeling.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_meetup_of_another_municipality_is_a_404(zoetermeer, hilversum, alice, charlie):
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice)
    client = logged_in(hilversum, charlie)
    for path in ("tafelindeling/", "tafelindeling.pdf", "suggesties/"):
        assert client.get(f"/werkplek/bijeenkomsten/{meetup.pk}/{path}").status_code == 404
    assert client.post(
        f"/werkplek/bijeenkomsten/{meetup.pk}/tafelindeling/maken/").status_code == 404


def test_making_a_pdf_leaves_pillow_strict_about_broken_images():
    from PIL import ImageFile

    from core.pdf import html_to_pdf

    assert html_to_pdf("<p>Tafelindeling</p>").startswith(b"%PDF")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
