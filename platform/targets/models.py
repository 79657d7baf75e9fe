"""Target bookkeeping, per municipality schema: project periods and daily progress snapshots."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

MAX_TARGET = 10_000


class ProjectPeriod(models.Model):
    """A project period with its three targets. Earlier periods stay, so they stay viewable.

    Written only by `targets.services.set_project_period`, which also mirrors the current
    period onto the municipality's row in the public schema (`tenants.Municipality`)."""

    start = models.DateField(_("start of the project period"))
    end = models.DateField(_("end of the project period"))
    target_employer_contacts = models.PositiveIntegerField(_("target: new employer contacts"))
    target_regular_jobs = models.PositiveIntegerField(_("target: regular jobs"))
    target_work_experience_places = models.PositiveIntegerField(
        _("target: work-experience places"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+")

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("project period")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")),
                                   name="project_period_end_after_start"),
            models.CheckConstraint(
                condition=Q(target_employer_contacts__lte=MAX_TARGET)
                & Q(target_regular_jobs__lte=MAX_TARGET)
                & Q(target_work_experience_places__lte=MAX_TARGET),
                name="project_period_targets_not_absurd"),
        ]

    def __str__(self) -> str:
        return f"{self.start} – {self.end}"


class TargetProgress(models.Model):
    """One recount per day: progress towards the municipality's targets."""

    day = models.DateField(_("day"), unique=True)
    employer_contacts = models.PositiveIntegerField(_("new employer contacts"), default=0)
    regular_jobs = models.PositiveIntegerField(_("regular jobs"), default=0)
    work_experience_places = models.PositiveIntegerField(_("work-experience places"), default=0)
    target_employer_contacts = models.PositiveIntegerField(_("target: new employer contacts"))
    target_regular_jobs = models.PositiveIntegerField(_("target: regular jobs"))
    target_work_experience_places = models.PositiveIntegerField(
        _("target: work-experience places"))
    # Which schema did the counting: proves a task ran in its own municipality.
    counted_in_schema = models.CharField(_("counted in schema"), max_length=63)
    recounted_at = models.DateTimeField(_("recounted at"))

    class Meta:
        ordering = ["-day"]
        verbose_name = _("target progress")

    def __str__(self) -> str:
        return f"{self.day}: {self.employer_contacts}/{self.target_employer_contacts}"
