"""Per-municipality backup and restore: a populated municipality round-trips, every table's
row count and checksum equal, its shared rows back. Runs on committed data (pg_dump reads
through its own connection), in a municipality made for the test and removed after."""

import glob
import shutil

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import tenant_context

from accounts.roles import Role
from relations.demo import load_demo_relations
from relations.models import Candidate, Employer
from tenants.backup import backup_municipality, fingerprints, pg_tool, restore_municipality
from tenants.models import Domain, Municipality
from tenants.services import provision_municipality
from tests.conftest import make_user

ALMERE = "GM0034"
pytestmark = pytest.mark.skipif(
    not shutil.which("pg_dump") and not glob.glob("/usr/lib/postgresql/*/bin/pg_dump"),
    reason="pg_dump is not installed")


def _drop(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(schema)} CASCADE")


def test_a_populated_municipality_round_trips(django_db_setup, django_db_blocker, tmp_path):
    assert pg_tool("pg_dump")
    with django_db_blocker.unblock():
        municipality = provision_municipality(ALMERE)
        schema, aside = municipality.schema_name, None
        try:
            with tenant_context(municipality):
                manager = make_user(municipality, Role.RELATIONSHIP_MANAGER, "rm@almere.example")
                coordinator = make_user(municipality, Role.COORDINATOR, "co@almere.example")
                load_demo_relations(manager, coordinator, "almere")
                assert Candidate.objects.count() == 8
            connection.set_schema_to_public()
            before = fingerprints(schema)
            assert before["relations_candidate"][0] == 8

            backup = backup_municipality(municipality, tmp_path)
            assert {p.name for p in backup.iterdir()} == {"schema.dump", "shared.json",
                                                          "manifest.json"}
            with tenant_context(municipality):  # the damage the backup must undo
                Candidate.objects.all().delete()
                Employer.objects.filter(pk=Employer.objects.order_by("pk").first().pk).update(
                    name="Overschreven")
            connection.set_schema_to_public()
            Municipality.objects.filter(pk=municipality.pk).update(name="Kapot")
            assert fingerprints(schema) != before

            aside = restore_municipality(backup)
            assert aside and aside.startswith(f"{schema}_before_restore_")
            after = fingerprints(schema)
            assert after.keys() == before.keys()
            assert after == before  # every table: the same row count and checksum
            assert Municipality.objects.get(pk=municipality.pk).name == "Almere"
            with tenant_context(municipality):
                assert Candidate.objects.count() == 8
        finally:
            connection.set_schema_to_public()
            for name in (schema, aside):
                if name:
                    _drop(name)
            Domain.objects.filter(tenant__cbs_code=ALMERE).delete()
            Municipality.objects.filter(cbs_code=ALMERE).delete()


def test_the_backup_commands_exist():
    from django.core.management import get_commands

    assert {"backup_municipality", "restore_municipality"} <= set(get_commands())
    with pytest.raises(SystemExit):
        call_command("restore_municipality", "--help")
