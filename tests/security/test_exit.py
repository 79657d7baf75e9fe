"""The exit strategy: a municipality's complete export (every table of its schema with row
counts and checksums matching the manifest, its files, its shared rows, nothing of another
municipality) and its verified deletion (every check passes, another municipality untouched;
a stray cache key, file or row is reported). Runs on committed data in a municipality made for
the test (Leeuwarden) and removed after, like tests/security/test_backup.py."""

import csv
import hashlib
import io
import json
import zipfile
from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_tenants.utils import schema_context, schema_exists, tenant_context

from accounts.roles import Role
from audit.models import AuditEntry
from billing.models import SignUp, StripeEvent, Subscription
from billing.services import lifecycle
from relations.demo import load_demo_relations
from relations.models import Candidate
from tenants.backup import fingerprints
from tenants.deletion import verify_deleted
from tenants.exit_export import export_municipality
from tenants.footprint import (
    Footprint,
    cache_keys,
    media_root,
    private_media_root,
    shared_querysets,
)
from tenants.models import Domain, Municipality
from tenants.services import provision_municipality
from tests.conftest import make_user

LEEUWARDEN, SCHEMA = "GM0080", "gm0080"
OTHERS = ("gm0637", "gm0402", "zoetermeer", "hilversum")  # schemas, hosts, names
CV = b"%PDF-1.4\n% test-cv van een kandidaat\n"
CHECKS = {"registry", "database-schema", "shared-tables", "media", "cache", "backups"}


def _remove_everything() -> None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT schema_name FROM information_schema.schemata "
                       "WHERE schema_name LIKE %s", [SCHEMA + "%"])
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP SCHEMA {connection.ops.quote_name(name)} CASCADE")
    for queryset in shared_querysets(Footprint(LEEUWARDEN, SCHEMA)).values():
        queryset.delete()
    PeriodicTask.objects.filter(name__startswith="exit-test").delete()
    StripeEvent.objects.filter(event_id="evt_exit").delete()
    Domain.objects.filter(tenant__cbs_code=LEEUWARDEN).delete()
    Municipality.objects.filter(cbs_code=LEEUWARDEN).delete()


def _periodic_task(name: str, schema: str) -> PeriodicTask:
    every_day, _created = IntervalSchedule.objects.get_or_create(every=1, period="days")
    return PeriodicTask.objects.create(name=name, task="werktop.exit_test", interval=every_day,
                                       headers=json.dumps({"_schema_name": schema}))


