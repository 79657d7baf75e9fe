"""The employer sign-up ("Doe mee als ondernemer") in a real browser: empty, with errors and
the thank-you page, on two municipalities with different brand colours, on a narrow phone
(320 px) and a desktop. axe-core finds no WCAG 2.1 A/AA violation; nothing scrolls sideways."""

import os
import shutil

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from cms.services import set_branding
from relations.models import Employer
from tenants.models import Municipality
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, assert_accessible, web_server

pytestmark = pytest.mark.e2e
__all__ = ["web_server"]
COLOURS = {"GM0637": "#00665e", "GM0402": "#7a2a6e"}
VIEWPORTS = ({"width": 320, "height": 640}, {"width": 1280, "height": 900})
PATH = "/doe-mee-als-ondernemer/"


def _no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _fill_in(page, kvk_number: str) -> None:
    page.fill("#id_company_name", "Kwekerij <b>Groen</b>")
    page.fill("#id_kvk_number", kvk_number)
    page.select_option("#id_sector", "A")
    page.fill("#id_postcode", "2711 AB")
    page.fill("#id_contact_name", "Fatima el Amrani")
    page.fill("#id_email", "fatima@kwekerij.example")
    page.check("#id_kind_1")
    page.fill("#id_title", "Werkervaringsplaats in de kas")
    page.fill("#id_hours_per_week", "24")


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install chromium)")
def test_the_employer_sign_up_is_accessible_in_two_colours(web_server, committed):
    from playwright.sync_api import expect, sync_playwright

    hosts, originals, kvk_numbers = {}, {}, []
    with committed():
        for code, colour in COLOURS.items():
            municipality = Municipality.objects.get(cbs_code=code)
            hosts[code] = municipality.get_primary_domain().domain
            with tenant_context(municipality):
                originals[code] = municipality.brand_colour
                set_branding(brand_colour=colour)
        connection.set_schema_to_public()
        connection.close()  # the browser part runs an event loop: no ORM inside it
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for code, host in hosts.items():
                    for number, viewport in enumerate(VIEWPORTS):
                        page = browser.new_page(viewport=viewport)
                        response = page.goto(f"http://{host}:{web_server}{PATH}")
                        assert response.status == 200, code
                        assert_accessible(page)
                        _no_sideways_scrolling(page)

                        page.locator("form.werktop-form button[type=submit]").click()
                        expect(page.locator(".werktop-error-summary")).to_be_visible()
                        assert page.locator(".werktop-error-summary a").count() >= 5
                        assert_accessible(page)
                        _no_sideways_scrolling(page)

                        kvk_numbers.append(f"9{code[2:]}{number:03d}")
                        _fill_in(page, kvk_numbers[-1])
                        page.locator("form.werktop-form button[type=submit]").click()
                        page.wait_for_url(f"**{PATH}bedankt/")
                        expect(page.get_by_role("heading", level=1)).to_be_visible()
                        assert "Kwekerij <b>Groen</b>" in page.locator("main").inner_text()
                        assert_accessible(page)
                        _no_sideways_scrolling(page)
                        page.close()
            finally:
                browser.close()
    finally:
        with committed():
            for code, original in originals.items():
                municipality = Municipality.objects.get(cbs_code=code)
                with tenant_context(municipality):
                    Employer.objects.filter(kvk_number__in=kvk_numbers).delete()
                    set_branding(brand_colour=original)
            connection.set_schema_to_public()
