"""Target progress snapshots, per municipality schema (filled in by the targets issue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetProgress(models.Model):
    """One recount per day: progress towards the municipality's targets."""

    day = models.DateField(_("day"), unique=True)
    employer_contacts = models.PositiveIntegerField(default=0)
    regular_jobs = models.PositiveIntegerField(default=0)
    work_experience_places = models.PositiveIntegerField(default=0)
    target_employer_contacts = models.PositiveIntegerField()
    target_regular_jobs = models.PositiveIntegerField()
    target_work_experience_places = models.PositiveIntegerField()
    # Which schema did the counting: proves a task ran in its own municipality.
    counted_in_schema = models.CharField(max_length=63)
    recounted_at = models.DateTimeField()

    class Meta:
        ordering = ["-day"]
        verbose_name = _("target progress")

    def __str__(self) -> str:
        return f"{self.day}: {self.employer_contacts}/{self.target_employer_contacts}"
