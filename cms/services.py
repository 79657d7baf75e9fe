"""Portal set-up for a municipality. Runs inside the municipality's schema."""

import json

from django.conf import settings
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from tenants.models import Municipality

from .models import (
    ACCESSIBILITY_SLUG,
    PRIVACY_SLUG,
    AccessibilityStatementPage,
    Branding,
    ContactPage,
    ContentPage,
    HomePage,
    MeetupIndexPage,
    OpportunityIndexPage,
    StoryIndexPage,
)


def default_home_intro(name: str) -> str:
    return (
        f"<p>In {name} werken ondernemers en gemeente samen aan werk voor mensen met een "
        "bijstandsuitkering. Geen cv's, maar talenten: in een prettig gesprek ontmoeten "
        "werkgevers en kandidaten elkaar.</p>"
    )


def _body(*blocks: tuple[str, object]) -> str:
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def _paragraph(html: str) -> tuple[str, str]:
    return ("paragraph", html)


def _heading(text: str) -> tuple[str, dict]:
    return ("heading", {"text": text, "level": "h2"})


EMPLOYER_BODY = _body(
    _paragraph("<p>Heeft u werk, of wilt u eens kennismaken met mensen die graag aan de slag "
               "willen? Een vacature is niet nodig. Onze relatiemanager komt bij u langs, luistert "
               "naar wat uw bedrijf nodig heeft en nodigt u uit voor een prettig gesprek.</p>"),
    _heading("Wat is een prettig gesprek?"),
    _paragraph("<p>Een informele ontmoeting van een paar werkgevers en een paar kandidaten. Het "
               "gaat over talenten en kansen, niet over cv's. Daarna beslist u zelf of u verder "
               "wilt: met een baan, een werkervaringsplaats of een proefplaatsing.</p>"),
    ("faq", {"title": "Veelgestelde vragen", "questions": [
        {"question": "Wat kost het mij?",
         "answer": "<p>Niets. De gemeente helpt ook met de administratie en met regelingen "
                   "zoals loonkostensubsidie.</p>"},
        {"question": "Zit ik ergens aan vast?",
         "answer": "<p>Nee. Een gesprek verplicht tot niets.</p>"},
    ]}),
)
CANDIDATE_BODY = _body(
    _paragraph("<p>Wilt u aan het werk? Wij kijken eerst naar wat u goed kunt en graag doet. "
               "In een prettig gesprek ontmoet u werkgevers uit de buurt, zonder sollicitatie en "
               "zonder cv.</p>"),
    _heading("Hoe gaat het?"),
    _paragraph("<ol><li>U meldt zich aan voor een bijeenkomst, of uw relatiemanager nodigt u "
               "uit.</li><li>U praat met een paar werkgevers over uw talenten.</li><li>Klikt het? "
               "Dan regelt uw relatiemanager de volgende stap.</li></ol>"),
)
PRIVACY_BODY = _body(
    _paragraph("<p>De gemeente gebruikt uw gegevens alleen om u te helpen aan werk of aan "
               "geschikte kandidaten. We vragen niet meer dan nodig is: geen "
               "burgerservicenummer en geen medische gegevens.</p>"),
    _heading("Wie ziet uw gegevens?"),
    _paragraph("<p>Alleen uw relatiemanager en de coördinator van het team. Werkgevers krijgen "
               "uw contactgegevens pas als u allebei verder wilt en de relatiemanager dat "
               "goedkeurt. Elke keer dat iemand uw dossier bekijkt, wordt dat vastgelegd.</p>"),
    _heading("Hoe lang bewaren we ze?"),
    _paragraph("<p>Na het afsluiten van uw dossier bewaren we uw gegevens nog een vaste periode; "
               "daarna worden ze automatisch gewist. U kunt altijd vragen om inzage of om "
               "verwijdering.</p>"),
)
ACCESSIBILITY_BODY = (
    "<p>De gemeente wil dat iedereen deze website kan gebruiken. De website is gebouwd volgens "
    "de Web Content Accessibility Guidelines (WCAG) 2.1 op niveau AA, zoals de wet voorschrijft "
    "(EN 301 549). Elke paginasoort wordt bij elke wijziging automatisch getoetst.</p>"
)


def create_default_portal(municipality: Municipality, *, hostname: str) -> Site:
    """Create the Dutch page tree, the Wagtail site and the branding of a new municipality."""
    name = municipality.name
    Locale.objects.get_or_create(language_code="en")  # Dutch exists already (Wagtail's default)
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(
        title=f"Werk in {name}", slug="home", intro=default_home_intro(name),
        employer_cta="Doe mee als ondernemer", candidate_cta="Kom naar een prettig gesprek",
        search_description=f"Werkgevers en werkzoekenden in {name} ontmoeten elkaar in een "
                           "prettig gesprek.",
    ))
    employers = home.add_child(instance=ContentPage(
        title="Voor werkgevers", slug="werkgevers", show_in_menus=True, body=EMPLOYER_BODY,
        intro="Doe mee als ondernemer: ontmoet mensen die graag willen werken."))
    candidates = home.add_child(instance=ContentPage(
        title="Voor werkzoekenden", slug="werkzoekenden", show_in_menus=True,
        body=CANDIDATE_BODY, intro="Aan het werk, met uw talenten als begin."))
    home.add_child(instance=MeetupIndexPage(
        title="Bijeenkomsten", slug="bijeenkomsten", show_in_menus=True,
        intro="<p>In een prettig gesprek ontmoeten werkgevers en werkzoekenden elkaar.</p>"))
    home.add_child(instance=OpportunityIndexPage(
        title="Kansen bij werkgevers", slug="kansen", show_in_menus=True,
        intro="<p>Banen, werkervaringsplaatsen en proefplaatsingen bij werkgevers uit "
              f"{name}.</p>"))
    home.add_child(instance=StoryIndexPage(
        title="Verhalen", slug="verhalen", show_in_menus=True,
        intro="<p>Werkgevers en werkzoekenden vertellen hoe het ging.</p>"))
    contact_email = f"werk@{municipality.slug}.example"
    home.add_child(instance=ContactPage(
        title="Contact", slug="contact", email=contact_email,
        intro="<p>Vragen? Neem contact op met het team Werk.</p>"))
    home.add_child(instance=ContentPage(
        title="Privacyverklaring", slug=PRIVACY_SLUG, body=PRIVACY_BODY))
    home.add_child(instance=AccessibilityStatementPage(
        title="Toegankelijkheidsverklaring", slug=ACCESSIBILITY_SLUG,
        statement_date=timezone.localdate(), body=ACCESSIBILITY_BODY,
        compliance=AccessibilityStatementPage.Compliance.PARTIAL,
        contact_email=contact_email))
    HomePage.objects.filter(pk=home.pk).update(employer_page=employers,
                                               candidate_page=candidates)
    site = Site.objects.create(
        hostname=hostname, port=settings.PORTAL_PORT, root_page=home, is_default_site=True,
        site_name=name,
    )
    Branding.objects.update_or_create(site=site, defaults={
        "brand_colour": municipality.brand_colour})
    return site


def set_branding(*, brand_colour: str) -> Branding:
    """Change the municipality's brand colour the way the admin does (contrast checked);
    the municipality row follows."""
    branding = Branding.for_site(Site.objects.get(is_default_site=True))
    branding.brand_colour = brand_colour
    branding.full_clean()
    branding.save()
    return branding
