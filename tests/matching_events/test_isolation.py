"""Every model of matching_events lives in its municipality's schema: Hilversum sees none of
Zoetermeer's rows, and a Zoetermeer id used in Hilversum finds nothing."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from django_tenants.utils import tenant_context

from matching_events.models import Meetup
from matching_events.services import meetups, opportunities, outcomes, placements, seating

from .conftest import confirmed_registration, new_candidate, new_employer, new_meetup


def fill_every_model(alice):
    meetup = new_meetup(alice, publish=False, starts_at=None)
    employer = new_employer(alice)
    (participation,) = meetups.invite_employers(meetup.pk, [employer.pk], by=alice)
    first, _second = meetups.propose_dates(
        meetup.pk, [timezone.now() + timedelta(days=5), timezone.now() + timedelta(days=6)],
        by=alice)
    from matching_events import tokens
    meetups.answer_invitation(
        tokens.make_token(tokens.EMPLOYER, participation.pk, participation.link_key),
        coming=True, suitable_dates=[first.pk])
    meetups.choose_date(meetup.pk, first.pk, by=alice)
    meetups.publish_meetup(meetup.pk, by=alice)
    registration = confirmed_registration(meetup, new_candidate(alice), alice)
    Meetup.objects.filter(pk=meetup.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    outcomes.check_in(registration.pk, present=True, by=alice)
    outcomes.check_in_employer(participation.pk, present=True, by=alice)
    seating.make_table_plan(meetup.pk, by=alice)
    outcomes.record_outcome(meetup.pk, employer_id=employer.pk,
                            candidate_id=registration.candidate_id, employer_says="yes",
                            candidate_says="yes", by=alice)
    meetups.mark_held(meetup.pk, by=alice)
    from matching_events import tokens as t
    outcomes.answer_candidate_survey(
        t.make_token(t.MANAGE, registration.pk, registration.link_key), {"approach": "5"})
    opportunity = opportunities.create_opportunity(employer.pk, by=alice, title="Kok")
    pledge = opportunities.record_pledge(employer.pk, by=alice, description="Twee koks",
                                         places=2, made_on=date(2026, 1, 5))
    placements.record_placement(candidate_id=registration.candidate_id,
                                employer_id=employer.pk, by=alice, kind="job",
                                start_date=date(2026, 2, 1), opportunity=opportunity,
                                pledge=pledge)
    from matching_events.services import accounts
    from relations.services import add_contact_person
    contact = add_contact_person(employer, name="Petra", email="petra@bakkerij.example")
    accounts.invite_employer_user(employer.pk, contact.pk, by=alice)
    accounts.create_candidate_user(registration.candidate_id)


def test_no_row_of_any_model_crosses_to_another_municipality(alice, zoetermeer, hilversum,
                                                             django_capture_on_commit_callbacks):
    models = list(apps.get_app_config("matching_events").get_models())
    with tenant_context(zoetermeer):
        with django_capture_on_commit_callbacks(execute=True):
            fill_every_model(alice)
        ids = {model: list(model.objects.values_list("pk", flat=True)) for model in models}
    empty = [m.__name__ for m, pks in ids.items() if not pks]
    assert not empty, f"fill these models too: {empty}"
    with tenant_context(hilversum):
        for model, pks in ids.items():
            assert not model.objects.exists(), model.__name__
            assert not model.objects.filter(pk__in=pks).exists(), model.__name__


@pytest.mark.usefixtures("in_zoetermeer")
def test_a_meetup_id_of_zoetermeer_is_unknown_in_hilversum(alice, hilversum):
    meetup = new_meetup(alice)
    with tenant_context(hilversum):
        with pytest.raises(Meetup.DoesNotExist):
            meetups.publish_meetup(meetup.pk, by=alice)
