"""The low findings of the outside test (issue 17): a Dutch page for a body over the size
limit, no caching of anything personal. (NUL bytes: test_null_bytes.py; placeholder secrets:
tests/test_settings.py; BSN, phone and KvK: tests/relations/test_validators.py.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tests.conftest import client_for, make_user
from tests.relations.conftest import logged_in, new_candidate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("site", ["municipality", "national"])
def test_a_body_over_the_limit_gets_a_dutch_page(site, zoetermeer, national, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = client_for(zoetermeer if site == "municipality" else national)
    response = client.post("/account/login/", {"login": "x" * 5000, "password": "y"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert "Er ging iets mis met wat u stuurde" in html


def test_a_large_upload_to_a_public_form_is_refused_before_it_is_read(zoetermeer, settings):
    settings.WERKTOP_MAX_REQUEST_MB = 1
    client = client_for(zoetermeer)
    upload = SimpleUploadedFile("groot.bin", b"0" * (2 * 1024 * 1024))
    response = client.post("/doe-mee-als-ondernemer/", {"file": upload})
    assert response.status_code == 400
    assert "Er ging iets mis met wat u stuurde" in response.content.decode()


def test_personal_answers_are_never_cached(zoetermeer):
    manager = make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "cache@zoetermeer.example")
    with tenant_context(zoetermeer):
        candidate = new_candidate(manager, cv=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 cv"))
    client = logged_in(zoetermeer, manager)
    for url in ("/werkplek/", "/werkplek/kandidaten/", f"/werkplek/kandidaten/{candidate.pk}/",
                f"/werkplek/kandidaten/{candidate.pk}/cv/",
                f"/werkplek/kandidaten/{candidate.pk}/gegevens.json",
                "/werkplek/kandidaten/?bestand=csv", "/werkplek/werkgevers/?bestand=xlsx",
                "/api/v1/kandidaten/", f"/api/v1/kandidaten/{candidate.pk}/", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
    # an anonymous API call or workspace redirect is not stored either
    anonymous = client_for(zoetermeer)
    for url in ("/api/v1/kandidaten/", "/werkplek/"):
        assert "no-store" in anonymous.get(url)["Cache-Control"], url
    # the public portal home page stays cacheable for anonymous visitors
    assert "no-store" not in anonymous.get("/").get("Cache-Control", "")
