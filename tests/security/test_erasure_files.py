"""Erasure and retention leave no file behind (issue 17, item 7): a replaced CV is deleted
with the change, erasing the candidate deletes the current one, and the daily retention run
deletes whatever no row refers to any more. The storage is listed before and after, so the
exit export (which copies the disk) cannot carry an earlier version either."""

import os
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from accounts.roles import Role
from relations import privacy, services
from tests.conftest import make_user
from tests.relations.conftest import new_candidate


def _stored(settings, schema: str = "gm0637") -> set[str]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / schema
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def _pdf(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("cv.pdf", b"%PDF-1.4 " + text.encode())


@pytest.fixture
def owner(zoetermeer):
    return make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "eigenaar@zoetermeer.example")


def test_replacing_and_erasing_a_cv_leaves_no_version_on_disk(
        zoetermeer, owner, settings, django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        candidate = new_candidate(owner, cv=_pdf("versie 1"))
        first = candidate.cv.name
    assert _stored(settings) == {first}
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        candidate = services.update_candidate(candidate.pk, by=owner, expected_version=None,
                                              cv=_pdf("versie 2"))
        second = candidate.cv.name
    assert second != first
    assert _stored(settings) == {second}  # the earlier version is gone
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        services.update_candidate(candidate.pk, by=owner, expected_version=None, cv="")
    assert _stored(settings) == set()  # removing the CV removes the file

    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        candidate = services.update_candidate(candidate.pk, by=owner, expected_version=None,
                                              cv=_pdf("versie 3"))
        privacy.erase_candidate(candidate.pk, by=owner, reason="verzoek")
    assert _stored(settings) == set()


def test_a_failed_change_keeps_the_current_cv(zoetermeer, owner, settings,
                                              django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        candidate = new_candidate(owner, cv=_pdf("versie 1"))
    for wrong, error in (({"expected_version": 99}, services.StaleEdit),
                         ({"expected_version": None, "email": "geen-adres"}, ValidationError)):
        with tenant_context(zoetermeer), pytest.raises(error), \
                django_capture_on_commit_callbacks(execute=True):
            services.update_candidate(candidate.pk, by=owner, cv=_pdf("versie 2"), **wrong)
    # the current CV stays, and the refused upload left nothing behind
    assert _stored(settings) == {candidate.cv.name}


def test_retention_deletes_files_no_row_refers_to(zoetermeer, owner, settings,
                                                  django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer), django_capture_on_commit_callbacks(execute=True):
        kept = new_candidate(owner, cv=_pdf("blijft")).cv.name
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "gm0637"
    old_orphans = [root / "cv" / "oud-0123456789abcdef.pdf", root / "imports" / "oud.csv"]
    fresh_orphan = root / "cv" / "net-geupload.pdf"  # its transaction may still commit
    hour_ago = time.time() - 2 * 3600
    for path in [*old_orphans, fresh_orphan]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"wees")
    for path in old_orphans:
        os.utime(path, (hour_ago, hour_ago))
    os.utime(root / kept, (hour_ago, hour_ago))
    with tenant_context(zoetermeer):
        assert privacy.delete_abandoned_import_files() == 2
    assert _stored(settings) == {kept, "cv/net-geupload.pdf"}
