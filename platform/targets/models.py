"""Target progress snapshots, per municipality schema (filled in by the targets issue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
