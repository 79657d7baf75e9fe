"""Placements: a candidate starts at an employer. They count towards the targets."""

import calendar
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.outbox import send_after_commit
from relations.models import Candidate, ContactMoment, Employer
from relations.services import plan_next_action, update_candidate

from ..models import Placement
from .opportunities import mark_filled_when_full

FOLLOW_UP_MONTHS = 6
EDITABLE = ("kind", "start_date", "end_date", "hours_per_week", "contract_months",
            "opportunity", "meetup", "pledge", "status")


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def _recount_targets() -> None:
    # By name: targets sits above matching_events (docs/architecture.md, layers).
    send_after_commit("targets.recount_target_progress", robust=True)


def _check_links(placement: Placement) -> None:
    errors = {}
    if placement.opportunity and placement.opportunity.employer_id != placement.employer_id:
        errors["opportunity"] = _("This opportunity belongs to another employer.")
    if placement.pledge and placement.pledge.employer_id != placement.employer_id:
        errors["pledge"] = _("This pledge belongs to another employer.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_placement(*, candidate_id: int, employer_id: int, by, **fields: Any) -> Placement:
    """Record a placement, plan the follow-up at six months ("still working?") as a next action
    of the candidate's relationship manager, mark the candidate placed and recount targets."""
    candidate = Candidate.objects.get(pk=candidate_id)
    employer = Employer.objects.get(pk=employer_id)
    placement = Placement(candidate=candidate, employer=employer, recorded_by=by, **fields)
    placement.full_clean()
    _check_links(placement)
    placement.save()
    owner = candidate.owner or by
    placement.follow_up = plan_next_action(
        candidate, by=by, owner=owner, kind=ContactMoment.Kind.CALL,
        due_on=add_months(placement.start_date, FOLLOW_UP_MONTHS),
        description=_("Follow-up after six months: is %(name)s still working at %(employer)s?")
        % {"name": candidate.full_name, "employer": employer.name})
    placement.save(update_fields=["follow_up"])
    if placement.opportunity_id:
        mark_filled_when_full(placement.opportunity_id)
    if candidate.status != Candidate.Status.PLACED:
        update_candidate(candidate.pk, by=by, expected_version=None,
                         status=Candidate.Status.PLACED)
    _recount_targets()
    return placement


@transaction.atomic
def update_placement(placement_id: int, *, by, **changes: Any) -> Placement:
    placement = Placement.objects.select_for_update().get(pk=placement_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(placement, field, value)
    placement.full_clean()
    _check_links(placement)
    placement.save()
    _recount_targets()
    return placement
