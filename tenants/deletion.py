"""Verified deletion of a municipality (issue 8, privacy operations; docs/data-inventory.md,
"Deleting a municipality").

`delete_municipality` removes everything the platform holds for one municipality, as found by
`tenants.footprint`: its rows in every shared table (registry row, domains, subscription,
sign-ups, ministry rollups, Stripe events about its customer, beat tasks and outbox tasks that
name its schema), its schema (DROP SCHEMA … CASCADE) and the copies a restore renamed aside,
and, once that has committed, its media folder, its cache keys (SCAN on every Redis cache)
and its backup folders (when `BACKUP_ROOT` is set). `verify_deleted` then looks for each of
those again and returns named checks; `certificate` turns them into the JSON statement the
processor hands the municipality. The billing operator's removal
(`billing.services.lifecycle.remove_cancelled_municipality`) and the command
`delete_municipality` both use this service.

Logs and the certificate hold the CBS code, the name of the municipality and counts only.
"""

import logging
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .cbs import normalise_cbs_code
from .footprint import (
    Footprint,
    backup_folders,
    backup_root,
    cache_clients,
    cache_pattern,
    file_roots,
    schema_exists_like,
    shared_querysets,
)
from .models import Municipality

logger = logging.getLogger(__name__)

PASSED, FAILED, NOT_APPLICABLE = "passed", "failed", "not applicable"
# What each check looks for, in the certificate's language (Dutch).
DESCRIPTIONS = {
    "registry": gettext_noop("The municipality is no longer in the platform's registry."),
    "database-schema": gettext_noop(
        "The municipality's database schema (and any copy set aside by a restore) is gone."),
    "shared-tables": gettext_noop(
        "No row in a shared table refers to the municipality any more."),
    "media": gettext_noop("The municipality's folder of uploaded files is gone."),
    "cache": gettext_noop("No cache entry of the municipality is left."),
    "backups": gettext_noop("No backup of the municipality is left in the backup folder."),
}


class DeletionRefused(Exception):
    """The municipality cannot be deleted; the message is for people (Dutch)."""


@dataclass(frozen=True)
class Check:
    name: str
    result: str  # PASSED, FAILED or NOT_APPLICABLE
    detail: str = ""  # counts and table names only

    @property
    def passed(self) -> bool:
        return self.result != FAILED


@dataclass
class Deletion:
    """What was deleted. `footprint` keeps the ids that are gone from the database with the
    registry row, so the verification can still look for them."""

    code: str
    name: str
    schema: str
    actor: str
    deleted_at: datetime
    footprint: Footprint
    removed: dict[str, int] = field(default_factory=dict)


def _actor_label(actor: Any) -> str:
    if isinstance(actor, str):
        return actor
    return getattr(actor, "email", "") or str(actor)


def delete_municipality(code: str, *, actor: Any) -> Deletion:
    """Delete a municipality and everything of it. `actor` (a user or a label) is named in the
    certificate. The database part is one transaction; files, cache keys and backups go once
    it has committed (so a rolled-back deletion leaves them)."""
    code = normalise_cbs_code(code)
    municipality = Municipality.objects.participating().filter(cbs_code=code).first()
    if municipality is None:
        raise DeletionRefused(_("There is no municipality with CBS code %(code)s on the "
                                "platform.") % {"code": code})
    connection.set_schema_to_public()
    footprint = Footprint.of(municipality)
    deletion = Deletion(code=code, name=municipality.name, schema=municipality.schema_name,
                        actor=_actor_label(actor), deleted_at=timezone.now(),
                        footprint=footprint)
    with transaction.atomic():
        for queryset in shared_querysets(footprint).values():
            if queryset.model is not Municipality:
                _count(deletion, queryset.delete()[1])
        # Drops the schema and deletes the registry row (its signals reset the ministry cache).
        _count(deletion, municipality.delete(force_drop=True)[1])
        with connection.cursor() as cursor:
            for aside in schema_exists_like(deletion.schema):
                cursor.execute(f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(aside)} "
                               "CASCADE")
        transaction.on_commit(lambda: _remove_outside_database(deletion.schema))
    logger.info("Deleted municipality %s (schema, shared rows: %s)", code,
                sum(deletion.removed.values()))
    return deletion


