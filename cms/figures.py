"""Live figures for the portal's home page: counts of businesses, never of people."""

from relations.models import Employer


def live_figures() -> dict[str, int]:
    taking_part = Employer.objects.filter(
        status__in=[Employer.Status.IN_CONTACT, Employer.Status.ACTIVE_PARTNER]).count()
    return {"employers": taking_part}
