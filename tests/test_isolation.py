"""Nothing of one municipality is visible or usable in another.

alice: relationship manager of Zoetermeer; bob: her colleague; charlie: from Hilversum."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context, tenant_context

from accounts.roles import Role
from targets.models import TargetProgress
from targets.services import recount_target_progress
from tests.conftest import PASSWORD, client_for, make_user

User = get_user_model()


def test_a_record_created_in_one_municipality_is_invisible_in_another(zoetermeer, hilversum):
    with tenant_context(zoetermeer):
        recount_target_progress()
        assert TargetProgress.objects.count() == 1
    with tenant_context(hilversum):
        assert TargetProgress.objects.count() == 0


def test_a_user_exists_only_in_their_own_municipality(zoetermeer, hilversum):
    make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    with tenant_context(zoetermeer):
        assert User.objects.filter(email="alice@zoetermeer.example").exists()
    with tenant_context(hilversum):
        assert not User.objects.filter(email="alice@zoetermeer.example").exists()
    with schema_context("public"):
        assert not User.objects.filter(email="alice@zoetermeer.example").exists()


def _login(client, email):
    return client.post("/account/login/", {"login": email, "password": PASSWORD})


def test_a_user_logs_in_only_on_their_own_municipality(zoetermeer, hilversum, national):
    make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    ok = _login(client_for(zoetermeer), "alice@zoetermeer.example")
    assert ok.status_code == 302
    for other in (hilversum, national):
        refused = _login(client_for(other), "alice@zoetermeer.example")
        assert refused.status_code == 200  # the form again, with an error
        assert "_auth_user_id" not in refused.wsgi_request.session


def test_a_national_user_cannot_log_in_on_a_municipality(national, zoetermeer):
    make_user(national, Role.MINISTRY_ANALYST, "analyst@ministerie.example")
    assert _login(client_for(national), "analyst@ministerie.example").status_code == 302
    refused = _login(client_for(zoetermeer), "analyst@ministerie.example")
    assert "_auth_user_id" not in refused.wsgi_request.session


def test_a_session_cookie_from_one_municipality_is_anonymous_on_another(zoetermeer, hilversum):
    make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    alice = client_for(zoetermeer)
    _login(alice, "alice@zoetermeer.example")
    assert alice.get("/werkplek/").status_code == 200

    # charlie's browser somehow carries alice's cookie to Hilversum
    charlie = client_for(hilversum)
    charlie.cookies = alice.cookies
    response = charlie.get("/werkplek/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert not response.wsgi_request.user.is_authenticated


def test_cache_entries_are_per_municipality(zoetermeer, hilversum):
    with tenant_context(zoetermeer):
        cache.set("figures", "zoetermeer-figures")
    with tenant_context(hilversum):
        assert cache.get("figures") is None
        cache.set("figures", "hilversum-figures")
    with tenant_context(zoetermeer):
        assert cache.get("figures") == "zoetermeer-figures"


def test_an_uploaded_file_is_served_only_on_its_own_host(zoetermeer, hilversum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with tenant_context(zoetermeer):
        name = default_storage.save("original_images/foto.png",
                                    ContentFile(b"alleen voor Zoetermeer"))
        url = default_storage.url(name)
    assert url.startswith("/media/gm0637/")
    assert (tmp_path / "gm0637" / name).exists()
    own = client_for(zoetermeer).get(url)
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == b"alleen voor Zoetermeer"
    assert client_for(hilversum).get(url).status_code == 404
    # and the other municipality's own path to the same file name does not reach it
    assert client_for(hilversum).get(url.replace("gm0637", "gm0402")).status_code == 404



def test_documents_are_not_served_as_raw_media(zoetermeer, settings, tmp_path):
    # Wagtail's document view applies privacy rules; the raw file must not bypass it.
    settings.MEDIA_ROOT = tmp_path
    with tenant_context(zoetermeer):
        name = default_storage.save("documents/intern.pdf", ContentFile(b"%PDF intern"))
    assert client_for(zoetermeer).get(f"/media/gm0637/{name}").status_code == 404


def test_content_type_ids_are_the_same_in_every_schema(zoetermeer, hilversum):
    """core.db keeps Django's ContentType cache across schemas; that is only right because
    the content-type table is shared (public schema only)."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    assert "django.contrib.contenttypes" not in settings.TENANT_APPS
    ids = set()
    for municipality in (zoetermeer, hilversum):
        with tenant_context(municipality):
            ContentType.objects.clear_cache()
            ids.add(ContentType.objects.get(app_label="relations", model="candidate").pk)
    assert len(ids) == 1
