"""Target bookkeeping. Runs inside a municipality's schema."""

from django.db import connection
from django.utils import timezone

from matching_events.counting import placements_in_period
from relations.selectors import new_employer_contacts
from tenants.models import Municipality

from .models import TargetProgress


def recount_target_progress() -> TargetProgress:
    """Recount today's progress of the current municipality. Idempotent: one row per day.

    New employer contacts: employers whose first contact moment falls inside the project
    period. Regular jobs and work-experience places: placements of that kind that start inside
    the period (`matching_events.counting`); trial placements count towards neither.
    """
    # connection.tenant may be a stand-in (schema_context); read the real row.
    municipality = Municipality.objects.get(schema_name=connection.schema_name)
    placements = placements_in_period(municipality.period_start, municipality.period_end)
    progress, _ = TargetProgress.objects.update_or_create(
        day=timezone.localdate(),
        defaults={
            "employer_contacts": new_employer_contacts(
                municipality.period_start, municipality.period_end),
            "regular_jobs": placements["job"],
            "work_experience_places": placements["work_experience"],
            "target_employer_contacts": municipality.target_employer_contacts,
            "target_regular_jobs": municipality.target_regular_jobs,
            "target_work_experience_places": municipality.target_work_experience_places,
            "counted_in_schema": connection.schema_name,
            "recounted_at": timezone.now(),
        },
    )
    return progress
