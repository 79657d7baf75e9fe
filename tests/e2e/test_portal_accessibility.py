"""Every page type of the portal, on two municipalities with different colours, on a phone
and on a desktop: axe-core finds no WCAG 2.1 A/AA or EN 301 549 violation."""

import json
import os
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import tenant_context
from wagtail.images.models import Image

from cms.models import ContentPage, HomePage, StoryIndexPage, StoryPage
from cms.services import set_branding
from tenants.models import Municipality
from tests.cms.test_pages import DEFAULT_TREE, PNG
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, assert_accessible, web_server

pytestmark = pytest.mark.e2e
__all__ = ["web_server"]
COLOURS = {"GM0637": "#00665e", "GM0402": "#7a2a6e"}


def _every_block(image: Image) -> str:
    return json.dumps([
        {"type": "heading", "value": {"text": "Een kop", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Tekst met <a href='/contact/'>een link</a>.</p>"},
        {"type": "image", "value": {"image": image.pk, "alt_text": "Een werkgever en een "
                                    "kandidaat in gesprek", "caption": "Prettig gesprek"}},
        {"type": "quote", "value": {"quote": "Ik had het niet verwacht.", "attribution": "Kees"}},
        {"type": "call_to_action", "value": {"text": "Doe mee", "page": None,
                                             "url": "https://example.org/"}},
        {"type": "faq", "value": {"title": "Vragen", "questions": [
            {"question": "Kost het iets?", "answer": "<p>Nee.</p>"}]}},
    ])


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install chromium)")
def test_every_portal_page_type_is_accessible_in_two_colours(web_server, committed):
    from playwright.sync_api import sync_playwright

    paths = ["/", *[f"/{slug}/" for slug in DEFAULT_TREE], "/alle-blokken/",
             "/verhalen/een-verhaal/"]
    hosts = {}
    created = []
    with committed():
        for code, colour in COLOURS.items():
            municipality = Municipality.objects.get(cbs_code=code)
            hosts[code] = municipality.get_primary_domain().domain
            with tenant_context(municipality):
                original = municipality.brand_colour
                set_branding(brand_colour=colour)
                image = Image.objects.create(title="gesprek",
                                             file=SimpleUploadedFile("g.png", PNG))
                home = HomePage.objects.get()
                pages = [
                    home.add_child(instance=ContentPage(title="Alle blokken", slug="alle-blokken",
                                                        intro="Elk blok.",
                                                        body=_every_block(image))),
                    StoryIndexPage.objects.get().add_child(instance=StoryPage(
                        title="Een verhaal", slug="een-verhaal", summary="Het ging goed.",
                        consent=True, body=_every_block(image))),
                ]
                created.append((municipality, original, [p.pk for p in pages], image.pk))
        connection.set_schema_to_public()
        connection.close()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for code, host in hosts.items():
                    for viewport in ({"width": 390, "height": 844},
                                     {"width": 1280, "height": 900}):
                        page = browser.new_page(viewport=viewport)
                        for path in paths:
                            response = page.goto(f"http://{host}:{web_server}{path}")
                            assert response.status == 200, (code, path)
                            assert_accessible(page)
                        page.close()
            finally:
                browser.close()
    finally:
        with committed():
            for municipality, original, page_ids, image_id in created:
                with tenant_context(municipality):
                    for page in ContentPage.objects.filter(pk__in=page_ids):
                        page.delete()
                    for page in StoryPage.objects.filter(pk__in=page_ids):
                        page.delete()
                    Image.objects.filter(pk=image_id).delete()
                    set_branding(brand_colour=original)
            connection.set_schema_to_public()
