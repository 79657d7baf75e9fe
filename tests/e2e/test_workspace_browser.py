"""The relationship manager's workspace in a real browser, on a phone: add an employer, log a
contact moment, search with htmx, open a candidate with ZRM history; axe on every screen."""

import os
import re
import shutil
from datetime import date

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from accounts.roles import Role
from relations import services
from relations.models import Candidate, Employer
from tenants.models import Municipality
from tests.conftest import PASSWORD
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, assert_accessible, web_server

pytestmark = pytest.mark.e2e
__all__ = ["web_server"]


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install chromium)")
def test_a_relationship_managers_day_on_a_phone(web_server, committed, committed_user):
    from playwright.sync_api import expect, sync_playwright

    with committed():
        zoetermeer = Municipality.objects.get(cbs_code="GM0637")
        alice = committed_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
        with tenant_context(zoetermeer):
            candidate = services.create_candidate(
                by=alice, first_name="Samira", last_name="Bouzid", owner=alice, status="active",
                talents="Goed met mensen")
            for day, score in ((date(2026, 1, 5), 2), (date(2026, 10, 5), 4)):
                services.record_zrm_assessment(candidate, assessed_on=day, by=alice,
                                               scores={d: score for d in range(1, 14)})
        connection.close()

    base = f"http://zoetermeer.localhost:{web_server}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 390, "height": 844})
                page.goto(base + "/account/login/")
                page.get_by_label("E-mailadres").fill(alice.email)
                page.get_by_label("Wachtwoord").fill(PASSWORD)
                page.get_by_role("button", name="Inloggen").click()
                expect(page.get_by_role("heading", level=1)).to_have_text("Mijn dag")
                assert_accessible(page)

                page.get_by_role("link", name="Nieuwe werkgever").click()
                assert_accessible(page)
                page.get_by_label("Naam").fill("Hotel De Zwaan")
                page.get_by_label("KvK-nummer").fill("1234")
                page.get_by_role("button", name="Opslaan").click()
                expect(page.get_by_text("precies 8 cijfers").first).to_be_visible()
                assert_accessible(page)  # the error state too
                expect(page.get_by_label("Naam")).to_have_value("Hotel De Zwaan")
                page.get_by_label("KvK-nummer").fill("12345678")
                page.get_by_role("button", name="Opslaan").click()
                expect(page.get_by_role("heading", level=1)).to_have_text("Hotel De Zwaan")
                assert_accessible(page)

                page.get_by_text("Contactmoment vastleggen").click()
                page.get_by_label("Samenvatting").fill("Kennismaking, open voor gesprek")
                page.get_by_role("button", name="Contactmoment opslaan").click()
                expect(page.get_by_text("Kennismaking, open voor gesprek")).to_be_visible()

                page.get_by_text("Menu", exact=True).click()  # folded on a phone
                page.get_by_role("link", name="Werkgevers", exact=True).click()
                page.get_by_role("textbox", name="Zoeken").fill("zwaan")
                # htmx swaps the results without a page load; the URL follows.
                expect(page).to_have_url(re.compile(r"/werkplek/werkgevers/\?q=zwaan"),
                                         timeout=5000)
                expect(page.get_by_role("link", name="Hotel De Zwaan")).to_be_visible()
                page.get_by_role("textbox", name="Zoeken").fill("bestaat-niet")
                expect(page.get_by_text("Geen werkgevers gevonden")).to_be_visible()
                assert_accessible(page)

                page.get_by_text("Menu", exact=True).click()  # folded on a phone
                page.get_by_role("link", name="Kandidaten", exact=True).click()
                assert_accessible(page)
                page.get_by_role("link", name="Bouzid, Samira").click()
                expect(page.get_by_role("heading", level=1)).to_have_text("Samira Bouzid")
                expect(page.get_by_role("row", name="Financiën 2 4 +2 (beter)")).to_be_visible()
                assert_accessible(page)
                page.get_by_role("link", name="Nieuwe ZRM-meting").click()
                assert_accessible(page)
            finally:
                browser.close()
    finally:
        with committed(), tenant_context(zoetermeer):
            Employer.objects.all().delete()
            Candidate.objects.all().delete()
            connection.set_schema_to_public()
