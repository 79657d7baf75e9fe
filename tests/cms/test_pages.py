"""The portal's page tree: created at provisioning, every page type renders, pages and admin
content stay inside their municipality, branding keeps AA contrast, input is escaped."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from wagtail.images.models import Image
from wagtail.models import Page, Site

from accounts.roles import Role
from cms.models import (
    AccessibilityStatementPage,
    Branding,
    ContactPage,
    ContentPage,
    HomePage,
    MeetupIndexPage,
    OpportunityIndexPage,
    StoryIndexPage,
    StoryPage,
)
from cms.services import set_branding
from tests.conftest import PASSWORD, client_for, make_user

DEFAULT_TREE = {
    "werkgevers": ContentPage, "werkzoekenden": ContentPage, "bijeenkomsten": MeetupIndexPage,
    "kansen": OpportunityIndexPage, "verhalen": StoryIndexPage, "contact": ContactPage,
    "privacyverklaring": ContentPage, "toegankelijkheidsverklaring": AccessibilityStatementPage,
}

# A tiny valid PNG (1×1 pixel).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0f01f0005000201e7a7d7a60000000049454e44ae426082")


def home(municipality) -> HomePage:
    with tenant_context(municipality):
        return HomePage.objects.get()


def test_a_new_municipality_gets_the_default_dutch_page_tree(zoetermeer):
    with tenant_context(zoetermeer):
        root = HomePage.objects.get()
        children = {p.slug: p.specific_class for p in root.get_children().live()}
        assert children == DEFAULT_TREE
        assert Site.objects.get().root_page_id == root.pk
        assert Branding.for_site(Site.objects.get()).brand_colour == zoetermeer.brand_colour


@pytest.mark.parametrize("path", ["/", *[f"/{slug}/" for slug in DEFAULT_TREE]])
def test_every_default_page_renders(zoetermeer, path):
    response = client_for(zoetermeer).get(path)
    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1


def test_the_accessibility_statement_has_a_fixed_address(zoetermeer):
    with tenant_context(zoetermeer):
        page = AccessibilityStatementPage.objects.get()
        page.slug = "iets-anders"
        page.full_clean()
        assert page.slug == "toegankelijkheidsverklaring"


def test_a_story_needs_consent_before_it_is_published(zoetermeer):
    with tenant_context(zoetermeer):
        index = StoryIndexPage.objects.get()
        story = StoryPage(title="Van gesprek naar baan", summary="Samira werkt nu bij de bakker.",
                          consent=False, live=True)
        with pytest.raises(ValidationError) as error:
            index.add_child(instance=story)
        assert "consent" in error.value.message_dict
        story = index.add_child(instance=StoryPage(
            title="Van gesprek naar baan", summary="Samira werkt nu bij de bakker.", consent=True))
    response = client_for(zoetermeer).get("/verhalen/")
    assert b"Van gesprek naar baan" in response.content
    assert client_for(zoetermeer).get(story.url_path.removeprefix("/home")).status_code == 200


def test_pages_of_one_municipality_are_not_served_on_another(zoetermeer, hilversum):
    with tenant_context(zoetermeer):
        HomePage.objects.get().add_child(instance=ContentPage(
            title="Alleen in Zoetermeer", slug="alleen-zoetermeer"))
    assert client_for(zoetermeer).get("/alleen-zoetermeer/").status_code == 200
    assert client_for(hilversum).get("/alleen-zoetermeer/").status_code == 404


def _editor_client(municipality, email):
    make_user(municipality, Role.EDITOR, email)
    client = client_for(municipality)
    assert client.post("/account/login/", {"login": email, "password": PASSWORD}).status_code == 302
    return client


def test_the_admin_of_one_municipality_shows_nothing_of_another(zoetermeer, hilversum):
    with tenant_context(hilversum):
        for n in range(20):  # ids beyond anything Zoetermeer has
            HomePage.objects.get().add_child(instance=ContentPage(
                title=f"Hilversumse pagina {n}", slug=f"hilversum-{n}"))
        secret = Page.objects.order_by("-pk").first()
        Image.objects.create(title="Hilversum-foto", file=SimpleUploadedFile("h.png", PNG))
    client = _editor_client(zoetermeer, "editor@zoetermeer.example")
    assert client.get(f"/cms-beheer/pages/{secret.pk}/edit/").status_code == 404
    assert b"Hilversum-foto" not in client.get("/cms-beheer/images/").content
    search = client.get("/cms-beheer/pages/search/?q=Hilversumse")
    assert search.status_code == 200 and b"Hilversumse pagina" not in search.content


def test_a_script_typed_into_a_page_never_runs(zoetermeer):
    with tenant_context(zoetermeer):
        HomePage.objects.get().add_child(instance=ContentPage(
            title="<script>alert(1)</script>", slug="xss",
            intro='"><img src=x onerror=alert(2)>'))
    page = client_for(zoetermeer).get("/xss/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page
    editor = _editor_client(zoetermeer, "editor2@zoetermeer.example")
    admin = editor.get("/cms-beheer/pages/search/?q=script")
    assert b"<script>alert(1)" not in admin.content


def test_branding_refuses_a_colour_without_enough_contrast(zoetermeer):
    with tenant_context(zoetermeer):
        with pytest.raises(ValidationError) as error:
            set_branding(brand_colour="#ffdd00")  # yellow on white: 1.4:1
        assert "brand_colour" in error.value.message_dict
        set_branding(brand_colour="#8b0000")
    zoetermeer.refresh_from_db()
    assert zoetermeer.brand_colour == "#8b0000"
    css = client_for(zoetermeer).get("/huisstijl.css").content
    assert b"#8b0000" in css


def test_the_logo_and_name_chosen_by_the_editors_are_shown(zoetermeer):
    with tenant_context(zoetermeer):
        branding = Branding.for_site(Site.objects.get())
        branding.display_name = "Zoetermeer Werkt"
        branding.logo = Image.objects.create(title="logo", file=SimpleUploadedFile("l.png", PNG))
        branding.logo_alt = "Logo van Zoetermeer Werkt"
        branding.full_clean()
        branding.save()
    page = client_for(zoetermeer).get("/contact/").content.decode()
    assert "Zoetermeer Werkt" in page and 'alt="Logo van Zoetermeer Werkt"' in page


@pytest.mark.parametrize("path", ["/", *[f"/{slug}/" for slug in DEFAULT_TREE]])
def test_every_page_type_renders_within_its_query_budget(zoetermeer, settings, path):
    from tests.conftest import query_budget

    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # the real rendering, not a cache hit
    client = client_for(zoetermeer)
    client.get(path)  # warm per-process caches (site root paths, content types)
    with query_budget(10):
        assert client.get(path).status_code == 200


def test_an_editor_can_upload_images_and_change_the_branding(zoetermeer):
    client = _editor_client(zoetermeer, "editor3@zoetermeer.example")
    assert client.get("/cms-beheer/images/add/").status_code == 200
    assert client.get("/cms-beheer/documents/add/").status_code == 200
    with tenant_context(zoetermeer):
        site_id = Site.objects.get().pk
    response = client.post(f"/cms-beheer/settings/cms/branding/{site_id}/", {
        "display_name": "", "logo": "", "logo_alt": "", "brand_colour": "#eeeeee"})
    assert response.status_code == 200 and "4,5:1" in response.content.decode()
    response = client.post(f"/cms-beheer/settings/cms/branding/{site_id}/", {
        "display_name": "", "logo": "", "logo_alt": "", "brand_colour": "#003366"})
    assert response.status_code == 302
    zoetermeer.refresh_from_db()
    assert zoetermeer.brand_colour == "#003366"
