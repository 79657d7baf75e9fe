"""Privacy built in: every view of a candidate file is logged, data can be exported and
erased, closed files are deleted after the retention period."""

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from audit.models import AuditEntry
from relations import services
from relations.models import Candidate, ContactMoment
from relations.tasks import (
    delete_expired_candidate_files,
    delete_expired_candidate_files_everywhere,
)
from tenants.models import Municipality
from tests.relations.conftest import logged_in, new_candidate


@pytest.fixture
def candidate(zoetermeer, alice):
    with tenant_context(zoetermeer):
        candidate = new_candidate(alice)
        services.log_contact_moment(candidate, kind="call", occurred_at=timezone.now(),
                                    summary="Intake", by=alice)
        return candidate


def views_logged(zoetermeer, candidate) -> list[AuditEntry]:
    with tenant_context(zoetermeer):
        return list(AuditEntry.objects.filter(object_type="candidate",
                                              object_id=str(candidate.pk)))


@pytest.mark.parametrize("url", [
    "/werkplek/kandidaten/{pk}/", "/werkplek/kandidaten/{pk}/bewerken/",
    "/api/v1/kandidaten/{pk}/", "/werkplek/kandidaten/{pk}/gegevens.json"])
def test_every_view_of_a_candidate_file_is_logged(zoetermeer, alice, candidate, url):
    client = logged_in(zoetermeer, alice)
    response = client.get(url.format(pk=candidate.pk), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    [entry] = views_logged(zoetermeer, candidate)
    assert (entry.actor_label, str(entry.origin)) == ("alice@zoetermeer.example", "192.0.2.7")
    assert entry.action in ("view", "export")
    assert "Samira" not in entry.detail and "Bouzid" not in entry.detail


def test_a_refused_view_is_not_a_view_and_coordinators_read_the_log(zoetermeer, alice, bob,
                                                                    carol, candidate):
    logged_in(zoetermeer, bob).get(f"/werkplek/kandidaten/{candidate.pk}/")
    [refused] = views_logged(zoetermeer, candidate)  # recorded, but as refused
    assert (refused.action, refused.actor_label) == ("refused", "bob@zoetermeer.example")
    logged_in(zoetermeer, alice).get(f"/werkplek/kandidaten/{candidate.pk}/")
    page = logged_in(zoetermeer, carol).get(f"/werkplek/logboek/?kandidaat={candidate.pk}")
    assert page.status_code == 200 and b"alice@zoetermeer.example" in page.content


def test_the_json_export_holds_the_whole_file(zoetermeer, alice, candidate):
    data = logged_in(zoetermeer, alice).get(
        f"/werkplek/kandidaten/{candidate.pk}/gegevens.json").json()
    assert data["kandidaat"]["voornaam"] == "Samira"
    assert data["contactmomenten"][0]["samenvatting"] == "Intake"


def test_erasure_deletes_the_whole_file_and_keeps_only_a_trace(zoetermeer, carol, candidate):
    with tenant_context(zoetermeer):
        candidate.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 cv"), save=True)
        cv_path = candidate.cv.path
    client = logged_in(zoetermeer, carol)
    response = client.post(f"/werkplek/kandidaten/{candidate.pk}/wissen/",
                           {"reason": "verzoek van betrokkene", "confirm": "on"})
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        assert not Candidate.objects.filter(pk=candidate.pk).exists()
        assert not ContactMoment.objects.filter(candidate_id=candidate.pk).exists()
        entry = AuditEntry.objects.get(action="erase", object_id=str(candidate.pk))
        assert entry.detail == "verzoek van betrokkene"
    assert not os.path.exists(cv_path)


def test_a_relationship_manager_cannot_erase(zoetermeer, alice, candidate):
    response = logged_in(zoetermeer, alice).post(
        f"/werkplek/kandidaten/{candidate.pk}/wissen/", {"reason": "x", "confirm": "on"})
    assert response.status_code == 403
    with tenant_context(zoetermeer):
        assert Candidate.objects.filter(pk=candidate.pk).exists()


def test_the_retention_task_deletes_only_expired_closed_files(zoetermeer, hilversum, alice,
                                                              charlie):
    Municipality.objects.filter(pk=zoetermeer.pk).update(candidate_retention_months=12)
    long_ago = timezone.now() - timedelta(days=400)
    recently = timezone.now() - timedelta(days=300)
    with tenant_context(zoetermeer):
        expired = new_candidate(alice, email="a@example.org", status="closed")
        young = new_candidate(alice, email="b@example.org", status="closed")
        active = new_candidate(alice, email="c@example.org", status="active")
        Candidate.objects.filter(pk=expired.pk).update(closed_at=long_ago)
        Candidate.objects.filter(pk=young.pk).update(closed_at=recently)
        Candidate.objects.filter(pk=active.pk).update(created_at=long_ago)
    with tenant_context(hilversum):  # Hilversum keeps its own files: other schema, 24 months
        theirs = new_candidate(charlie, status="closed")
        Candidate.objects.filter(pk=theirs.pk).update(closed_at=long_ago)
    with tenant_context(zoetermeer):
        assert delete_expired_candidate_files.delay().get() == 1
        assert delete_expired_candidate_files.delay().get() == 0  # idempotent
        assert set(Candidate.objects.values_list("pk", flat=True)) == {young.pk, active.pk}
        assert AuditEntry.objects.filter(action="erase", object_id=str(expired.pk)).exists()
    with tenant_context(hilversum):
        assert Candidate.objects.filter(pk=theirs.pk).exists()


def test_the_nightly_fan_out_reaches_every_municipality(zoetermeer, hilversum):
    assert delete_expired_candidate_files_everywhere.delay().get() >= 2


def test_a_cv_is_never_served_as_public_media(zoetermeer, alice, candidate, bob):
    with tenant_context(zoetermeer):
        candidate.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 cv"), save=True)
        name = candidate.cv.name
    client = logged_in(zoetermeer, alice)
    assert client.get(f"/media/{zoetermeer.schema_name}/{name}").status_code == 404
    download = client.get(f"/werkplek/kandidaten/{candidate.pk}/cv/")
    assert download.status_code == 200
    assert logged_in(zoetermeer, bob).get(
        f"/werkplek/kandidaten/{candidate.pk}/cv/").status_code == 404


def test_the_retention_run_is_on_the_nightly_schedule():
    from werktop.celery import app

    entry = app.conf.beat_schedule["delete-expired-candidate-files-nightly"]
    assert entry["task"] == "relations.delete_expired_candidate_files_everywhere"


def test_another_municipality_cannot_read_the_audit_log(zoetermeer, hilversum, alice, carol,
                                                        candidate):
    from accounts.roles import Role
    from tests.conftest import make_user

    logged_in(zoetermeer, alice).get(f"/werkplek/kandidaten/{candidate.pk}/")
    dora = make_user(hilversum, Role.COORDINATOR, "dora@hilversum.example")
    page = logged_in(hilversum, dora).get("/werkplek/logboek/")
    assert page.status_code == 200 and b"alice@zoetermeer.example" not in page.content
    with tenant_context(hilversum):  # only Hilversum's own security events (dora's login)
        assert not AuditEntry.objects.exclude(
            action__in=["login", "role_change"]).exists()
        assert not AuditEntry.objects.filter(actor_label__contains="zoetermeer").exists()


def test_uploads_of_abandoned_imports_are_deleted_after_a_week(zoetermeer, alice):
    from relations.imports.models import ImportJob
    from relations.tasks import delete_abandoned_import_files

    with tenant_context(zoetermeer):
        old = ImportJob.objects.create(kind="candidates", original_filename="a.csv",
                                       created_by=alice)
        old.file.save("a.csv", ContentFile(b"voornaam\nSamira\n"), save=True)
        new = ImportJob.objects.create(kind="candidates", original_filename="b.csv",
                                       created_by=alice)
        new.file.save("b.csv", ContentFile(b"voornaam\nKees\n"), save=True)
        ImportJob.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(days=8))
        path = old.file.path
        assert delete_abandoned_import_files.delay().get() == 1
        assert not os.path.exists(path)
        assert ImportJob.objects.get(pk=old.pk).file == ""
        assert ImportJob.objects.get(pk=new.pk).file
