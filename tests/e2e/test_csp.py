"""The Content-Security-Policy in a real browser: representative pages show zero CSP
violations (`securitypolicyviolation` events and console reports) and still work.

- the portal home page and a meetup's registration form (submitted empty: the errors show);
- the workspace (my day, the target dashboard) and the candidate list, whose htmx search
  swaps the results without a page load;
- the Wagtail admin: the dashboard with its sidebar, the page editor of the accessibility
  statement (two date fields, the scheduling dialog's date-time fields, rich text
  editors) whose date picker opens, the branding settings with the image chooser modal.

The page types have no InlinePanel; the inline panel markers are covered by
tests/security/test_headers.py (template) and admin-init.js is the same code path.
"""

import os
import re
import shutil
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.roles import Role
from matching_events.models import Meetup
from matching_events.services import meetups
from relations import services as relations
from relations.models import Candidate
from tenants.models import Municipality
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, web_server

pytestmark = pytest.mark.e2e
__all__ = ["web_server"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Runs before any script of the page: records every violation the browser reports.
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watch:
    """Violations from the page's event listener and from the console, across pages."""

    def __init__(self, context):
        self.console: list[str] = []
        context.add_init_script(LISTEN)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.console.append(f"error: {error.error}"))

    def _console(self, message) -> None:
        # CSP reports, and script errors (a widget that did not start); not a missing
        # favicon ("Failed to load resource").
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text or (
                message.type == "error" and not text.startswith("Failed to load resource")):
            self.console.append(f"{message.type}: {text}")

    def assert_clean(self, page) -> None:
        violations = page.evaluate("window.__cspViolations || []")
        assert not violations, f"{page.url}: {violations}"
        assert not self.console, f"{page.url}: {self.console}"


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install chromium)")
def test_pages_work_under_the_policy_without_violations(web_server, committed, committed_user):
    from playwright.sync_api import expect, sync_playwright

    with committed():
        zoetermeer = Municipality.objects.get(cbs_code="GM0637")
        coordinator = committed_user(zoetermeer, Role.COORDINATOR, "csp-co@zoetermeer.example")
        editor = committed_user(zoetermeer, Role.EDITOR, "csp-red@zoetermeer.example")
        with tenant_context(zoetermeer):
            from cms.models import AccessibilityStatementPage

            candidate = relations.create_candidate(
                by=coordinator, first_name="Samira", last_name="Bouzid", owner=coordinator,
                status="active")
            meetup = meetups.create_meetup(
                by=coordinator, title="Prettig gesprek CSP", starts_at=timezone.now()
                + timedelta(days=10), location_name="Stadhuis", address="Markt 1", capacity=5)
            meetups.publish_meetup(meetup.pk, by=coordinator)
            statement = AccessibilityStatementPage.objects.get().pk
            from wagtail.models import Site

            site = Site.objects.get().pk
        connection.set_schema_to_public()
        connection.close()  # the browser part runs an event loop: no ORM inside it

    base = f"http://zoetermeer.localhost:{web_server}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                # The portal, anonymous.
                context = browser.new_context(viewport=PHONE)
                watch = Watch(context)
                page = context.new_page()
                response = page.goto(base + "/")
                assert "'unsafe-inline'" not in response.headers["content-security-policy"]
                expect(page.get_by_role("heading", level=1)).to_be_visible()
                watch.assert_clean(page)
                page.goto(f"{base}/bijeenkomsten/{meetup.pk}/")
                page.locator("form.werktop-form button[type=submit]").click()
                page.wait_for_load_state()
                expect(page.locator(".werktop-error-summary")).to_be_visible()
                watch.assert_clean(page)
                context.close()

                # The workspace, with htmx.
                context = browser.new_context(viewport=DESKTOP)
                watch = Watch(context)
                page = log_in_context(context, base, coordinator.email, "/werkplek/")
                expect(page.get_by_role("heading", level=1)).to_have_text("Mijn dag")
                watch.assert_clean(page)
                page.goto(base + "/werkplek/doelen/")
                watch.assert_clean(page)
                page.goto(base + "/werkplek/kandidaten/")
                assert page.evaluate("typeof htmx") == "object"  # loaded from our host
                page.get_by_role("textbox", name="Zoeken").fill("bouzid")
                expect(page).to_have_url(re.compile(r"/werkplek/kandidaten/\?q=bouzid"),
                                         timeout=5000)  # htmx swapped, no page load
                expect(page.get_by_role("link", name="Bouzid, Samira")).to_be_visible()
                watch.assert_clean(page)
                context.close()

                # The Wagtail admin.
                context = browser.new_context(viewport=DESKTOP)
                watch = Watch(context)
                page = log_in_context(context, base, editor.email, "/cms-beheer/",
                                      start="/cms-beheer/")
                expect(page.locator("[data-wagtail-sidebar] nav, .sidebar nav").first
                       ).to_be_visible()  # the React sidebar rendered
                watch.assert_clean(page)
                page.goto(f"{base}/cms-beheer/pages/{statement}/edit/")
                date_field = page.locator("#id_statement_date")
                expect(date_field).to_be_visible()
                date_field.click()
                expect(page.locator(".xdsoft_datetimepicker:visible").first).to_be_visible()
                page.keyboard.press("Escape")
                # Every date and date-time input got its picker (the schedule dialog's too).
                assert page.locator(".xdsoft_datetimepicker").count() >= page.locator(
                    "input[name=statement_date], input[name=last_review]").count() == 2
                watch.assert_clean(page)
                page.goto(f"{base}/cms-beheer/settings/cms/branding/{site}/")
                page.get_by_role("button", name=re.compile("Kies een afbeelding")).click()
                modal = page.locator(".modal-dialog:visible").first
                expect(modal.get_by_role("heading", name=re.compile("Kies een afbeelding"))
                       ).to_be_visible()  # the chooser's HTML arrived and was shown
                expect(modal.locator("input[name=q]").first).to_be_attached()
                watch.assert_clean(page)
                context.close()
            finally:
                browser.close()
    finally:
        with committed(), tenant_context(zoetermeer):
            Meetup.objects.filter(pk=meetup.pk).delete()
            Candidate.objects.filter(pk=candidate.pk).delete()
            connection.set_schema_to_public()


def log_in_context(context, base: str, email: str, landing: str, start: str = ""):
    """tests.e2e.pages.log_in inside a browser context (the violation listener is in it)."""
    from tests.conftest import PASSWORD

    page = context.new_page()
    page.goto(base + "/account/login/" + (f"?next={start}" if start else ""))
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation(url=f"{base}{landing}"):
        page.get_by_role("button", name="Inloggen").click()
    return page

