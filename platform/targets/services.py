"""Target bookkeeping (writes). Runs inside a municipality's schema."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.schemas import current_schema
from tenants.current import current_municipality
from tenants.models import Municipality

from . import progress
from .models import MAX_TARGET, ProjectPeriod, TargetProgress

TARGET_FIELDS = ("target_employer_contacts", "target_regular_jobs",
                 "target_work_experience_places")


def recount_target_progress() -> TargetProgress:
    """Recount today's progress of the current municipality. Idempotent: one row per day.

    Counts the current project period (`progress.current_period`: the recorded
    `ProjectPeriod`, or the municipality's own fields) with the rules of `progress.counts`.
    Without a period everything counts 0 against the municipality's default targets."""
    period = progress.current_period()
    if period is None:
        municipality = current_municipality()
        counted = dict.fromkeys(progress.KEYS, 0)
        targets = {key: getattr(municipality, f"target_{key}") for key in progress.KEYS}
    else:
        counted, targets = progress.counts(period), period.targets
    row, _created = TargetProgress.objects.update_or_create(
        day=timezone.localdate(),
        defaults={
            **counted,
            **{f"target_{key}": targets[key] for key in progress.KEYS},
            "counted_in_schema": current_schema(),
            "recounted_at": timezone.now(),
        },
    )
    return row


def validate_period(*, start: date | None, end: date | None, targets: dict[str, int | None]
                    ) -> None:
    """Raise a ValidationError with a Dutch message per wrong field (nothing is saved)."""
    errors: dict[str, list[str]] = {}
    if start is None:
        errors.setdefault("start", []).append(_("Enter the start date."))
    if end is None:
        errors.setdefault("end", []).append(_("Enter the end date."))
    if start and end and end <= start:
        errors.setdefault("end", []).append(
            _("The end date must lie after the start date."))
    for field, value in targets.items():
        if value is None:
            errors.setdefault(field, []).append(_("Enter a target."))
        elif value < 0:
            errors.setdefault(field, []).append(_("A target cannot be negative."))
        elif value > MAX_TARGET:
            errors.setdefault(field, []).append(
                _("A target of more than %(max)s is not realistic.") % {"max": MAX_TARGET})
    if errors:
        raise ValidationError(errors)


def _mirror_onto_municipality() -> None:
    """Copy the current period onto the municipality's row in the public schema, so code that
    reads `tenants.Municipality.period_*` / `target_*` (and the national site) keeps working.

    A queryset update on `tenants.Municipality` filtered on `current_schema()`: the
    public table is on every municipality's search path, and `update()` touches only these
    five columns of this municipality's row (no save(), so no tenant signals and no
    overwriting of fields another request changed meanwhile)."""
    period = progress.current_period()
    if period is None:
        return
    Municipality.objects.filter(schema_name=current_schema()).update(
        period_start=period.start, period_end=period.end,
        **{f"target_{key}": period.targets[key] for key in progress.KEYS})


@transaction.atomic
def set_project_period(*, by, start: date | None, end: date | None,
                       target_employer_contacts: int | None, target_regular_jobs: int | None,
                       target_work_experience_places: int | None,
                       period_id: int | None = None) -> ProjectPeriod:
    """Edit the period `period_id` or, without it, start a new project period.

    Validates first (end after start, each target 0..10000; ValidationError with Dutch
    messages, nothing saved), then mirrors the current period onto the municipality's row
    (see `_mirror_onto_municipality`). Earlier periods are kept and stay viewable. Raises
    ProjectPeriod.DoesNotExist for an unknown `period_id`."""
    targets = {"target_employer_contacts": target_employer_contacts,
               "target_regular_jobs": target_regular_jobs,
               "target_work_experience_places": target_work_experience_places}
    validate_period(start=start, end=end, targets=targets)
    if period_id is None:
        period = ProjectPeriod(created_by=by)
    else:
        period = ProjectPeriod.objects.select_for_update().get(pk=period_id)
    period.start, period.end = start, end
    for field, value in targets.items():
        setattr(period, field, value)
    period.full_clean()
    period.save()
    _mirror_onto_municipality()
    return period
