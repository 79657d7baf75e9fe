"""The exit export: everything the platform holds for one municipality, in open formats it can
take to another supplier (issue 8, privacy operations; docs/data-inventory.md, "Exit").

One `.zip` with

- `tabellen/<table>.csv`: every table of the municipality's schema;
- `gedeeld/<table>.csv`: its rows in the shared tables of the public schema, as found by
  `tenants.footprint` (registry row, domains, subscription, sign-ups, ministry rollups, …);
- `bestanden/<path>`: every file under `MEDIA_ROOT/<schema>/`, and its private files
  (`PRIVATE_MEDIA_ROOT/<schema>/`) under `bestanden/private/`;
- `manifest.json`: per table the row count and the SHA-256 of its file, per media file its
  size and SHA-256, the time of the export and the platform's version and migration state;
- `LEESMIJ.txt`: the layout explained in Dutch.

CSV: UTF-8, header row, PostgreSQL's CSV quoting (an unquoted empty field is NULL), times in
ISO 8601 and UTC, json columns and arrays as JSON, booleans as true / false. Tables are
streamed with `COPY … TO STDOUT` straight into the zip, so a large municipality does not fill
memory; all of them are read in one REPEATABLE READ snapshot, so the files agree with each
other and with the row counts. Credentials (password hashes, session keys, two-factor
secrets, confirmation keys, API token hashes, page passwords) are written as empty: they are
no data about anyone and must not travel (`CREDENTIAL_COLUMNS`).

The export is recorded in the municipality's audit trail (action "export", object
"municipality", its CBS code; no personal data).
"""

import hashlib
import importlib.metadata
import json
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from audit.services import record

from .footprint import Footprint, media_files, schema_tables, shared_querysets
from .models import Municipality

FORMAT = "werktop-exit-export"
FORMAT_VERSION = 1
TABLES, SHARED, MEDIA = "tabellen", "gedeeld", "bestanden"
CHUNK = 1024 * 1024
DEFAULT_ACTOR = "platformbeheer (manage.py export_municipality)"
# Secrets, not data: written as empty fields.
CREDENTIAL_COLUMNS = {
    "accounts_user": ("password",),
    "account_emailconfirmation": ("key",),
    "django_session": ("session_key", "session_data"),
    "usersessions_usersession": ("session_key",),
    "mfa_authenticator": ("data",),
    "wagtailcore_apitoken": ("key_hash",),
    "wagtailcore_pageviewrestriction": ("password",),
    "wagtailcore_collectionviewrestriction": ("password",),
    "authtoken_token": ("key",),
}
# Written by to_json(): ISO 8601 with a "T" (session time zone UTC), true / false.
_TO_JSON_TEXT = {"timestamp with time zone", "timestamp without time zone", "date",
                 "time with time zone", "time without time zone", "boolean", "interval"}


class ExportError(Exception):
    """The export was refused; the message is for people (Dutch)."""


@dataclass(frozen=True)
class OperatorLabel:
    """The operator who made the export. Operators have no account in a municipality's
    schema, so the audit entry keeps only this label (`actor_label`)."""

    email: str
    is_authenticated: bool = False


@dataclass(frozen=True)
class ExportResult:
    path: Path
    manifest: dict[str, Any]


def platform_version() -> str:
    try:
        return importlib.metadata.version("werktop-platform")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def migration_state(schema: str) -> dict[str, Any]:
    """The migrations applied in the schema: how many, the latest per app, and what the code
    has that the schema lacks."""
    with schema_context(schema):
        executor = MigrationExecutor(connection)
        applied = sorted(executor.loader.applied_migrations)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    latest: dict[str, str] = {}
    for app, name in applied:
        latest[app] = max(latest.get(app, ""), name)
    return {"applied": len(applied), "latest": latest,
            "pending": [f"{migration.app_label}.{migration.name}" for migration, _b in pending]}


def _quoted(schema: str, table: str) -> str:
    return f"{connection.ops.quote_name(schema)}.{connection.ops.quote_name(table)}"


