"""Opportunities (what employers offer) and sector pledges."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from relations.models import Employer
from relations.validators import normalise_postcode

from ..models import Opportunity, Placement, SectorPledge
from ..notifications import notify

EDITABLE = ("kind", "title", "description", "sector", "hours_per_week", "days", "location",
            "postcode", "places", "start_date", "driving_licence_required", "languages",
            "publish_on_portal")
# What a relationship manager may set directly; AWAITING_REVIEW is only for portal posts.
STAFF_STATUSES = (Opportunity.Status.DRAFT, Opportunity.Status.OPEN, Opportunity.Status.FILLED,
                  Opportunity.Status.CLOSED)


def _clean(opportunity: Opportunity) -> None:
    opportunity.postcode = normalise_postcode(opportunity.postcode)
    opportunity.title = opportunity.title.strip()
    opportunity.full_clean()


@transaction.atomic
def create_opportunity(employer_id: int, *, by, status: str = Opportunity.Status.OPEN,
                       **fields: Any) -> Opportunity:
    """Entered by a relationship manager: no review needed."""
    if status not in STAFF_STATUSES:
        raise ValidationError({"status": _("Choose draft, open, filled or closed.")})
    opportunity = Opportunity(employer=Employer.objects.get(pk=employer_id), status=status,
                              posted_by=by, **fields)
    _clean(opportunity)
    opportunity.save()
    return opportunity


@transaction.atomic
def update_opportunity(opportunity_id: int, *, by, status: str | None = None,
                       **changes: Any) -> Opportunity:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(opportunity, field, value)
    if status is not None:
        if status not in STAFF_STATUSES:
            raise ValidationError({"status": _("Choose draft, open, filled or closed.")})
        opportunity.status = status
    _clean(opportunity)
    opportunity.save()
    return opportunity


@transaction.atomic
def post_opportunity(employer_id: int, *, by=None, **fields: Any) -> Opportunity:
    """Posted by an employer (portal): waits for review by the employer's relationship
    manager, who is notified."""
    employer = Employer.objects.get(pk=employer_id)
    opportunity = Opportunity(employer=employer, status=Opportunity.Status.AWAITING_REVIEW,
                              posted_via_portal=True, posted_by=by, **fields)
    _clean(opportunity)
    opportunity.save()
    notify("review_request", opportunity.pk)
    return opportunity


@transaction.atomic
def update_own_opportunity(opportunity_id: int, *, employer_id: int, by, **changes: Any
                           ) -> Opportunity:
    """An employer edits their opportunity on the portal: it goes back to review."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity_id)
    if opportunity.employer_id != employer_id:
        raise PermissionDenied
    if opportunity.status in (Opportunity.Status.FILLED, Opportunity.Status.CLOSED):
        raise ValidationError(_("A filled or closed opportunity cannot be changed."))
    for field, value in changes.items():
        if field not in EDITABLE:
            raise ValueError(f"not editable: {field}")
        setattr(opportunity, field, value)
    opportunity.status = Opportunity.Status.AWAITING_REVIEW
    _clean(opportunity)
    opportunity.save()
    notify("review_request", opportunity.pk,
           f"review_request:{opportunity.pk}:{opportunity.updated_at:%Y%m%d%H%M%S}")
    return opportunity


@transaction.atomic
def review_opportunity(opportunity_id: int, *, by, approve: bool) -> Opportunity:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity_id)
    if opportunity.status != Opportunity.Status.AWAITING_REVIEW:
        raise ValidationError(_("This opportunity is not waiting for review."))
    opportunity.status = Opportunity.Status.OPEN if approve else Opportunity.Status.CLOSED
    opportunity.reviewed_by = by
    opportunity.reviewed_at = timezone.now()
    opportunity.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    return opportunity


def mark_filled_when_full(opportunity_id: int) -> None:
    """Called when a placement is recorded: all places taken -> filled."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity_id)
    taken = opportunity.placements.exclude(status=Placement.Status.ENDED_EARLY).count()
    if taken >= opportunity.places and opportunity.status == Opportunity.Status.OPEN:
        opportunity.status = Opportunity.Status.FILLED
        opportunity.save(update_fields=["status", "updated_at"])


# --- sector pledges -------------------------------------------------------------------------

@transaction.atomic
def record_pledge(employer_id: int, *, by, **fields: Any) -> SectorPledge:
    pledge = SectorPledge(employer=Employer.objects.get(pk=employer_id), **fields)
    pledge.full_clean()
    pledge.save()
    return pledge


def pledges_with_progress(employer: Employer):
    """Each pledge with `filled`: placements recorded against it (not ended early)."""
    return employer.pledges.annotate(filled=Count(
        "placements", filter=~Q(placements__status=Placement.Status.ENDED_EARLY)))
