"""The pages behind the links in e-mails and the pages of portal accounts, in a real browser, on
two municipalities with different colours, on a small phone (320 px wide) and on a desktop.

Behind the links: confirming a registration (the button, confirmed, on the waiting list,
already confirmed), managing it (confirmed, waiting, cancelled, with the survey link),
cancelling (the question and the result), the candidate's survey (empty, with an error, the
thank-you), "my registrations" with the make-an-account block, an employer's invitation (the
proposed dates as checkboxes, coming yes/no empty and with its error, the answer, after the
meetup with the survey link), the employer's survey and a forged link (400). With an account:
"my company", a new offer (empty and with errors) and "my meetups". axe-core finds no WCAG 2.1
A/AA or EN 301 549 violation, and nothing scrolls sideways."""

import os
import shutil
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from accounts.roles import Role
from cms.services import set_branding
from matching_events import links
from matching_events.models import Meetup, OutgoingMessage, SurveyResponse
from matching_events.services import accounts, meetups, opportunities, outcomes, registrations
from relations import services as relations
from relations.models import Candidate, Employer
from tenants.models import Municipality
from tests.conftest import PASSWORD
from tests.e2e.pages import log_in as _log_in
from tests.e2e.pages import open_page as _open
from tests.e2e.pages import shows as _shows
from tests.e2e.pages import submit as _submit
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, web_server

pytestmark = pytest.mark.e2e
__all__ = ["web_server"]
COLOURS = {"GM0637": "#00665e", "GM0402": "#7a2a6e"}
VIEWPORTS = ({"width": 320, "height": 640}, {"width": 1280, "height": 900})


def _account_data(organiser, slug: str) -> dict:
    """An employer with a portal account and an offer, a candidate with a portal account."""
    employer = relations.create_employer(
        by=organiser, name="Kwekerij Groen", kvk_number="23456789", owner=organiser,
        contacts=[{"name": "Fatima el Amrani", "email": f"fatima-l1@{slug}.example"}])
    employer_user = accounts.invite_employer_user(
        employer.pk, employer.contacts.get().pk, by=organiser).user
    opportunities.post_opportunity(employer.pk, by=employer_user, kind="work_experience",
                                   title="Werkervaringsplaats in de kas", hours_per_week=24,
                                   publish_on_portal=True)
    candidate = relations.create_candidate(
        by=organiser, first_name="Noor", last_name="Visser", owner=organiser, status="active",
        email=f"noor-l1@{slug}.example")
    candidate_user = accounts.create_candidate_user(candidate.pk).user
    for user in (employer_user, candidate_user):  # instead of the set-password e-mail
        user.set_password(PASSWORD)
        user.save()
    return {"employer": employer.pk, "candidate": candidate.pk,
            "users": [employer_user.pk, candidate_user.pk],
            "employer_email": employer_user.email, "candidate_email": candidate_user.email}