def _select(cursor: Any, schema: str, table: str) -> tuple[str, str]:
    """The select list (each column as an open-format text) and the ORDER BY of a table."""
    cursor.execute("SELECT column_name, data_type FROM information_schema.columns "
                   "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                   [schema, table])
    secret = CREDENTIAL_COLUMNS.get(table, ())
    columns = []
    for name, data_type in cursor.fetchall():
        column = connection.ops.quote_name(name)
        if name in secret:
            expression = "NULL"
        elif data_type in _TO_JSON_TEXT:
            expression = f"to_json({column}) #>> '{{}}'"
        elif data_type == "ARRAY":
            expression = f"to_json({column})::text"
        elif data_type in ("json", "jsonb"):
            expression = f"{column}::text"
        else:
            expression = column
        columns.append(f"{expression} AS {column}")
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey::int2[], a.attnum)", [_quoted(schema, table)])
    order = ", ".join(connection.ops.quote_name(row[0]) for row in cursor.fetchall())
    return ", ".join(columns), (f" ORDER BY {order}" if order else "")


def _copy(cursor: Any, schema: str, table: str, pks: list | None,
          pk_column: str = "") -> tuple[int, Iterator[bytes]]:
    """Row count and the CSV stream of a table (only the rows `pks` when given)."""
    select, order = _select(cursor, schema, table)
    where, params = "", []
    if pks is not None:
        where, params = f" WHERE {connection.ops.quote_name(pk_column)} = ANY(%s)", [pks]
    # Identifiers come from the catalogue, quoted as identifiers; values are parameters.
    source = _quoted(schema, table) + where
    cursor.execute(f"SELECT count(*) FROM {source}", params)  # noqa: S608  # nosec
    count = cursor.fetchone()[0]
    sql = (f"COPY (SELECT {select} FROM {source}{order}) TO STDOUT "  # noqa: S608  # nosec
           "WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')")

    def chunks() -> Iterator[bytes]:
        # psycopg's own cursor: Django's debug wrapper takes no parameters for COPY.
        with cursor.cursor.copy(sql, params or None) as copy:
            for data in copy:
                yield bytes(data)

    return count, chunks()


def _write(archive: zipfile.ZipFile, name: str, chunks: Iterable[bytes]) -> tuple[str, int]:
    """Stream chunks into one zip entry; its SHA-256 and size."""
    digest, size = hashlib.sha256(), 0
    with archive.open(name, "w", force_zip64=True) as entry:
        for chunk in chunks:
            digest.update(chunk)
            entry.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _readme(municipality: Municipality, created: str) -> str:
    with translation.override("nl"):
        paragraphs = [
            _("Export of all data of %(name)s (%(code)s) from the Werktop platform, made on "
              "%(created)s (UTC).") % {"name": municipality.name,
                                       "code": municipality.cbs_code, "created": created},
            _("This is the exit export: everything the platform holds for your municipality, "
              "in open formats, so that you can take it to another supplier. It contains "
              "personal data: keep it as safe as the platform did and delete copies you no "
              "longer need."),
            _("%(folder)s/: every table of your municipality's own database, one CSV file per "
              "table.") % {"folder": TABLES},
            _("%(folder)s/: your rows in the tables the platform shares between "
              "municipalities: the municipality's registration, host names, subscription and "
              "sign-up, and the figures for the ministry (counts only).") % {"folder": SHARED},
            _("%(folder)s/: the uploaded files (CVs, imported spreadsheets, reports, images "
              "and documents of the portal), in the same folders as on the platform.")
            % {"folder": MEDIA},
            _("manifest.json: for every file the number of rows or bytes and its SHA-256 "
              "checksum, the time of the export and the platform's version and database "
              "migrations. Check a file with, for example, sha256sum (Linux, macOS) or "
              "Get-FileHash (Windows PowerShell)."),
            _("The CSV files are UTF-8 and comma-separated; the first row holds the column "
              "names. An empty field without quotes is empty in the database (NULL), \"\" is "
              "empty text. Dates and times follow ISO 8601, times in UTC (for example "
              "2026-03-01T09:30:00+00:00). JSON columns and lists are written as JSON, yes/no "
              "columns as true/false."),
            _("Tables refer to each other by number: a column ending in _id holds the id of a "
              "row in another table (for example owner_id in relations_candidate is an id in "
              "accounts_user). Each table name starts with the part of the platform it "
              "belongs to: relations (employers and candidates), matching_events (meetups, "
              "opportunities, placements), targets, alerts, reports, audit (the audit log), "
              "accounts (users), cms and wagtail (the portal)."),
            _("Passwords, sessions, two-factor secrets and similar keys are not in the "
              "export (those columns are empty): users set a new password and two-factor "
              "authentication on the new system."),
        ]
    return "\n\n".join(paragraphs) + "\n"


