"""Triggers: a change that can move the figures asks for a publish after commit.

Connected in `MinistryConfig.ready()` (post_save/post_delete), so no other app is edited.
`Employer.first_contact_date` is kept by `relations.services` with a queryset update, which
sends no signal: the employer's contact moments trigger too."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.schemas import in_municipality_schema
from matching_events.models import Meetup, Placement, Registration, SurveyResponse
from relations.models import ContactMoment, Employer, ZrmAssessment
from targets.models import ProjectPeriod
from tenants.models import Municipality

from . import overview_cache
from .tasks import request_publish


def changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if not in_municipality_schema():
        return
    transaction.on_commit(request_publish, robust=True)


def contact_moment_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if instance.employer_id:
        changed(sender, instance, **kwargs)


def meetup_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if instance.status == instance.Status.HELD or kwargs.get("signal") is post_delete:
        changed(sender, instance, **kwargs)


def registration_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if instance.attended is not None:
        changed(sender, instance, **kwargs)


def municipality_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """A name, province, period or target shows on the ministry dashboard."""
    overview_cache.changed()


def period_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """A project period or its targets changed: publish the figures for it, and the dashboard
    shows the municipality's new current period from the next commit on."""
    changed(sender, instance, **kwargs)
    municipality_changed(sender, instance, **kwargs)


def connect() -> None:
    handlers = {Placement: changed, Employer: changed, SurveyResponse: changed,
                ZrmAssessment: changed, ContactMoment: contact_moment_changed,
                Meetup: meetup_changed, Registration: registration_changed,
                ProjectPeriod: period_changed}
    for model, handler in handlers.items():
        uid = f"ministry-rollup-{model._meta.label_lower}"
        post_save.connect(handler, sender=model, dispatch_uid=uid)
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(municipality_changed, sender=Municipality,
                      dispatch_uid="ministry-overview-municipality")
    post_delete.connect(municipality_changed, sender=Municipality,
                        dispatch_uid="ministry-overview-municipality-delete")
