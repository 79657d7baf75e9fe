"""When a candidate or an employer is erased, their survey answers stay as anonymous scores
(the ministry's satisfaction figures count them) and lose the free-text comment, which may
hold personal data. Connected in `MatchingEventsConfig.ready()` (pre_delete: the registration
or participation is still there to find the answers by)."""

from typing import Any

from django.db.models.signals import pre_delete

from relations.models import Candidate, Employer

from .models import SurveyResponse


def anonymise_candidate_surveys(sender: type, instance: Any, **kwargs: Any) -> None:
    SurveyResponse.objects.filter(registration__candidate=instance).update(
        registration=None, comment="")


def anonymise_employer_surveys(sender: type, instance: Any, **kwargs: Any) -> None:
    SurveyResponse.objects.filter(participation__employer=instance).update(
        participation=None, comment="")


def connect() -> None:
    pre_delete.connect(anonymise_candidate_surveys, sender=Candidate,
                       dispatch_uid="matching-anonymise-candidate-surveys")
    pre_delete.connect(anonymise_employer_surveys, sender=Employer,
                       dispatch_uid="matching-anonymise-employer-surveys")
