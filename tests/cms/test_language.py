"""Dutch first; an editor can add English pages (Wagtail's own i18n), shown to visitors who
chose English with the language switch."""

from django_tenants.utils import tenant_context
from wagtail.models import Locale

from cms.models import HomePage
from tests.conftest import client_for


def test_every_municipality_has_dutch_and_english(zoetermeer):
    with tenant_context(zoetermeer):
        assert set(Locale.objects.values_list("language_code", flat=True)) == {"nl", "en"}
        assert HomePage.objects.get().locale.language_code == "nl"


def test_an_english_translation_is_served_to_visitors_who_chose_english(zoetermeer, hilversum):
    with tenant_context(zoetermeer):
        home = HomePage.objects.get()
        english = home.copy_for_translation(Locale.objects.get(language_code="en"))
        english.title = "Work in Zoetermeer"
        english.save_revision().publish()
    dutch_visitor = client_for(zoetermeer)
    assert b"Werk in Zoetermeer" in dutch_visitor.get("/").content
    english_visitor = client_for(zoetermeer)
    english_visitor.cookies["django_language"] = "en"
    page = english_visitor.get("/")
    assert b"Work in Zoetermeer" in page.content and b'lang="en"' in page.content
    # Without a translation, an English visitor gets the Dutch page.
    other = client_for(hilversum)
    other.cookies["django_language"] = "en"
    assert b"Werk in Hilversum" in other.get("/").content
