"""Small-count suppression (one function for the dashboard, the exports and the API) and the
absence of personal data in the rollup tables."""

import json
from datetime import date

import pytest
from django.core import serializers
from django_tenants.utils import tenant_context

from ministry import figures
from ministry.models import PeriodRollup, WeekRollup
from ministry.rollups import publish_rollup
from ministry.suppression import (
    PERSON_COUNTS,
    SUPPRESSED,
    suppress,
    suppress_progress,
    suppress_row,
    suppress_total,
)


@pytest.mark.parametrize(("value", "shown"), [
    (0, SUPPRESSED), (1, SUPPRESSED), (4, SUPPRESSED), (5, 5), (40, 40), (None, None)])
def test_counts_below_five_are_suppressed(value, shown):
    assert suppress(value) == shown


def test_a_row_suppresses_person_counts_and_what_is_derived_from_them():
    raw = {"new_employer_contacts": 2, "meetups_held": 1, "target_regular_jobs": 40,
           "regular_jobs": 3, "work_experience_places": 7, "candidates_attending": 4,
           "zrm_candidates": 4, "zrm_improved_share": 0.75,
           "satisfaction_approach": 4.2, "satisfaction_approach_responses": 12}
    row = suppress_row(raw)
    # Businesses, events and targets are not about persons.
    assert row["new_employer_contacts"] == 2
    assert row["meetups_held"] == 1
    assert row["target_regular_jobs"] == 40
    assert row["regular_jobs"] == row["candidates_attending"] == row["zrm_candidates"] == "<5"
    assert row["work_experience_places"] == 7
    assert row["zrm_improved_share"] is None  # 3 of 4 would name the count
    assert row["satisfaction_approach"] == 4.2
    assert raw["regular_jobs"] == 3, "the input is not changed"


def test_a_suppressed_count_hides_its_share_and_says_behind_only_when_certain():
    hidden = suppress_progress(3, 40, 20.0, about_persons=True)
    assert hidden == {"count": "<5", "target": 40, "share": None, "expected": 20,
                      "behind": True}
    unsure = suppress_progress(3, 40, 4.5, about_persons=True)
    assert unsure["behind"] is None and unsure["share"] is None
    employers = suppress_progress(3, 70, 10.0, about_persons=False)
    assert employers["count"] == 3 and employers["share"] == pytest.approx(3 / 70)
    assert employers["behind"] is True
    shown = suppress_progress(12, 40, 10.9, about_persons=True)
    assert shown["count"] == 12 and shown["behind"] is False


@pytest.mark.parametrize("model", [PeriodRollup, WeekRollup])
def test_rollup_tables_have_no_fields_for_names_or_identifiers(model):
    """No text field can hold a name or an e-mail address; the only relation is to the
    municipality, so no candidate, employer or staff id can be stored either."""
    from django.db import models

    allowed = (models.DateField, models.PositiveIntegerField, models.FloatField,
               models.BigAutoField)
    for field in model._meta.get_fields():
        if field.is_relation:
            assert field.name == "municipality", field.name
            assert field.related_model._meta.label == "tenants.Municipality"
        else:
            assert isinstance(field, allowed), field.name
            assert not isinstance(field, models.CharField | models.TextField), field.name


@pytest.mark.django_db
def test_a_serialized_rollup_holds_no_names_or_ids_of_people(zoetermeer, zoetermeer_data):
    from matching_events.models import Placement
    from relations.models import Candidate, Employer

    with tenant_context(zoetermeer):
        publish_rollup()
        people = list(Candidate.objects.values_list("first_name", "last_name", "email"))
        businesses = list(Employer.objects.values_list("name", "kvk_number"))
        ids = {str(pk) for model in (Candidate, Employer, Placement)
               for pk in model.objects.values_list("pk", flat=True)}
    text = serializers.serialize("json", [*PeriodRollup.objects.all(),
                                          *WeekRollup.objects.all()])
    for value in {v for row in [*people, *businesses] for v in row if v}:
        assert value.lower() not in text.lower(), value
    for row in json.loads(text):
        fields = row["fields"]
        assert set(fields) - {"municipality"} <= (
            {f.name for f in PeriodRollup._meta.fields} | {"week_start"})
        # The only identifier is the municipality's; every other value is a count, a share,
        # a mean or a date.
        for name, value in fields.items():
            if name in PERSON_COUNTS or name == "municipality":
                continue
            assert not isinstance(value, str) or _is_date(value), (name, value)
    assert ids  # the data set has people; none of their ids is a field of the rollup


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(("total", "hidden_count", "hidden_sum", "shown"), [
    (500, 0, 0, 500),  # nothing suppressed among the contributions
    (3, 0, 0, SUPPRESSED),  # the total itself is small
    (500, 1, 3, None),  # total minus the shown figures would be the one suppressed count
    (500, 2, 3, None),  # the suppressed ones together below 5: would tell 0 from 1-4
    (500, 3, 6, 500),
])
def test_totals_are_withheld_when_differencing_would_reveal_a_suppressed_count(
        total, hidden_count, hidden_sum, shown):
    assert suppress_total(total, hidden_count, hidden_sum) == shown


def _row(code: str, regular_jobs: int) -> figures.Row:
    raw = {name: 0 for name in figures.PERIOD_FIELDS}
    raw.update(period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
               computed_on=date(2026, 6, 1), target_employer_contacts=70,
               target_regular_jobs=40, target_work_experience_places=20,
               new_employer_contacts=30, regular_jobs=regular_jobs, work_experience_places=9,
               trial_placements=8, candidates_attending=12)
    return figures.make_row(code, code, "Flevoland", raw, date(2026, 6, 1))


def test_a_province_total_does_not_give_away_its_one_small_municipality():
    rows = [_row("GM0034", 20), _row("GM0050", 11), _row("GM0303", 3)]
    assert [row.figures["regular_jobs"] for row in rows] == [20, 11, SUPPRESSED]
    totals = figures.totals(rows)
    assert totals["regular_jobs"] is None  # 34 - 20 - 11 would be the suppressed 3
    assert totals["work_experience_places"] == 27  # nothing suppressed: shown
    assert totals["new_employer_contacts"] == 90
    rows.append(_row("GM0995", 4))
    assert figures.totals(rows)["regular_jobs"] == 38  # 3 + 4 hidden: no single one follows