@pytest.fixture
def leeuwarden(django_db_setup, django_db_blocker):
    """A committed municipality with demo relations, a CV file, cache entries, a sign-up,
    a subscription, a Stripe event and a beat task; Zoetermeer gets the same markers, which
    must stay out of the export and survive the deletion."""
    with django_db_blocker.unblock():
        _remove_everything()
        municipality = provision_municipality(LEEUWARDEN)
        try:
            with tenant_context(municipality):
                manager = make_user(municipality, Role.RELATIONSHIP_MANAGER,
                                    "rm@leeuwarden.example")
                coordinator = make_user(municipality, Role.COORDINATOR, "co@leeuwarden.example")
                load_demo_relations(manager, coordinator, "leeuwarden")
                candidate = Candidate.objects.order_by("pk").first()
                candidate.cv.save("cv-kandidaat.pdf", ContentFile(CV), save=True)
                cache.set("exit-test", "van Leeuwarden")
                caches["renditions"].set("exit-test-rendition", "van Leeuwarden")
            sign_up = SignUp.objects.create(
                cbs_code=LEEUWARDEN, plan="medium", status=SignUp.Status.PROVISIONED,
                municipality=municipality, stripe_customer_id="cus_exit",
                stripe_subscription_id="sub_exit")
            Subscription.objects.create(
                municipality=municipality, sign_up=sign_up, plan="medium",
                stripe_customer_id="cus_exit", stripe_subscription_id="sub_exit",
                status="canceled", status_since=timezone.now())
            StripeEvent.objects.create(event_id="evt_exit", type="customer.subscription.updated",
                                       object_id="sub_exit", created=timezone.now())
            _periodic_task("exit-test leeuwarden", SCHEMA)
            zoetermeer = Municipality.objects.get(cbs_code="GM0637")
            with tenant_context(zoetermeer):
                cache.set("exit-test", "van Zoetermeer")
            _periodic_task("exit-test zoetermeer", zoetermeer.schema_name)
            marker = media_root(zoetermeer.schema_name) / "private" / "marker.txt"
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text("Zoetermeer", encoding="utf-8")
            connection.set_schema_to_public()
            yield municipality
        finally:
            _remove_everything()


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_the_export_holds_every_table_its_files_and_shared_rows_and_nothing_else(
        leeuwarden, tmp_path):
    expected = fingerprints(SCHEMA)
    assert expected["relations_candidate"][0] == 8

    result = export_municipality(leeuwarden, tmp_path / "leeuwarden.zip",
                                 actor="ops@werktop.example")

    assert result.path.stat().st_mode & 0o077 == 0  # personal data: the owner only
    with zipfile.ZipFile(result.path) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        contents = {name: archive.read(name) for name in names}
    assert "LEESMIJ.txt" in names
    assert manifest["municipality"] == {"cbs_code": LEEUWARDEN, "name": "Leeuwarden",
                                        "schema": SCHEMA}
    assert manifest["created_at"].endswith("+00:00")
    assert manifest["platform"]["migrations"]["pending"] == []
    assert manifest["platform"]["migrations"]["latest"]["relations"]
    # Every table of the schema, with the row count of the database and a matching checksum.
    assert set(manifest["tables"]) == set(expected)
    for table, entry in {**manifest["tables"], **manifest["shared_tables"]}.items():
        data = contents[entry["file"]]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], table
        assert len(_csv_rows(data)) - 1 == entry["rows"], table
        if table in expected:
            assert entry["rows"] == expected[table][0], table
    # Its media file, byte for byte.
    [cv] = [item for item in manifest["media"] if item["file"].endswith(".pdf")]
    assert cv["file"].startswith("bestanden/private/cv/")  # private storage, in the archive
    assert contents[cv["file"]] == CV and cv["sha256"] == hashlib.sha256(CV).hexdigest()
    # Its rows in the shared tables, found by introspection.
    shared = {table: entry["rows"] for table, entry in manifest["shared_tables"].items()}
    assert shared["tenants_municipality"] == 1 and shared["tenants_domain"] == 1
    assert shared["billing_signup"] == shared["billing_subscription"] == 1
    assert shared["billing_stripeevent"] == 1
    assert shared["django_celery_beat_periodictask"] == 1
    assert shared["ministry_periodrollup"] >= 1
    [header, row] = _csv_rows(contents["gedeeld/tenants_municipality.csv"])
    assert dict(zip(header, row, strict=True))["cbs_code"] == LEEUWARDEN
    # Open formats: ISO 8601 times in UTC, JSON arrays, true/false; no credentials.
    header, *rows = _csv_rows(contents["tabellen/relations_candidate.csv"])
    first = dict(zip(header, rows[0], strict=True))
    assert "T" in first["created_at"] and first["created_at"].endswith("+00:00")
    assert isinstance(json.loads(first["days_available"]), list)
    assert first["driving_licence"] in ("true", "false")
    header, *users = _csv_rows(contents["tabellen/accounts_user.csv"])
    assert users and all(dict(zip(header, user, strict=True))["password"] == ""
                         for user in users)
    # Nothing of another municipality: not its schema, host, name, cache, file or beat task.
    everything = b"\n".join(contents.values()).decode("utf-8", "replace").lower()
    assert "leeuwarden" in everything
    for other in OTHERS:
        assert other not in everything, other
    assert not any("marker" in name for name in names)
    # The export is in the municipality's audit trail, without personal data.
    with tenant_context(leeuwarden):
        entry = AuditEntry.objects.get(action="export", object_type="municipality")
    assert entry.object_id == LEEUWARDEN and entry.actor_label == "ops@werktop.example"
    assert "@" not in entry.detail and "kandidaat" not in entry.detail.lower()


