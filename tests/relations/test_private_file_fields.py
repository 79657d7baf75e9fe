"""A form with a private file (the CV) renders: the current file links to the view that checks
permission, never to a storage address (private files have none: `PrivateStorage.url` raises).
Found in a real browser: editing a candidate who has a CV answered 500."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tests.conftest import make_user
from tests.relations.conftest import logged_in, new_candidate


def test_editing_a_candidate_with_a_cv_shows_the_checked_download_link(zoetermeer):
    owner = make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "cv-eigenaar@zoetermeer.example")
    with tenant_context(zoetermeer):
        candidate = new_candidate(owner, cv=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 cv"))
    response = logged_in(zoetermeer, owner).get(f"/werkplek/kandidaten/{candidate.pk}/bewerken/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/werkplek/kandidaten/{candidate.pk}/cv/"' in html
    assert "/media/" not in html
    # The stored (unguessable) name is not shown either.
    assert candidate.cv.name.rsplit("/", 1)[-1] not in html
    assert re.search(r'<input[^>]+type="file"[^>]+name="cv"', html)
