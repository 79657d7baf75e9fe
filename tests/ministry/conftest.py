"""Fixtures of the ministry tests: a known data set in Zoetermeer, ministry users, tokens."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.roles import Role
from matching_events.models import Meetup, Registration, SurveyResponse
from matching_events.services.placements import record_placement
from relations import services
from relations.models import ContactMoment
from tests.conftest import make_user
from tests.relations.conftest import alice, new_candidate, new_employer  # noqa: F401

TODAY = timezone.localdate()
START = TODAY - timedelta(days=60)
END = START + timedelta(days=365)


@pytest.fixture
def analyst(national):
    return make_user(national, Role.MINISTRY_ANALYST, "analist@ministerie.example")


@pytest.fixture
def operator(national):
    return make_user(national, Role.OPERATOR, "beheer@werktop.example")


def _aware(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def build_zoetermeer(owner) -> dict[str, int]:
    """Inside Zoetermeer's schema: a data set whose figures are known. Returns them."""
    employers = []
    for index, day in enumerate([START, START + timedelta(days=10), TODAY,
                                 START - timedelta(days=1)]):
        employer = new_employer(owner, name=f"Bedrijf {index}", kvk_number=f"2731215{index}")
        services.log_contact_moment(employer, kind=ContactMoment.Kind.VISIT,
                                    occurred_at=_aware(day), summary="Kennismaking", by=owner)
        employers.append(employer)
    placements = [("job", START + timedelta(days=d)) for d in (1, 2, 3, 4, 5, 9)]
    placements += [("job", START - timedelta(days=3)),  # before the period: does not count
                   ("job", TODAY + timedelta(days=5)),  # not started yet: does not count
                   ("work_experience", START + timedelta(days=20)),
                   ("work_experience", TODAY), ("trial", START + timedelta(days=30))]
    candidates = []
    for index, (kind, day) in enumerate(placements):
        candidate = new_candidate(owner, first_name=f"Kandidaat{index}",
                                  email=f"k{index}@example.org")
        candidates.append(candidate)
        record_placement(candidate_id=candidate.pk, employer_id=employers[0].pk, by=owner,
                         kind=kind, start_date=day)
    # ZRM: two candidates improved on a domain, one did not, one has a single assessment.
    base = dict.fromkeys(range(1, 14), 2)
    for candidate, later in ((candidates[0], {**base, 3: 4}), (candidates[1], {**base, 1: 3}),
                             (candidates[2], base), (candidates[3], None)):
        services.record_zrm_assessment(candidate, assessed_on=START - timedelta(days=5),
                                       scores=base, by=owner)
        if later:
            services.record_zrm_assessment(candidate, assessed_on=TODAY, scores=later, by=owner)
    meetup = Meetup.objects.create(title="Prettig gesprek", organiser=owner,
                                   status=Meetup.Status.HELD,
                                   starts_at=_aware(START + timedelta(days=14)))
    Meetup.objects.create(title="Concept", organiser=owner, status=Meetup.Status.DRAFT,
                          starts_at=_aware(START + timedelta(days=15)))
    registrations = [Registration.objects.create(
        meetup=meetup, candidate=candidate, status=Registration.Status.CONFIRMED,
        attended=index < 3) for index, candidate in enumerate(candidates[:4])]
    for registration, score in zip(registrations[:3], (4, 5, 3), strict=True):
        SurveyResponse.objects.create(meetup=meetup, respondent="candidate",
                                      registration=registration, approach=score,
                                      relationship_manager=5, self_efficacy=None)
    return {"new_employer_contacts": 3, "regular_jobs": 6, "work_experience_places": 2,
            "trial_placements": 1, "meetups_held": 1, "candidates_attending": 3,
            "zrm_candidates": 3}


@pytest.fixture
def zoetermeer_data(zoetermeer, alice):  # noqa: F811
    zoetermeer.period_start, zoetermeer.period_end = START, END
    zoetermeer.save(update_fields=["period_start", "period_end"])
    with tenant_context(zoetermeer):
        return build_zoetermeer(alice)
