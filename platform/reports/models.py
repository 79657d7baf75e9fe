"""The Friday report of a municipality: one row per generated report, in the municipality's
schema. The files (PDF and XLSX) live in the municipality's private storage (core.files),
outside the public media folder: they are downloaded through a permission-checked view."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import UnguessableName, get_private_storage

# A report that has been "running" this long has lost its worker; it may be generated again.
STUCK_AFTER = timedelta(minutes=30)


class Report(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    BUSY = (Status.QUEUED, Status.RUNNING)

    week_start = models.DateField(_("week (Monday)"))
    period_start = models.DateField(_("project period start"), null=True, blank=True)
    period_end = models.DateField(_("project period end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # None: the Friday run of the platform itself.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+")
    pdf = models.FileField(_("PDF"), upload_to=UnguessableName("reports"),
                           storage=get_private_storage, blank=True)
    xlsx = models.FileField(_("spreadsheet"), upload_to=UnguessableName("reports"),
                            storage=get_private_storage, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        ordering = ["-week_start", "-created_at", "-pk"]
        constraints = [
            # The Friday run of a week happens once.
            models.UniqueConstraint(
                fields=["week_start"], condition=Q(requested_by__isnull=True),
                name="reports_one_friday_report_per_week"),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="reports_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.week_start} ({self.status})"

    @property
    def week_end(self):
        return self.week_start + timedelta(days=6)

    @property
    def busy(self) -> bool:
        return self.status in self.BUSY

    @property
    def stuck(self) -> bool:
        """Running for so long that no worker is working on it any more."""
        return (self.status == self.Status.RUNNING and self.started_at is not None
                and self.started_at < timezone.now() - STUCK_AFTER)

    @property
    def scheduled(self) -> bool:
        """The Friday run (not requested by a person)."""
        return self.requested_by_id is None

    def filename(self, extension: str) -> str:
        return f"weekrapportage-{self.week_start.isoformat()}-{self.pk}.{extension}"