def _count(deletion: Deletion, per_model: dict[str, int]) -> None:
    for label, count in per_model.items():
        if count:
            table = apps.get_model(label)._meta.db_table
            deletion.removed[table] = deletion.removed.get(table, 0) + count


def _remove_outside_database(schema: str) -> None:
    for _prefix, root in file_roots(schema):
        shutil.rmtree(root, ignore_errors=True)
    removed = 0
    try:
        for _alias, client in cache_clients():
            batch = []
            for key in client.scan_iter(match=cache_pattern(schema), count=1000):
                batch.append(key)
                if len(batch) >= 500:
                    removed += client.unlink(*batch)
                    batch = []
            if batch:
                removed += client.unlink(*batch)
    except Exception:  # the verification reports what is left
        logger.warning("Could not remove the cache entries of %s", schema, exc_info=True)
    for folder in backup_folders(schema):
        shutil.rmtree(folder, ignore_errors=True)
    logger.info("Removed files, %s cache entries and backups of %s", removed, schema)


def verify_deleted(code: str, *, footprint: Footprint | None = None) -> list[Check]:
    """Look for every kind of data of the municipality again. Pass the footprint of the
    deletion to also look for rows by its former ids (without it: by CBS code and schema)."""
    code = normalise_cbs_code(code)
    footprint = footprint or Footprint(code, code.lower())
    schema = footprint.schema
    connection.set_schema_to_public()
    checks = []
    registry = Municipality.objects.filter(Q(cbs_code=code) | Q(schema_name=schema)).count()
    checks.append(Check("registry", PASSED if not registry else FAILED,
                        f"{registry} rows" if registry else ""))
    schemas = schema_exists_like(schema)
    checks.append(Check("database-schema", FAILED if schemas else PASSED, ", ".join(schemas)))
    left = {table: count for table, queryset in shared_querysets(footprint).items()
            if (count := queryset.count())}
    checks.append(Check("shared-tables", FAILED if left else PASSED,
                        ", ".join(f"{table}: {count}" for table, count in sorted(left.items()))))
    roots = [root for _prefix, root in file_roots(schema) if root.exists()]
    files = sum(1 for root in roots for path in root.rglob("*") if path.is_file())
    checks.append(Check("media", FAILED if roots else PASSED,
                        f"{files} files" if roots else ""))
    checks.append(_cache_check(schema))
    if backup_root() is None:
        checks.append(Check("backups", NOT_APPLICABLE, "BACKUP_ROOT is not set"))
    else:
        folders = backup_folders(schema)
        checks.append(Check("backups", FAILED if folders else PASSED,
                            f"{len(folders)} folders" if folders else ""))
    return checks


def _cache_check(schema: str) -> Check:
    try:
        left = 0
        for _alias, client in cache_clients():
            left += sum(1 for _key in client.scan_iter(match=cache_pattern(schema), count=1000))
    except Exception as error:  # Redis unreachable: cannot be verified
        return Check("cache", FAILED, f"cache not reachable: {type(error).__name__}")
    return Check("cache", FAILED if left else PASSED, f"{left} keys" if left else "")


def certificate(deletion: Deletion, checks: list[Check]) -> dict[str, Any]:
    """The deletion certificate (JSON-serialisable), in Dutch."""
    complete = all(check.passed for check in checks)
    with translation.override("nl"):
        statement = (_("All data of %(name)s (%(code)s) has been deleted from the Werktop "
                       "platform; every check below found nothing left.") if complete else
                     _("The deletion of %(name)s (%(code)s) is NOT complete: see the checks "
                       "that failed.")) % {"name": deletion.name, "code": deletion.code}
        rows = [{**asdict(check), "description": _(DESCRIPTIONS[check.name])}
                for check in checks]
    return {
        "municipality": {"cbs_code": deletion.code, "name": deletion.name},
        "deleted_at": deletion.deleted_at.astimezone(UTC).isoformat(timespec="seconds"),
        "verified_at": timezone.now().astimezone(UTC).isoformat(timespec="seconds"),
        "actor": deletion.actor,
        "complete": complete,
        "statement": statement,
        "checks": rows,
        "removed_shared_rows": dict(sorted(deletion.removed.items())),
    }
