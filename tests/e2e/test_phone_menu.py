"""The workspace menu (eleven and more items) is collapsed on a phone behind "Menu" and opens
with one tap; on a desktop it is always shown, without the "Menu" button."""

import os
import shutil

import pytest
from django.db import connection

from accounts.roles import Role
from tenants.models import Municipality
from tests.conftest import PASSWORD
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, assert_accessible, web_server

pytestmark = pytest.mark.e2e
__all__ = ["web_server"]


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install chromium)")
def test_the_workspace_menu_folds_on_a_phone(web_server, committed, committed_user):
    from playwright.sync_api import expect, sync_playwright

    with committed():
        zoetermeer = Municipality.objects.get(cbs_code="GM0637")
        user = committed_user(zoetermeer, Role.COORDINATOR, "menu-phone@zoetermeer.example")
        connection.close()
    base = f"http://zoetermeer.localhost:{web_server}"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for width in (390, 1280):
                page = browser.new_page(viewport={"width": width, "height": 844})
                page.goto(base + "/account/login/")
                page.fill("input[name=login]", user.email)
                page.fill("input[name=password]", PASSWORD)
                page.click("form[action='/account/login/'] button[type=submit]")
                expect(page.get_by_role("heading", level=1)).to_have_text("Mijn dag")
                menu = page.get_by_role("navigation", name="Werkplek")
                employers = menu.get_by_role("link", name="Werkgevers", exact=True)
                if width == 390:
                    expect(employers).to_be_hidden()
                    menu.get_by_text("Menu", exact=True).click()
                    expect(employers).to_be_visible()
                    assert_accessible(page)
                else:
                    expect(menu.get_by_text("Menu", exact=True)).to_be_hidden()
                    expect(employers).to_be_visible()
                employers.click()
                expect(page.get_by_role("heading", level=1)).to_have_text("Werkgevers")
                page.close()
        finally:
            browser.close()