def export_municipality(municipality: Municipality, output: Path, *,
                        actor: str = DEFAULT_ACTOR) -> ExportResult:
    """Write the exit export of a municipality to `output` (a new .zip file, readable by
    its owner only). Raises ExportError when the file exists."""
    output = Path(output)
    if output.exists():
        raise ExportError(_("%(path)s already exists; choose a new file name.")
                          % {"path": output})
    schema = municipality.schema_name
    created_text = timezone.now().astimezone(UTC).isoformat(timespec="seconds")
    manifest: dict[str, Any] = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "created_at": created_text,
        "municipality": {"cbs_code": municipality.cbs_code, "name": municipality.name,
                         "schema": schema},
        "platform": {"version": platform_version(), "migrations": migration_state(schema)},
        "csv": {"encoding": "UTF-8", "delimiter": ",", "header": True,
                "null": "an empty field without quotes", "times": "ISO 8601, UTC",
                "json": "json and array columns as JSON", "boolean": "true / false",
                "credentials_left_empty": {table: list(columns) for table, columns
                                           in CREDENTIAL_COLUMNS.items()}},
        "tables": {}, "shared_tables": {}, "media": [],
    }
    partial = output.with_name(output.name + ".part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as raw, \
                zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            _write_tables(archive, municipality, manifest)
            for relative, path in media_files(schema):
                digest, size = _write(archive, f"{MEDIA}/{relative}", _file_chunks(path))
                manifest["media"].append({"file": f"{MEDIA}/{relative}", "bytes": size,
                                          "sha256": digest})
            archive.writestr("LEESMIJ.txt", _readme(municipality, created_text))
            archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    with tenant_context(municipality):
        record("export", "municipality", municipality.cbs_code, actor=OperatorLabel(actor),
               detail=f"exit-export: {len(manifest['tables'])} tabellen, "
                      f"{len(manifest['media'])} bestanden")
    connection.set_schema_to_public()
    return ExportResult(output, manifest)


def _write_tables(archive: zipfile.ZipFile, municipality: Municipality,
                  manifest: dict[str, Any]) -> None:
    """Every table of the schema and the shared rows, from one consistent snapshot."""
    schema = municipality.schema_name
    connection.set_schema_to_public()
    outer = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if not outer:  # a snapshot of its own (inside a caller's transaction: the caller's)
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SET LOCAL TIME ZONE 'UTC'")
        cursor.execute("SET LOCAL intervalstyle = 'iso_8601'")
        for table in schema_tables(schema):
            count, chunks = _copy(cursor, schema, table, None)
            name = f"{TABLES}/{table}.csv"
            digest, _size = _write(archive, name, chunks)
            manifest["tables"][table] = {"file": name, "rows": count, "sha256": digest}
        for table, queryset in shared_querysets(Footprint.of(municipality)).items():
            pks = list(queryset.values_list("pk", flat=True))
            count, chunks = _copy(cursor, get_public_schema_name(), table, pks,
                                  queryset.model._meta.pk.column)
            name = f"{SHARED}/{table}.csv"
            digest, _size = _write(archive, name, chunks)
            manifest["shared_tables"][table] = {"file": name, "rows": count, "sha256": digest}
