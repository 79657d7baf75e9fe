"""Backup and restore of one municipality: its schema (`pg_dump -n`) plus its rows in the
shared tables of the public schema (its registry row, domains, ministry rollups, subscription,
sign-ups: whatever `tenants.footprint` finds).

A backup is a folder `<schema>-<UTC time>/` with `schema.dump` (pg_dump's custom format),
`shared.json` (Django's serialisation of the shared rows) and `manifest.json` (row count and
checksum of every table of the schema at backup time). Restoring puts the schema back as a
fresh schema: the schema that is there now, if any, is first renamed aside
(`<schema>_before_restore_<time>`, kept until an operator drops it), then pg_restore creates
the schema from the dump and the shared rows are written back. `fingerprints` compares a
schema with the manifest. Commands: `backup_municipality --cbs GM0637 --to DIR` and
`restore_municipality DIR` (README, "Security and operations").
"""

import glob
import json
import os
import shutil
import subprocess  # noqa: S404 - pg_dump and pg_restore, with fixed arguments
from datetime import UTC, datetime
from pathlib import Path

from django.core import serializers
from django.db import connection, transaction

from .footprint import TRANSIENT, Footprint, schema_tables, shared_querysets
from .models import Municipality


class BackupError(Exception):
    pass


def _shared_rows(municipality: Municipality) -> list:
    """Its rows in the shared tables (registry row first), as found by `tenants.footprint`."""
    return [row for rows in shared_querysets(Footprint.of(municipality)).values()
            if rows.model._meta.label_lower not in TRANSIENT for row in rows]


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: from PATH, else the newest installed PostgreSQL."""
    found = shutil.which(name) or next(iter(sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise BackupError(f"{name} is not installed")
    return found


def _connection_args() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    args = ["--host", settings["HOST"] or "localhost", "--port", str(settings["PORT"] or 5432),
            "--username", settings["USER"] or "postgres", "--dbname", settings["NAME"]]
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    return args, env


def fingerprints(schema: str) -> dict[str, list]:
    """Row count and an md5 over the sorted rows of every table in a schema."""
    result = {}
    with connection.cursor() as cursor:
        for table in schema_tables(schema):
            # Names from the catalogue, quoted as identifiers.
            quoted = connection.ops.quote_name(schema) + "." + connection.ops.quote_name(table)
            sql = ("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), "  # noqa: S608  # nosec
                   "'')) FROM " + quoted + " t")
            cursor.execute(sql)
            result[table] = list(cursor.fetchone())
    return result


def backup_municipality(municipality: Municipality, directory: Path) -> Path:
    """Write a backup folder for the municipality under `directory`; its path."""
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(directory) / f"{municipality.schema_name}-{stamp}"
    target.mkdir(parents=True)
    args, env = _connection_args()
    subprocess.run([pg_tool("pg_dump"), *args, "--format=custom", "--no-owner",  # noqa: S603
                    "--schema", municipality.schema_name, "--file", str(target / "schema.dump")],
                   check=True, env=env, capture_output=True, timeout=3600)
    (target / "shared.json").write_text(
        serializers.serialize("json", _shared_rows(municipality), indent=1), encoding="utf-8")
    (target / "manifest.json").write_text(json.dumps({
        "schema": municipality.schema_name, "cbs_code": municipality.cbs_code,
        "created": stamp, "tables": fingerprints(municipality.schema_name)}, indent=1),
        encoding="utf-8")
    return target


def restore_municipality(backup: Path) -> str | None:
    """Restore a backup folder as a fresh schema. The schema there now is renamed aside; its
    new name is returned (None when there was none)."""
    backup = Path(backup)
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    schema = manifest["schema"]
    aside = None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s",
                       [schema])
        if cursor.fetchone():
            aside = f"{schema}_before_restore_{datetime.now(tz=UTC):%Y%m%d%H%M%S}"
            cursor.execute(f"ALTER SCHEMA {connection.ops.quote_name(schema)} RENAME TO "
                           f"{connection.ops.quote_name(aside)}")
    args, env = _connection_args()
    subprocess.run([pg_tool("pg_restore"), *args, "--no-owner", "--exit-on-error",  # noqa: S603
                    str(backup / "schema.dump")], check=True, env=env, capture_output=True,
                   timeout=3600)
    with transaction.atomic():
        for item in serializers.deserialize(
                "json", (backup / "shared.json").read_text(encoding="utf-8")):
            item.save()
    return aside
