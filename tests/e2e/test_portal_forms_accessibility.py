"""The portal's meetup and opportunity pages in a real browser, on two municipalities with
different colours, on a small phone (320 px wide) and on a desktop: the meetup overview, a
meetup with the empty registration form and with the errors of an empty submit (also the
waiting-list version of a full meetup), the "check your e-mail" page and the opportunities
overview. axe-core finds no WCAG 2.1 A/AA or EN 301 549 violation, and nothing scrolls
sideways."""

import os
import shutil
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.roles import Role
from cms.services import set_branding
from matching_events.models import Meetup, OutgoingMessage
from matching_events.services import meetups, opportunities, registrations
from relations import services as relations
from relations.models import Candidate, Employer
from tenants.models import Municipality
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, assert_accessible, web_server

pytestmark = pytest.mark.e2e
__all__ = ["web_server"]
COLOURS = {"GM0637": "#00665e", "GM0402": "#7a2a6e"}
VIEWPORTS = ({"width": 320, "height": 640}, {"width": 1280, "height": 900})


def _portal_data(organiser) -> dict:
    """A published meetup with a confirmed employer, a full one and two opportunities."""
    employer = relations.create_employer(by=organiser, name="Zorggroep Het Baken",
                                         kvk_number="12345678", owner=organiser)
    soon = timezone.now() + timedelta(days=10)
    open_meetup = meetups.create_meetup(
        by=organiser, title="Prettig gesprek in de zorg", theme="Zorg en welzijn",
        description="Kennismaken zonder cv.\nKoffie staat klaar.", starts_at=soon,
        location_name="Stadhuis", address="Markt 1", capacity=12,
        accessibility_notes="Drempelvrije ingang, lift en een invalidentoilet.")
    meetups.publish_meetup(open_meetup.pk, by=organiser)
    participation, = meetups.invite_employers(open_meetup.pk, [employer.pk], by=organiser)
    meetups.set_employer_status(participation.pk, "confirmed", by=organiser)
    full_meetup = meetups.create_meetup(
        by=organiser, title="Online kennismaking logistiek", starts_at=soon + timedelta(days=3),
        online_link="https://meet.example.org/logistiek", capacity=1)
    meetups.publish_meetup(full_meetup.pk, by=organiser)
    candidate = relations.create_candidate(by=organiser, first_name="Kees", last_name="Jansen",
                                           owner=organiser, status="active")
    registration = registrations.invite_candidate(full_meetup.pk, candidate.pk, by=organiser)
    registrations.confirm_on_behalf(registration.pk, by=organiser)
    assert Meetup.objects.get(pk=full_meetup.pk).status == Meetup.Status.FULL
    for kind, title in (("job", "Broodbakker"), ("work_experience", "Winkelhulp"),
                        ("trial", "Magazijnmedewerker"), ("open_to_meet", "Kennismaken")):
        opportunities.create_opportunity(
            employer.pk, by=organiser, kind=kind, title=title, hours_per_week=24,
            location="Zoetermeer", start_date=timezone.localdate(), publish_on_portal=True)
    return {"employer": employer.pk, "candidate": candidate.pk,
            "meetups": [open_meetup.pk, full_meetup.pk], "registration": registration.pk}


def _remove(made: dict) -> None:
    OutgoingMessage.objects.filter(key__regex=rf":{made['registration']}:").delete()
    Meetup.objects.filter(pk__in=made["meetups"]).delete()
    Candidate.objects.filter(pk=made["candidate"]).delete()
    Employer.objects.filter(pk=made["employer"]).delete()  # with its opportunities


def _check(page) -> None:
    assert_accessible(page)
    wider = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)")
    assert not wider, f"scrolls sideways: {wider}"


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install chromium)")
def test_meetup_and_opportunity_pages_are_accessible_in_two_colours(
        web_server, committed, committed_user):
    from playwright.sync_api import expect, sync_playwright

    hosts, created = {}, []
    with committed():
        for code, colour in COLOURS.items():
            municipality = Municipality.objects.get(cbs_code=code)
            hosts[code] = municipality.get_primary_domain().domain
            organiser = committed_user(municipality, Role.RELATIONSHIP_MANAGER,
                                       f"organisator-p1@{municipality.slug}.example")
            with tenant_context(municipality):
                original = municipality.brand_colour
                set_branding(brand_colour=colour)
                created.append((municipality, original, _portal_data(organiser)))
        connection.set_schema_to_public()
        connection.close()  # the browser part runs an event loop: no ORM inside it
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for (code, host), (_m, _c, made) in zip(hosts.items(), created, strict=True):
                    base = f"http://{host}:{web_server}"
                    open_pk, full_pk = made["meetups"]
                    for viewport in VIEWPORTS:
                        page = browser.new_page(viewport=viewport)
                        response = page.goto(f"{base}/bijeenkomsten/")
                        assert response.status == 200, code
                        expect(page.get_by_role("link", name="Prettig gesprek in de zorg")
                               ).to_be_visible()
                        _check(page)
                        for pk in (open_pk, full_pk):
                            assert page.goto(f"{base}/bijeenkomsten/{pk}/").status == 200
                            _check(page)  # the empty form
                            page.locator("form.werktop-form button[type=submit]").click()
                            page.wait_for_load_state()
                            expect(page.locator(".werktop-error-summary")).to_be_visible()
                            expect(page.locator("#id_first_name")).to_have_attribute(
                                "aria-invalid", "true")
                            _check(page)  # the errors
                        response = page.goto(f"{base}/bijeenkomsten/{open_pk}/aangemeld/")
                        assert response.status == 200, code
                        _check(page)
                        assert page.goto(f"{base}/kansen/").status == 200
                        expect(page.get_by_text("Broodbakker")).to_be_visible()
                        _check(page)
                        page.close()
            finally:
                browser.close()
    finally:
        with committed():
            for municipality, original, made in created:
                with tenant_context(municipality):
                    _remove(made)
                    set_branding(brand_colour=original)
            connection.set_schema_to_public()
