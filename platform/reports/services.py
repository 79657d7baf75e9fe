"""Writes of the Friday report. Runs inside a municipality's schema.

- `request_report`: the Friday run of a week (by=None) exists once (unique constraint);
  a person's request makes a new report unless one of theirs for that week is still busy.
  The generate task is sent after commit.
- `generate_report`: idempotent. A done report is not rebuilt; a running one (another worker)
  is left alone unless it is stuck. Progress (0-100) is written as it goes, each step
  committed on its own so the progress bar sees it.
- `email_report`: the Friday report to the coordinators, once (`emailed_at`, set under a row
  lock while sending; a crash between the SMTP hand-over and the commit can send twice, never
  zero times, like `matching_events.mails.send_once`).
"""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, users_with_role
from core.outbox import send_after_commit

from . import mail
from .content import build_content, monday_of
from .models import Report
from .rendering import render_pdf, render_xlsx

logger = logging.getLogger(__name__)


def request_report(*, by: User | None, week_start: date | None = None) -> Report:
    """The report of the week of `week_start` (any day of it; default: this week).
    `by=None` is the Friday run. Sends the generate task after commit for a new report."""
    today = timezone.localdate()
    week_start = monday_of(week_start or today)
    if week_start > today:
        raise ValidationError({"week_start": _("A report of a week that has not begun "
                                               "cannot be made.")})
    report, created = _get_or_create(by, week_start)
    if created or (report.status == Report.Status.QUEUED and by is None):
        # A Friday report still queued (its task lost before it was sent) is sent again;
        # generating is idempotent.
        _send_after_commit(report, urgent=by is not None)
    return report


def _get_or_create(by: User | None, week_start: date) -> tuple[Report, bool]:
    if by is None:
        existing = Report.objects.filter(week_start=week_start, requested_by=None).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                return Report.objects.create(week_start=week_start), True
        except IntegrityError:  # a concurrent Friday run made it first
            return Report.objects.get(week_start=week_start, requested_by=None), False
    busy = Report.objects.filter(week_start=week_start, requested_by=by,
                                 status__in=Report.BUSY).first()
    if busy is not None and not busy.stuck:
        return busy, False
    return Report.objects.create(week_start=week_start, requested_by=by), True


def _send_after_commit(report: Report, *, urgent: bool) -> None:
    # Someone is watching the progress bar of a requested report. send_after_commit sends
    # from this schema (the commit may come after the caller has left its schema_context).
    queue = "default" if urgent else "background"
    send_after_commit("reports.generate_report", report.pk, queue=queue)  # reports.tasks


def _set_progress(report_id: int, progress: int, **fields) -> None:
    Report.objects.filter(pk=report_id).update(progress=progress, **fields)


def _claim(report_id: int) -> Report | None:
    """Mark the report running, or None when there is nothing to do (done, or another
    worker is on it)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status == Report.Status.DONE:
            return None
        if report.status == Report.Status.RUNNING and not report.stuck:
            return None
        report.status = Report.Status.RUNNING
        report.progress = 5
        report.started_at = timezone.now()
        report.finished_at = None
        report.save(update_fields=["status", "progress", "started_at", "finished_at"])
    return report


def generate_report(report_id: int) -> Report:
    """Count, render the PDF and the XLSX, store them, and (Friday run) mail them after
    commit. A done report is returned as it is."""
    report = _claim(report_id)
    if report is None:
        return Report.objects.get(pk=report_id)
    try:
        with translation.override("nl"):
            report = _build(report)
    except Exception:
        logger.exception("report %s failed", report_id)
        _set_progress(report_id, 0, status=Report.Status.FAILED, finished_at=timezone.now())
        raise
    if report.scheduled:
        send_after_commit("reports.email_report", report.pk)  # reports.tasks
    return report


def _build(report: Report) -> Report:
    content = build_content(report.week_start)
    _set_progress(report.pk, 30, period_start=content.period_start,
                  period_end=content.period_end)
    pdf = render_pdf(content)
    _set_progress(report.pk, 70)
    xlsx = render_xlsx(content)
    _set_progress(report.pk, 85)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        for field_name, data, extension in (("pdf", pdf, "pdf"), ("xlsx", xlsx, "xlsx")):
            old = getattr(report, field_name)
            if old:  # a crashed earlier run left a file behind
                old.delete(save=False)
            old.save(report.filename(extension), ContentFile(data), save=False)
        report.status = Report.Status.DONE
        report.progress = 100
        report.finished_at = timezone.now()
        report.save()
    return report


def coordinators() -> list[User]:
    """Who gets the Friday report: the municipality's active coordinators (the same people
    who see escalated signals and get the subscription notices)."""
    return list(users_with_role(Role.COORDINATOR).exclude(email="").order_by("pk"))


def email_report(report_id: int) -> bool:
    """Send the report with both files to the coordinators, once. True when sent now."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.emailed_at is not None or report.status != Report.Status.DONE:
            return False
        recipients = [user.email for user in coordinators()]
        if recipients:
            with translation.override("nl"):
                mail.send_report(report, recipients)
        report.emailed_at = timezone.now()
        report.save(update_fields=["emailed_at"])
    logger.info("report %s e-mailed to %d coordinators", report_id, len(recipients))
    return bool(recipients)