def _link_data(organiser, made: dict, tag: str) -> dict:
    """Fresh registrations and invitations for one viewport (answering them uses them up)."""
    soon = timezone.now() + timedelta(days=10)

    def candidate(first_name: str, email: bool = True) -> Candidate:
        person = relations.create_candidate(
            by=organiser, first_name=first_name, last_name="Jansen", owner=organiser,
            status="active", email=f"{first_name.lower()}-{tag}@example.org" if email else "")
        made["candidates"].append(person.pk)  # recorded at once, for the clean-up
        return person

    def invite(meetup: Meetup, person: Candidate):
        return registrations.invite_candidate(meetup.pk, person.pk, by=organiser)

    def created(**fields) -> Meetup:
        meetup = meetups.create_meetup(by=organiser, **fields)
        made["meetups"].append(meetup.pk)
        return meetup

    def published(**fields) -> Meetup:
        return meetups.publish_meetup(created(**fields).pk, by=organiser)

    employer_id = made["employer"]
    open_meetup = published(
        title="Prettig gesprek in de zorg", theme="Zorg en welzijn", starts_at=soon,
        location_name="Stadhuis", address="Markt 1", capacity=10,
        accessibility_notes="Drempelvrije ingang, lift en een invalidentoilet.")
    samira = candidate("Samira")
    pending = invite(open_meetup, samira)
    coming, = meetups.invite_employers(open_meetup.pk, [employer_id], by=organiser)
    registrations.confirm_on_behalf(invite(open_meetup, Candidate.objects.get(
        pk=made["candidate"])).pk, by=organiser)

    full_meetup = published(title="Online kennismaking logistiek",
                            starts_at=soon + timedelta(days=3),
                            online_link="https://meet.example.org/logistiek", capacity=1)
    first = invite(full_meetup, candidate("Kees", email=False))
    waiting = invite(full_meetup, candidate("Ilse"))
    registrations.confirm_on_behalf(first.pk, by=organiser)

    draft = created(title="Kennismaken in de bouw", location_name="Bouwhal",
                    address="Industrieweg 5")
    meetups.propose_dates(draft.pk, [soon + timedelta(days=5), soon + timedelta(days=6)],
                          by=organiser)
    dates, = meetups.invite_employers(draft.pk, [employer_id], by=organiser)

    held = published(title="Kennismaken in de techniek", starts_at=timezone.now()
                     + timedelta(days=1), location_name="Werkplaats", address="Dorpsstraat 2")
    came = invite(held, candidate("Daan"))
    registrations.confirm_on_behalf(came.pk, by=organiser)
    hosted, = meetups.invite_employers(held.pk, [employer_id], by=organiser)
    meetups.set_employer_status(hosted.pk, "confirmed", by=organiser)
    Meetup.objects.filter(pk=held.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    outcomes.check_in(came.pk, present=True, by=organiser)
    outcomes.check_in_employer(hosted.pk, present=True, by=organiser)
    meetups.mark_held(held.pk, by=organiser)

    return {
        "confirm": f"/aanmelding/bevestigen/{links.confirm_token(pending)}/",
        "confirm_waiting": f"/aanmelding/bevestigen/{links.confirm_token(waiting)}/",
        "manage": links.manage_path(pending), "manage_waiting": links.manage_path(waiting),
        "manage_held": links.manage_path(came),
        "mine": links.my_registrations_path(samira),
        "employer_dates": f"/werkgever/uitnodiging/{links.employer_token(dates)}/",
        "employer_coming": f"/werkgever/uitnodiging/{links.employer_token(coming)}/",
        "employer_held": f"/werkgever/uitnodiging/{links.employer_token(hosted)}/",
    }


def _remove(made: dict, last_message: int) -> None:
    # Survey answers first: a meetup's deletion would otherwise empty their respondent.
    SurveyResponse.objects.filter(meetup_id__in=made["meetups"]).delete()
    Meetup.objects.filter(pk__in=made["meetups"]).delete()
    Candidate.objects.filter(pk__in=[*made["candidates"], made["candidate"]]).delete()
    Employer.objects.filter(pk=made["employer"]).delete()  # with its offers and contacts
    OutgoingMessage.objects.filter(pk__gt=last_message).delete()
    User.objects.filter(pk__in=made["users"]).delete()


def _candidate_links(page, base: str, urls: dict) -> None:
    _open(page, base + urls["confirm"], "Bevestig je aanmelding")  # the button
    _submit(page, "Je aanmelding is bevestigd")
    _open(page, base + urls["confirm"], "Bevestig je aanmelding")  # already confirmed
    _open(page, base + urls["confirm_waiting"], "Bevestig je aanmelding")
    _submit(page, "Je staat op de wachtlijst")
    _open(page, base + urls["manage_waiting"], "Je aanmelding")
    _open(page, base + urls["manage"], "Je aanmelding")  # confirmed, can cancel
    with page.expect_navigation():
        page.get_by_role("link", name="Zeg mijn aanmelding af").click()
    _shows(page, "Je aanmelding afzeggen")  # the question
    _submit(page, "Je hebt afgezegd")
    _open(page, base + urls["manage"], "Je aanmelding")  # cancelled
    _open(page, base + urls["mine"], "Mijn aanmeldingen")  # with "make an account"
    assert page.get_by_role("button", name="Maak een account").count() == 1
    _open(page, base + urls["manage_held"], "Je aanmelding")  # with the survey link
    with page.expect_navigation():
        page.get_by_role("link", name="Vertel ons hoe het ging").click()
    _shows(page, "Hoe ging het?")  # empty
    page.evaluate("() => { const radio = document.querySelector('input[name=approach]');"
                  " radio.value = '9'; radio.checked = true; }")
    _submit(page, "Hoe ging het?")  # "9" is not a choice
    assert page.locator(".werktop-error-summary").count() == 1
    page.check("input[name=approach][value='4']")
    page.check("input[name=self_efficacy][value='5']")
    page.fill("textarea[name=comment]", "Fijn gesprek, ik ga langs bij de kwekerij.")
    _submit(page, "Bedankt!")


def _employer_links(page, base: str, urls: dict) -> None:
    _open(page, base + urls["employer_dates"], "Je uitnodiging")  # dates as checkboxes
    assert page.locator("input[type=checkbox][name=dates]").count() == 2
    page.locator("input[type=checkbox][name=dates]").first.check()
    _submit(page, "Bedankt voor je antwoord")
    _open(page, base + urls["employer_coming"], "Je uitnodiging")  # coming: yes or no
    _submit(page, "Je uitnodiging")  # nothing chosen
    assert page.locator(".werktop-error-summary").count() == 1
    page.check("input[name=coming][value=yes]")
    _submit(page, "Bedankt voor je antwoord")
    _open(page, base + urls["employer_held"], "Je uitnodiging")  # over, the survey link
    with page.expect_navigation():
        page.get_by_role("link", name="Vertel ons hoe het ging").click()
    _shows(page, "Hoe ging het?")
    page.check("input[name=approach][value='5']")
    _submit(page, "Bedankt!")
    _open(page, base + "/aanmelding/bevestigen/vervalst-1234/", "Deze link werkt niet", 400)


def _account_pages(browser, viewport: dict, base: str, made: dict) -> None:
    page = _log_in(browser, viewport, base, made["employer_email"], "/mijn-bedrijf/")
    _shows(page, "Mijn bedrijf")  # offers, invitations with yes/no, meetups that are over
    assert page.locator("main form input[type=radio]").count() >= 2
    _open(page, base + "/mijn-bedrijf/kansen/nieuw/", "Nieuw aanbod plaatsen")
    _submit(page, "Nieuw aanbod plaatsen")  # empty: errors
    assert page.locator(".werktop-error-summary a").count() >= 2
    page.close()
    page = _log_in(browser, viewport, base, made["candidate_email"], "/mijn-bijeenkomsten/")
    _shows(page, "Mijn bijeenkomsten")
    page.close()


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install chromium)")
def test_link_and_account_pages_are_accessible_in_two_colours(
        web_server, committed, committed_user):
    from playwright.sync_api import sync_playwright

    hosts, created = {}, []
    with committed():
        for code, colour in COLOURS.items():
            municipality = Municipality.objects.get(cbs_code=code)
            hosts[code] = municipality.get_primary_domain().domain
            organiser = committed_user(municipality, Role.RELATIONSHIP_MANAGER,
                                       f"organisator-l1@{municipality.slug}.example")
            with tenant_context(municipality):
                original = municipality.brand_colour
                last = OutgoingMessage.objects.order_by("-pk").values_list("pk", flat=True)
                made = {"meetups": [], "candidates": [], "users": [], "candidate": None,
                        "employer": None}
                created.append((municipality, original, made, last.first() or 0))
                set_branding(brand_colour=colour)
                made.update(_account_data(organiser, municipality.slug))
                made["urls"] = []
                for number in range(len(VIEWPORTS)):
                    made["urls"].append(_link_data(organiser, made, f"{code}-{number}"))
        connection.set_schema_to_public()
        connection.close()  # the browser part runs an event loop: no ORM inside it
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for (_code, host), (_m, _c, made, _l) in zip(hosts.items(), created,
                                                             strict=True):
                    base = f"http://{host}:{web_server}"
                    for viewport, urls in zip(VIEWPORTS, made["urls"], strict=True):
                        page = browser.new_page(viewport=viewport)
                        _candidate_links(page, base, urls)
                        _employer_links(page, base, urls)
                        page.close()
                        _account_pages(browser, viewport, base, made)
            finally:
                browser.close()
    finally:
        with committed():
            for municipality, original, made, last_message in created:
                with tenant_context(municipality):
                    _remove(made, last_message)
                    set_branding(brand_colour=original)
            connection.set_schema_to_public()
