"""Models of the import wizard (imported by relations.models).

One `ImportJob` per uploaded spreadsheet. It lives in the municipality's schema; the file is
stored in the municipality's private storage (core.files), outside the public media folder,
under an unguessable name. The file is removed once the import is done.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import UnguessableName, get_private_storage

# A task that has not finished after this long is gone (its worker died for good); acks_late
# normally redelivers it long before.
STUCK_AFTER = timedelta(hours=1)


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        EMPLOYERS = "employers", _("employers")
        CANDIDATES = "candidates", _("candidates")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        VALIDATING = "validating", _("checking")
        READY = "ready", _("ready to import")
        INVALID = "invalid", _("contains errors")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    # Statuses in which a Celery task is (or will shortly be) working on the job.
    BUSY = (Status.VALIDATING, Status.IMPORTING)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=UnguessableName("imports"),
                            storage=get_private_storage, blank=True)
    original_filename = models.CharField(_("file name"), max_length=255)
    # {platform field name: column index (0-based)}; fields that are not imported are absent.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    # The language the person works in: messages are written in it by the tasks.
    language = models.CharField(max_length=10, default="nl")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("rows without errors"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    # [{"row": 7, "field": "kvk_number", "label": "KvK number", "message": "..."}]; "row" is
    # the row number as shown in the spreadsheet, None for a problem with the whole file.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL,
        null=True, related_name="import_jobs")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_filename}"

    @property
    def busy(self) -> bool:
        return self.status in self.BUSY

    @property
    def stuck(self) -> bool:
        """Busy for so long that no task is working on it any more."""
        return self.busy and self.updated_at < timezone.now() - STUCK_AFTER

    @property
    def progress_key(self) -> str:
        """Cache key of the processed-row count (the cache prefixes the schema)."""
        return f"import-progress:{self.pk}"
