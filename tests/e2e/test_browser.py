"""Debian's Chromium, driven by Playwright: open a municipality's home page and log in."""

import os
import shutil
import sys
import urllib.request

import pytest
from django.db import connection

from accounts.roles import Role
from tenants.models import Municipality
from tests.conftest import PASSWORD
from tests.e2e.conftest import free_port, running

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "EN-301-549"]}}


def assert_accessible(page) -> None:
    """axe-core (bundled, offline): no WCAG 2.1 A/AA violations on the page as shown."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def _up(port: int, host: str) -> bool:
    # Python's resolver may not know *.localhost (curl and Chromium do): send the Host header.
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": host})
    try:
        return urllib.request.urlopen(request, timeout=1).status == 200  # noqa: S310
    except OSError:
        return False


@pytest.fixture
def web_server(committed):
    port = free_port()
    args = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload",
            "--insecure"]
    with running(args, ready=lambda: _up(port, "zoetermeer.localhost")):
        yield port


# Skipped only outside CI: CI installs Debian's chromium (infra/dev/system-deps.sh) and must run it.
@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install chromium)")
def test_open_a_municipality_home_page_and_log_in(web_server, committed, committed_user):
    from playwright.sync_api import expect, sync_playwright

    with committed():
        zoetermeer = Municipality.objects.get(cbs_code="GM0637")
        committed_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
        connection.close()  # the browser part runs an event loop: no ORM inside it

    base = f"http://zoetermeer.localhost:{web_server}"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            page.goto(base + "/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Werk in Zoetermeer")
            expect(page).to_have_title("Werk in Zoetermeer – Zoetermeer")

            # The skip link is the first thing a keyboard user reaches.
            page.keyboard.press("Tab")
            expect(page.get_by_role("link", name="Direct naar de inhoud")).to_be_focused()

            assert_accessible(page)

            page.get_by_role("link", name="Inloggen").click()
            assert_accessible(page)
            page.get_by_label("E-mailadres").fill("alice@zoetermeer.example")
            page.get_by_label("Wachtwoord").fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()
            expect(page).to_have_url(base + "/werkplek/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Mijn dag")
            expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
            assert_accessible(page)

            national = browser.new_page()
            national.goto(f"http://localhost:{web_server}/")
            expect(national.get_by_role("link", name="Zoetermeer")).to_be_visible()
            assert_accessible(national)
        finally:
            browser.close()
