"""Triggers: a change that can move the figures asks for a publish after commit.

Connected in `MinistryConfig.ready()` (post_save/post_delete), so no other app is edited.
`Employer.first_contact_date` is kept by `relations.services` with a queryset update, which
sends no signal: the employer's contact moments trigger too."""

from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django_tenants.utils import get_public_schema_name


def _in_municipality() -> bool:
    """Not the public schema, not the template (demo data, tests and tasks may switch schemas
    by name only, so the connection's tenant object is not asked)."""
    return connection.schema_name not in (get_public_schema_name(),
                                          settings.TENANT_BASE_SCHEMA)


def changed(sender: type, instance: Any, **kwargs: Any) -> None:
    if not _in_municipality():
        return
    from .tasks import request_publish

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


def connect() -> None:
    from matching_events.models import Meetup, Placement, Registration, SurveyResponse
    from relations.models import ContactMoment, Employer, ZrmAssessment

    handlers = {Placement: changed, Employer: changed, SurveyResponse: changed,
                ZrmAssessment: changed, ContactMoment: contact_moment_changed,
                Meetup: meetup_changed, Registration: registration_changed}
    for model, handler in handlers.items():
        uid = f"ministry-rollup-{model._meta.label_lower}"
        post_save.connect(handler, sender=model, dispatch_uid=uid)
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