def test_deletion_leaves_nothing_and_verification_finds_what_is_left(
        leeuwarden, tmp_path, settings):
    settings.BACKUP_ROOT = str(tmp_path / "backups")
    own_backup = tmp_path / "backups" / f"{SCHEMA}-20260101T000000Z"
    other_backup = tmp_path / "backups" / "gm0637-20260101T000000Z"
    for folder in (own_backup, other_backup):
        folder.mkdir(parents=True)
        (folder / "schema.dump").write_bytes(b"dump")
    with connection.cursor() as cursor:  # a copy a restore set aside
        cursor.execute(f"CREATE SCHEMA {SCHEMA}_before_restore_20260101000000")
    keys = {key.decode() for _alias, key in cache_keys(SCHEMA)}
    assert {f"{SCHEMA}:werktop:1:exit-test", f"{SCHEMA}:werktop:1:exit-test-rendition"} <= keys
    assert private_media_root(SCHEMA).is_dir()
    zoetermeer = Municipality.objects.get(cbs_code="GM0637")
    zoetermeer_before = fingerprints(zoetermeer.schema_name)
    hilversum_before = fingerprints("gm0402")
    certificate = tmp_path / "verwijderd.json"

    out = StringIO()
    call_command("delete_municipality", "gm0080", "--confirm", " leeuwarden ",
                 "--certificate", str(certificate), "--actor", "ops@werktop.example",
                 stdout=out)

    document = json.loads(certificate.read_text(encoding="utf-8"))
    assert document["complete"] is True
    assert document["municipality"] == {"cbs_code": LEEUWARDEN, "name": "Leeuwarden"}
    assert document["actor"] == "ops@werktop.example"
    assert {check["name"] for check in document["checks"]} == CHECKS
    assert all(check["result"] == "passed" for check in document["checks"]), document
    removed = document["removed_shared_rows"]
    assert removed["tenants_municipality"] == 1 and removed["billing_signup"] == 1
    assert removed["billing_stripeevent"] == removed["django_celery_beat_periodictask"] == 1
    # Independently of the service's own checks: everything is gone.
    assert not schema_exists(SCHEMA)
    assert not schema_exists(f"{SCHEMA}_before_restore_20260101000000")
    assert not Municipality.objects.filter(cbs_code=LEEUWARDEN).exists()
    assert not SignUp.objects.filter(cbs_code=LEEUWARDEN).exists()
    assert not StripeEvent.objects.filter(object_id="sub_exit").exists()
    assert not PeriodicTask.objects.filter(name="exit-test leeuwarden").exists()
    assert not media_root(SCHEMA).exists() and not own_backup.exists()
    assert not private_media_root(SCHEMA).exists()
    assert list(cache_keys(SCHEMA)) == []
    # Another municipality is untouched.
    assert fingerprints(zoetermeer.schema_name) == zoetermeer_before
    assert fingerprints("gm0402") == hilversum_before
    assert Domain.objects.filter(tenant=zoetermeer).exists()
    with tenant_context(zoetermeer):
        assert cache.get("exit-test") == "van Zoetermeer"
    assert (media_root(zoetermeer.schema_name) / "private" / "marker.txt").exists()
    assert PeriodicTask.objects.filter(name="exit-test zoetermeer").exists()
    assert other_backup.exists()

    # Something left behind is reported.
    with schema_context(SCHEMA):
        cache.set("stray", 1)
    connection.set_schema_to_public()
    media_root(SCHEMA).mkdir(parents=True)
    (media_root(SCHEMA) / "stray.txt").write_text("over", encoding="utf-8")
    SignUp.objects.create(cbs_code=LEEUWARDEN, plan="small", status=SignUp.Status.EXPIRED)
    checks = {check.name: check for check in verify_deleted(LEEUWARDEN)}
    assert {name for name, check in checks.items() if not check.passed} == {
        "cache", "media", "shared-tables"}
    assert checks["shared-tables"].detail == "billing_signup: 1"
    assert checks["cache"].detail == "1 keys" and checks["media"].detail == "1 files"


@pytest.mark.django_db
def test_the_command_refuses_without_the_municipalitys_name(zoetermeer):
    with pytest.raises(CommandError) as refused:
        call_command("delete_municipality", "GM0637", "--confirm", "Hilversum")
    with translation.override("nl"):
        expected = gettext("Refused: --confirm must be the municipality's name, %(name)s. "
                           "Nothing has been deleted.") % {"name": "Zoetermeer"}
    assert str(refused.value) == expected
    with pytest.raises(CommandError, match="confirm"):
        call_command("delete_municipality", "GM0637")
    assert schema_exists(zoetermeer.schema_name)
    assert Municipality.objects.filter(pk=zoetermeer.pk).exists()


@pytest.mark.django_db
def test_every_shared_table_that_points_at_a_municipality_is_in_the_footprint(zoetermeer):
    """A new shared table with a foreign key to the registry or the domains cannot be missed
    by the export and the deletion."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT DISTINCT source.relname FROM pg_constraint c
            JOIN pg_class source ON source.oid = c.conrelid
            JOIN pg_class target ON target.oid = c.confrelid
            JOIN pg_namespace n ON n.oid = source.relnamespace
            WHERE c.contype = 'f' AND n.nspname = 'public'
              AND target.relname IN ('tenants_municipality', 'tenants_domain')""")
        referencing = {row[0] for row in cursor.fetchall()}
    found = set(shared_querysets(Footprint.of(zoetermeer)))
    assert referencing <= found
    assert {"tenants_municipality", "tenants_domain", "billing_signup",
            "django_celery_beat_periodictask", "ministry_weekrollup"} <= found
    # Stripe events are found by the ids of its customer and subscription, once it has them.
    with_stripe = Footprint(zoetermeer.cbs_code, zoetermeer.schema_name, zoetermeer.pk,
                            frozenset({"sub_zoe"}))
    assert "billing_stripeevent" in shared_querysets(with_stripe)


@pytest.mark.django_db
def test_the_operators_removal_uses_the_deletion_service(zoetermeer, monkeypatch):
    calls = []

    class Stop(Exception):
        pass

    def spy(code, *, actor):
        calls.append((code, actor))
        raise Stop

    monkeypatch.setattr("tenants.deletion.delete_municipality", spy)
    long_ago = timezone.now() - timedelta(days=400)
    Municipality.objects.filter(pk=zoetermeer.pk).update(
        billing_status="canceled", billing_status_since=long_ago)
    subscription = Subscription.objects.create(
        municipality=Municipality.objects.get(pk=zoetermeer.pk), plan="small",
        stripe_customer_id="cus_zoe_exit", stripe_subscription_id="sub_zoe_exit",
        status="canceled", status_since=long_ago, cancelled_at=long_ago)
    with pytest.raises(Stop):
        lifecycle.remove_cancelled_municipality(subscription, confirm_name="Zoetermeer",
                                                actor="ops@werktop.example")
    assert calls == [("GM0637", "ops@werktop.example")]
