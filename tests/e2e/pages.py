"""Page steps the end-to-end accessibility tests share: open a page, check it with axe and for
sideways scrolling at the current width, submit its form, log in through the browser."""

from tests.conftest import PASSWORD
from tests.e2e.test_browser import assert_accessible

SUBMIT = "main form button[type=submit]"


def check(page) -> None:
    try:
        assert_accessible(page)
    except AssertionError as error:
        raise AssertionError(f"{page.url}\n{error}") from None
    # A wide table may scroll inside its own region (focusable, labelled: WCAG 1.4.10 exempts
    # data tables); the region itself and everything else must fit.
    wider = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => !e.parentElement.closest('.werktop-table-scroll'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)")
    assert not wider, f"{page.url} scrolls sideways: {wider}"
    # Also what no element box shows: absolutely positioned text escaping its scroll region.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{page.url} scrolls sideways")


def open_page(page, url: str, heading: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response.status == status, url
    shows(page, heading)


def shows(page, heading: str) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    check(page)


def submit(page, heading: str, button: str = SUBMIT) -> None:
    with page.expect_navigation():
        page.locator(button).first.click()
    shows(page, heading)


def log_in(browser, viewport: dict, base: str, email: str, landing: str):
    page = browser.new_page(viewport=viewport)
    page.goto(base + "/account/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation(url=f"{base}{landing}"):
        page.get_by_role("button", name="Inloggen").click()
    return page
