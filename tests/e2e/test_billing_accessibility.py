"""Sign-up and subscription pages in a real browser, on a small phone (320 px) and a desktop:
the sign-up form (empty, and sent empty), a sign-up's own page, and in Zoetermeer's workspace
the past-due banner, the subscription page and the read-only page. axe-core finds no WCAG 2.1
A/AA or EN 301 549 violation, and nothing scrolls sideways."""

import os
import shutil

import pytest
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from billing.models import SignUp
from tenants.models import Municipality
from tests.e2e.pages import log_in, open_page, shows
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, web_server

pytestmark = pytest.mark.e2e
__all__ = ["web_server"]
VIEWPORTS = ({"width": 320, "height": 640}, {"width": 1280, "height": 900})


def _set_billing(zoetermeer: Municipality, status: str) -> None:
    Municipality.objects.filter(pk=zoetermeer.pk).update(
        billing_status=status, billing_status_since=timezone.now() if status else None)


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install chromium)")
def test_sign_up_and_subscription_pages_are_accessible(web_server, committed, committed_user):
    from playwright.sync_api import sync_playwright

    with committed():
        zoetermeer = Municipality.objects.get(cbs_code="GM0637")
        national = Municipality.objects.get(schema_name="public")
        hosts = {"zoetermeer": zoetermeer.get_primary_domain().domain,
                 "national": national.get_primary_domain().domain}
        coordinator = committed_user(zoetermeer, Role.COORDINATOR,
                                     "coordinator-b1@zoetermeer.example")
        connection.set_schema_to_public()
        record = SignUp.objects.create(cbs_code="GM0363", plan="large",
                                       coordinator_name="Fatima", coordinator_email="f@a.nl")
        _set_billing(zoetermeer, "past_due")
        connection.close()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for viewport in VIEWPORTS:
                    base = f"http://{hosts['national']}:{web_server}"
                    page = browser.new_page(viewport=viewport)
                    open_page(page, base + "/aanmelden/", "Meld uw gemeente aan")
                    with page.expect_navigation():
                        page.locator("main form button[type=submit]").click()
                    shows(page, "Meld uw gemeente aan")
                    assert page.locator(".werktop-error-summary").count() == 1
                    open_page(page, base + f"/aanmelden/{record.pk}/", "Uw aanmelding")
                    page.close()
                    base = f"http://{hosts['zoetermeer']}:{web_server}"
                    page = log_in(browser, viewport, base, coordinator.email, "/werkplek/")
                    shows(page, "Mijn dag")
                    assert page.locator(".werktop-banner").count() == 1
                    open_page(page, base + "/werkplek/abonnement/", "Abonnement")
                    page.close()
            finally:
                browser.close()
        with committed():
            _set_billing(zoetermeer, "unpaid")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                base = f"http://{hosts['zoetermeer']}:{web_server}"
                page = log_in(browser, VIEWPORTS[0], base, coordinator.email, "/werkplek/")
                open_page(page, base + "/werkplek/werkgevers/nieuw/", "werkgever")
                with page.expect_navigation():
                    page.locator("main form.werktop-form button[type=submit]").first.click()
                shows(page, "alleen-lezen")
            finally:
                browser.close()
    finally:
        with committed():
            connection.set_schema_to_public()
            SignUp.objects.filter(pk=record.pk).delete()
            _set_billing(zoetermeer, "")
