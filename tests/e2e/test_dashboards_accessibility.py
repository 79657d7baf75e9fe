"""The dashboards in a real browser, on a small phone (320 px wide) and on a desktop.

For a coordinator of Zoetermeer: the target dashboard (with a project period, an employer with
a contact moment and a placement), the period form (empty and with an end before the start),
the signals (the list, a signal's dismiss form empty and submitted empty), the weekly reports
with a finished report and "my day" with signals. On the national site, for a ministry
analyst: the ministry dashboard after Zoetermeer published its figures, the same with an
unknown province (400) and Zoetermeer's history. axe-core finds no WCAG 2.1 A/AA or
EN 301 549 violation, and nothing scrolls sideways."""

import os
import shutil
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from accounts.roles import Role
from alerts.models import Signal
from alerts.services import raise_signals
from matching_events.models import Placement
from matching_events.services.placements import record_placement
from ministry.models import PeriodRollup, WeekRollup
from ministry.rollups import publish_rollup
from relations import services as relations
from relations.models import Candidate, ContactMoment, Employer
from reports.models import Report
from reports.services import generate_report, request_report
from targets.models import ProjectPeriod, TargetProgress
from targets.services import set_project_period
from tenants.models import Municipality
from tests.conftest import make_user
from tests.e2e.pages import log_in as _log_in
from tests.e2e.pages import open_page as _open
from tests.e2e.pages import shows as _shows
from tests.e2e.pages import submit
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, web_server

pytestmark = pytest.mark.e2e
__all__ = ["web_server"]
VIEWPORTS = ({"width": 320, "height": 640}, {"width": 1280, "height": 900})
PERIOD_FIELDS = ("period_start", "period_end", "target_employer_contacts",
                 "target_regular_jobs", "target_work_experience_places")


def _submit_form(page, heading: str) -> None:
    submit(page, heading, "main form.werktop-form button[type=submit]")


def _data(coordinator) -> int:
    """A project period, an employer with a contact moment, a placement, open signals and a
    finished report; the figures published for the ministry. Returns an open signal's id."""
    today = timezone.localdate()
    set_project_period(by=coordinator, start=today - timedelta(days=120),
                       end=today + timedelta(days=245), target_employer_contacts=40,
                       target_regular_jobs=20, target_work_experience_places=10)
    employer = relations.create_employer(by=coordinator, name="Bakkerij Vermeer",
                                         kvk_number="34567890", owner=coordinator)
    relations.log_contact_moment(employer, kind=ContactMoment.Kind.CALL,
                                 occurred_at=timezone.now() - timedelta(days=3),
                                 summary="Kennismaking, twee plekken in de bakkerij",
                                 by=coordinator)
    placed = relations.create_candidate(by=coordinator, first_name="Yusuf", last_name="Demir",
                                        owner=coordinator, status="active")
    record_placement(candidate_id=placed.pk, employer_id=employer.pk, by=coordinator,
                     kind=Placement.Kind.JOB, start_date=today - timedelta(days=10),
                     hours_per_week=32)
    relations.create_candidate(by=coordinator, first_name="Lotte", last_name="de Wit",
                               owner=coordinator, status="active",
                               programme_start=today - timedelta(days=300))
    assert raise_signals() >= 1
    report = request_report(by=coordinator)
    assert generate_report(report.pk).status == Report.Status.DONE
    assert publish_rollup() is not None
    return Signal.objects.open().order_by("pk").values_list("pk", flat=True).first()


def _remove(municipality: Municipality, original: dict) -> None:
    Signal.objects.all().delete()
    Report.objects.all().delete()
    Placement.objects.all().delete()
    Employer.objects.all().delete()
    Candidate.objects.all().delete()
    TargetProgress.objects.all().delete()
    ProjectPeriod.objects.all().delete()
    PeriodRollup.objects.filter(municipality=municipality).delete()
    WeekRollup.objects.filter(municipality=municipality).delete()
    Municipality.objects.filter(pk=municipality.pk).update(**original)


def _remove_national_user(user) -> None:
    """Delete a user of the public schema without the collector (see the test)."""
    user.groups.clear()
    user.user_permissions.clear()
    EmailAddress.objects.filter(user=user).delete()
    UserSession.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk)._raw_delete(connection.alias)


def _coordinator_pages(page, base: str, signal_id: int) -> None:
    _shows(page, "Mijn dag")  # with signals
    assert page.locator("#dag-signalen").count() == 1
    _open(page, base + "/werkplek/doelen/", "Doelen")
    assert page.locator("main progress").count() >= 1
    _open(page, base + "/werkplek/doelen/periode/", "Projectperiode")  # empty form
    page.fill("input[name=start]", "2026-06-01")
    page.fill("input[name=end]", "2026-01-01")
    _submit_form(page, "Projectperiode")  # the end before the start
    assert page.locator(".werktop-error-summary").count() == 1
    _open(page, base + "/werkplek/signalen/", "Signalen")
    assert page.locator("main .werktop-card").count() >= 1
    _open(page, base + f"/werkplek/signalen/{signal_id}/wegzetten/", "signaal wegzetten")
    _submit_form(page, "signaal wegzetten")  # no reason
    assert page.locator(".werktop-error-summary").count() == 1
    _open(page, base + "/werkplek/rapportages/", "Weekrapportages")
    assert page.locator("main a[download]").count() == 2


def _ministry_pages(page, base: str) -> None:
    _shows(page, "ministerie")
    _open(page, base + "/ministerie/?provincie=Onbekend", "ministerie", status=400)
    assert page.get_by_role("alert").count() == 1
    _open(page, base + "/ministerie/gemeente/GM0637/", "Zoetermeer")


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install chromium)")
def test_dashboards_are_accessible(web_server, committed, committed_user):
    from playwright.sync_api import sync_playwright

    with committed():
        zoetermeer = Municipality.objects.get(cbs_code="GM0637")
        national = Municipality.objects.get(schema_name="public")
        hosts = {"zoetermeer": zoetermeer.get_primary_domain().domain,
                 "national": national.get_primary_domain().domain}
        original = Municipality.objects.filter(pk=zoetermeer.pk).values(*PERIOD_FIELDS).get()
        coordinator = committed_user(zoetermeer, Role.COORDINATOR,
                                     "coordinator-d1@zoetermeer.example")
        # Not committed_user: its clean-up deletes through Django's collector, which also
        # looks in Wagtail's tables, and those exist only in the municipalities' schemas.
        analyst = make_user(national, Role.MINISTRY_ANALYST, "analist-d1@ministerie.example")
        try:
            with tenant_context(zoetermeer):
                signal_id = _data(coordinator)
        except BaseException:
            with tenant_context(zoetermeer):
                _remove(zoetermeer, original)
            connection.set_schema_to_public()
            _remove_national_user(analyst)
            raise
        connection.set_schema_to_public()
        connection.close()  # the browser part runs an event loop: no ORM inside it
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for viewport in VIEWPORTS:
                    base = f"http://{hosts['zoetermeer']}:{web_server}"
                    page = _log_in(browser, viewport, base, coordinator.email, "/werkplek/")
                    _coordinator_pages(page, base, signal_id)
                    page.close()
                    base = f"http://{hosts['national']}:{web_server}"
                    page = _log_in(browser, viewport, base, analyst.email, "/ministerie/")
                    _ministry_pages(page, base)
                    page.close()
            finally:
                browser.close()
    finally:
        with committed():
            with tenant_context(zoetermeer):
                _remove(zoetermeer, original)
            connection.set_schema_to_public()
            _remove_national_user(analyst)
