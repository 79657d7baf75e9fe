"""Erasing a candidate who filled in a meetup survey: the file goes, the scores stay as
anonymous answers without the comment (found while writing docs/data-inventory.md)."""

import pytest

from matching_events.models import Meetup, SurveyResponse
from relations.models import Candidate
from relations.privacy import erase_candidate

from .conftest import confirmed_registration, new_candidate, new_meetup

pytestmark = pytest.mark.django_db


def test_a_candidate_with_survey_answers_can_be_erased(zoetermeer, alice, carol, in_zoetermeer):
    meetup = new_meetup(alice)
    samira = new_candidate(alice)
    registration = confirmed_registration(meetup, samira, alice)
    Meetup.objects.filter(pk=meetup.pk).update(status=Meetup.Status.HELD)
    SurveyResponse.objects.create(meetup=meetup, registration=registration,
                                  respondent=SurveyResponse.Respondent.CANDIDATE,
                                  approach=5, comment="Ik ben Samira, bel me op 06-12345678")
    assert erase_candidate(samira.pk, by=carol, reason="verzoek van betrokkene")
    assert not Candidate.objects.filter(pk=samira.pk).exists()
    (answer,) = SurveyResponse.objects.all()
    assert answer.registration is None and answer.comment == "" and answer.approach == 5

