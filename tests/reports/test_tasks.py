"""The Friday fan-out, generating (idempotent, with progress) and the e-mail to the
coordinators (once). Celery is eager here; after-commit callbacks run through
`django_capture_on_commit_callbacks(execute=True)`."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from reports import services
from reports.models import Report
from reports.tasks import email_report, generate_report, send_friday_reports_everywhere


def friday_run(capture) -> int:
    with schema_context("public"), capture(execute=True):
        return send_friday_reports_everywhere.delay().get(timeout=30)


def test_the_friday_run_makes_one_report_per_municipality_once(
        zoetermeer, hilversum, carol, django_capture_on_commit_callbacks):
    assert friday_run(django_capture_on_commit_callbacks) == 2
    for municipality in (zoetermeer, hilversum):
        with tenant_context(municipality):
            report = Report.objects.get()
            assert report.requested_by is None
            assert report.week_start == timezone.localdate() - timedelta(
                days=timezone.localdate().weekday())
            assert (report.status, report.progress) == (Report.Status.DONE, 100)
            assert report.pdf.name.startswith("reports/")
            assert report.xlsx.name.startswith("reports/")
            with report.pdf.open("rb") as pdf:
                assert pdf.read(4) == b"%PDF"
    friday_run(django_capture_on_commit_callbacks)
    for municipality in (zoetermeer, hilversum):
        with tenant_context(municipality):
            assert Report.objects.count() == 1


def test_the_coordinator_gets_the_report_once_with_both_files(
        zoetermeer, alice, carol, django_capture_on_commit_callbacks):
    friday_run(django_capture_on_commit_callbacks)
    friday_run(django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[carol.email]]  # not alice (no RM)
    message = mail.outbox[0]
    assert "Weekrapportage" in message.subject or "Weekly report" in message.subject
    names = sorted(name for name, _content, _type in message.attachments)
    assert [name.rsplit(".", 1)[1] for name in names] == ["pdf", "xlsx"]
    assert message.attachments[0][1].startswith(b"%PDF")
    assert message.alternatives[0][1] == "text/html"
    with tenant_context(zoetermeer):
        report = Report.objects.get()
        assert report.emailed_at is not None
        # A repeated task sends nothing.
        assert email_report.delay(report.pk).get() is False
    assert len(mail.outbox) == 1


def test_generating_a_done_report_again_changes_nothing(zoetermeer, carol,
                                                        django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer):
        with django_capture_on_commit_callbacks(execute=True):
            report = services.request_report(by=carol)
        report.refresh_from_db()
        assert report.status == Report.Status.DONE
        again = services.generate_report(report.pk)
        assert (again.pdf.name, again.finished_at) == (report.pdf.name, report.finished_at)
    assert mail.outbox == []  # a report on request is downloaded, not e-mailed


def test_a_failed_report_can_be_generated_again(zoetermeer, carol, monkeypatch):
    with tenant_context(zoetermeer):
        report = Report.objects.create(week_start=timezone.localdate(), requested_by=carol)

        def broken(content):
            raise OSError("disk full")

        monkeypatch.setattr(services, "render_pdf", broken)
        with pytest.raises(OSError):
            services.generate_report(report.pk)
        report.refresh_from_db()
        assert report.status == Report.Status.FAILED
        monkeypatch.undo()
        assert services.generate_report(report.pk).status == Report.Status.DONE


def test_a_request_while_the_report_is_busy_gives_the_same_report(zoetermeer, carol):
    with tenant_context(zoetermeer):
        first = services.request_report(by=carol)  # its task waits for the commit
        assert services.request_report(by=carol) == first
        assert first.status == Report.Status.QUEUED
        with pytest.raises(ValidationError):
            services.request_report(by=carol,
                                    week_start=timezone.localdate() + timedelta(days=8))


def test_only_one_friday_report_per_week(zoetermeer):
    with tenant_context(zoetermeer):
        assert services.request_report(by=None) == services.request_report(by=None)
        assert Report.objects.count() == 1


@pytest.mark.parametrize("task", [generate_report, email_report])
def test_the_tasks_refuse_the_public_schema(db, task):
    with schema_context("public"), pytest.raises(RuntimeError):
        task.delay(1)
