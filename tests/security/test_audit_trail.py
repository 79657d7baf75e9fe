"""The audit trail: coordinators read it, no one edits it. The database itself refuses UPDATE,
DELETE and TRUNCATE of audit entries (a trigger, in every municipality's schema, cloned ones
too), except the one UPDATE Django makes when an account is removed (actor to NULL). Exports
and erasures of people are recorded, also the ones nobody clicked (expired registrations)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import record
from matching_events.models import Registration
from matching_events.services import registrations
from relations.models import Candidate
from tests.conftest import make_user
from tests.matching_events.conftest import new_meetup
from tests.relations.conftest import logged_in, new_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(zoetermeer):
    return make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")


@pytest.fixture
def carol(zoetermeer):
    return make_user(zoetermeer, Role.COORDINATOR, "carol@zoetermeer.example")


@pytest.fixture
def entry(zoetermeer, alice):
    with tenant_context(zoetermeer):
        return record("view", "candidate", 7, actor=alice, detail="test")


def _refused(action) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        action()


def test_updates_deletes_and_truncate_are_refused(zoetermeer, alice, carol, entry):
    with tenant_context(zoetermeer):
        entries = AuditEntry.objects.filter(pk=entry.pk)
        _refused(lambda: entries.update(detail="changed"))
        _refused(lambda: entries.update(actor=carol))  # another actor is not "removed"
        _refused(lambda: entries.update(actor=None, detail="changed"))
        entry.detail = "changed"
        _refused(entry.save)
        _refused(entry.delete)
        _refused(lambda: AuditEntry.objects.all().delete())

        def truncate() -> None:
            with connection.cursor() as cursor:
                # The test's own insert left deferred foreign-key checks; PostgreSQL refuses a
                # TRUNCATE with those pending before any trigger runs.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("TRUNCATE audit_auditentry")

        _refused(truncate)
        entry.refresh_from_db()
        assert (entry.detail, entry.actor_id) == ("test", alice.pk)


def test_removing_an_account_still_sets_its_entries_actor_to_null(zoetermeer, alice, entry):
    with tenant_context(zoetermeer):
        alice.delete()
        entry.refresh_from_db()
    assert entry.actor_id is None
    assert entry.actor_label == "alice@zoetermeer.example"  # the trail still says who


def test_every_municipality_has_the_triggers_in_its_own_schema(zoetermeer, hilversum):
    """Municipalities are cloned from the template: the clone must carry the triggers and
    their function along."""
    for municipality in (zoetermeer, hilversum):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.tgname, fn.nspname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_proc p ON p.oid = t.tgfoid "
                "JOIN pg_namespace fn ON fn.oid = p.pronamespace "
                "WHERE n.nspname = %s AND c.relname = 'audit_auditentry' AND NOT t.tgisinternal "
                "ORDER BY t.tgname", [municipality.schema_name])
            rows = cursor.fetchall()
        assert rows == [("audit_auditentry_no_change", municipality.schema_name),
                        ("audit_auditentry_no_truncate", municipality.schema_name)]


def test_a_coordinator_reads_the_trail_and_a_relationship_manager_cannot(
        zoetermeer, alice, carol, entry):
    page = logged_in(zoetermeer, carol).get("/werkplek/logboek/")
    assert page.status_code == 200 and "alice@zoetermeer.example" in page.content.decode()
    assert logged_in(zoetermeer, alice).get("/werkplek/logboek/").status_code == 403


def test_no_admin_offers_to_edit_the_trail(zoetermeer, carol):
    from wagtail.snippets.models import get_snippet_models

    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert AuditEntry not in get_snippet_models()
    client = logged_in(zoetermeer, carol)
    page = client.get("/werkplek/logboek/").content.decode()
    assert 'name="detail"' not in page and "/logboek/" not in page.split("<main", 1)[1].split(
        "action=", 1)[-1][:20]  # no form posting to the trail
    with tenant_context(zoetermeer):
        before = AuditEntry.objects.count()
    client.post("/werkplek/logboek/", {"detail": "x"})
    with tenant_context(zoetermeer):
        assert not AuditEntry.objects.filter(detail="x").exists()
        assert AuditEntry.objects.count() >= before


def test_an_expired_registration_s_candidate_erasure_is_recorded(zoetermeer, alice):
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice)
        registration = registrations.register_for_meetup(
            meetup.pk, first_name="Fatima", last_name="El Amrani", email="fatima@example.org")
        Registration.objects.update(created_at=timezone.now() - timedelta(days=8))
        assert registrations.expire_unconfirmed() == 1
        assert not Candidate.objects.filter(pk=registration.candidate_id).exists()
        erased = AuditEntry.objects.get(action="erase")
    assert (erased.object_type, erased.object_id) == ("candidate", str(registration.candidate_id))
    assert erased.detail == "inschrijving niet bevestigd" and erased.actor_id is None


def test_printing_a_table_plan_is_recorded_as_an_export(zoetermeer, alice, monkeypatch):
    from types import SimpleNamespace

    from matching_events.services import seating

    monkeypatch.setattr(seating, "table_plan_pdf", lambda meetup, viewer: (
        b"%PDF-1.4 plan", SimpleNamespace(shown_ids=[])))
    with tenant_context(zoetermeer):
        meetup = new_meetup(alice)
        new_candidate(alice)
    response = logged_in(zoetermeer, alice).get(
        f"/werkplek/bijeenkomsten/{meetup.pk}/tafelindeling.pdf")
    assert response.status_code == 200
    with tenant_context(zoetermeer):
        export = AuditEntry.objects.get(action="export")
    assert (export.object_type, export.object_id, export.actor_id) == (
        "meetup", str(meetup.pk), alice.pk)
