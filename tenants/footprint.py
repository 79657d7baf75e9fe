"""Where one municipality's data lives: the tables of its schema, its rows in the shared tables
of the public schema, its media folder, its cache keys and its backups.

One place that knows it, so the backup (`tenants.backup`), the exit export
(`tenants.exit_export`) and the deletion (`tenants.deletion`) agree on what "everything of a
municipality" is. The shared rows are found by introspection, not by a hand-kept list: every
model of a shared app with a foreign key to the municipality or its domains, a text column
named like a CBS code or a schema name (`cbs_code`, `schema_name`, …: the sign-ups, the
tasks outbox), the Celery beat tasks whose arguments or headers name the schema, the Stripe
events about its customer or subscription, and every row that points at one of those. A new
shared model that references a municipality in one of these ways is covered without a change
here (`tests/security/test_exit.py` lists what is found).
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, models

from core.files import private_root

from .models import Domain, Municipality

# Text columns that hold a municipality's CBS code or schema name (any shared model).
CODE_COLUMNS = ("cbs_code", "municipality_code")
SCHEMA_COLUMNS = ("schema_name", "tenant_schema", "schema")
# Text columns holding JSON that may name the schema a task runs for (tenant-schemas-celery
# puts it in the headers; a task may take it as an argument).
EMBEDDED_SCHEMA = {"django_celery_beat.periodictask": ("args", "kwargs", "headers")}
# Columns holding ids of the municipality's objects at an outside service.
EXTERNAL_ID_COLUMNS = {"billing.stripeevent": ("object_id",)}
# The ids at Stripe that belong to a municipality: read from these models' rows.
EXTERNAL_ID_SOURCES = {
    "billing.subscription": ("stripe_customer_id", "stripe_subscription_id"),
    "billing.signup": ("stripe_customer_id", "stripe_subscription_id", "checkout_session_id"),
}
# Queued work, not data: exported and deleted with the municipality, but a backup does not
# keep it (restoring it would send old tasks again).
TRANSIENT = {"werktop.outboxtask"}
# Backup folders are "<schema>-<UTC time>" (tenants.backup.backup_municipality).
BACKUP_NAME = r"^{schema}-\d{{8}}T\d{{6}}Z$"


@dataclass(frozen=True)
class Footprint:
    """What identifies one municipality's data. `municipality_id` and `external_ids` are
    known only while its registry row exists (or when kept from before a deletion)."""

    code: str
    schema: str
    municipality_id: int | None = None
    external_ids: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, municipality: Municipality) -> "Footprint":
        footprint = cls(municipality.cbs_code or "", municipality.schema_name, municipality.pk)
        ids: set[str] = set()
        for label, columns in EXTERNAL_ID_SOURCES.items():
            model = _model(label)
            if model is None:
                continue
            query = _rule(model, footprint, transitive={})
            if query is not None:
                for row in model.objects.filter(query).values_list(*columns):
                    ids.update(value for value in row if value)
        return cls(footprint.code, footprint.schema, footprint.municipality_id, frozenset(ids))


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def schema_tables(schema: str) -> list[str]:
    """The base tables of a schema, sorted."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                       "AND table_type = 'BASE TABLE' ORDER BY table_name", [schema])
        return [row[0] for row in cursor.fetchall()]


def schema_exists_like(schema: str) -> list[str]:
    """The schema itself and the copies a restore renamed aside (`<schema>_before_restore_…`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name = %s "
            "OR schema_name LIKE %s ORDER BY schema_name",
            [schema, schema.replace("_", r"\_") + r"\_before\_restore\_%"])
        return [row[0] for row in cursor.fetchall()]


def shared_models() -> list[type[models.Model]]:
    """Models whose table is in the public schema (apps in SHARED_APPS), with the auto-created
    many-to-many tables."""
    shared = set(settings.SHARED_APPS)
    return [model for model in apps.get_models(include_auto_created=True)
            if model._meta.app_config.name in shared and not model._meta.proxy
            and model._meta.managed]


def _rule(model: type[models.Model], footprint: Footprint,
          transitive: dict[type[models.Model], models.Q]) -> models.Q | None:
    """The condition that selects the footprint's rows of one shared model, or None."""
    label = model._meta.label_lower
    conditions: list[models.Q] = []
    if model is Municipality and footprint.municipality_id is not None:
        conditions.append(models.Q(pk=footprint.municipality_id))
    for item in model._meta.concrete_fields:
        if isinstance(item, models.ForeignKey) and item.related_model is not model:
            target = item.related_model
            if target is Municipality and footprint.municipality_id is not None:
                conditions.append(models.Q(**{item.attname: footprint.municipality_id}))
            elif target is Domain and footprint.municipality_id is not None:
                conditions.append(models.Q(**{f"{item.name}__tenant_id":
                                              footprint.municipality_id}))
            elif target in transitive:
                conditions.append(models.Q(**{f"{item.name}__in":
                                              target.objects.filter(transitive[target])}))
        elif isinstance(item, models.CharField | models.TextField):
            if item.name in CODE_COLUMNS and footprint.code:
                conditions.append(models.Q(**{item.name: footprint.code}))
            elif item.name in SCHEMA_COLUMNS and footprint.schema:
                conditions.append(models.Q(**{item.name: footprint.schema}))
            elif item.name in EMBEDDED_SCHEMA.get(label, ()) and footprint.schema:
                conditions.append(models.Q(**{f"{item.name}__contains":
                                              f'"{footprint.schema}"'}))
            elif item.name in EXTERNAL_ID_COLUMNS.get(label, ()) and footprint.external_ids:
                conditions.append(models.Q(**{f"{item.name}__in":
                                              sorted(footprint.external_ids)}))
    if not conditions:
        return None
    query = conditions[0]
    for condition in conditions[1:]:
        query |= condition
    return query


def shared_querysets(footprint: Footprint) -> dict[str, models.QuerySet]:
    """Per public table (the municipality's registry table first), the footprint's rows.
    Tables with no way to reference a municipality are left out."""
    rules: dict[type[models.Model], models.Q] = {}
    candidates = shared_models()
    for _round in range(3):  # rows pointing at rows pointing at the municipality
        found = {model: query for model in candidates
                 if (query := _rule(model, footprint, rules)) is not None}
        stable, rules = found.keys() == rules.keys(), found
        if stable:
            break
    ordered = sorted(rules, key=lambda model: (model is not Municipality, model._meta.db_table))
    return {model._meta.db_table: model.objects.filter(rules[model]).order_by("pk")
            for model in ordered}


# --- outside the database ----------------------------------------------------------------------

def media_root(schema: str) -> Path:
    """MEDIA_ROOT/<schema>/: the municipality's uploads (see TenantFileSystemStorage)."""
    relative = getattr(settings, "MULTITENANT_RELATIVE_MEDIA_ROOT", "") or "%s"
    path = os.path.join(settings.MEDIA_ROOT, relative)
    return Path(path % schema if "%s" in path else os.path.join(path, schema))


def private_media_root(schema: str) -> Path:
    """PRIVATE_MEDIA_ROOT/<schema>/: its private files (CVs, reports, imports; core.files)."""
    return Path(private_root(schema))


def file_roots(schema: str) -> list[tuple[str, Path]]:
    """(name in an archive, folder) of every folder that holds the municipality's files."""
    return [("", media_root(schema)), ("private/", private_media_root(schema))]


def media_files(schema: str) -> list[tuple[str, Path]]:
    """(name in an archive, path) of every file of the municipality, public and private, sorted
    (symbolic links are not followed)."""
    found = []
    for prefix, root in file_roots(schema):
        if not root.is_dir():
            continue
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = Path(folder) / name
                if path.is_file() and not path.is_symlink():
                    found.append((prefix + path.relative_to(root).as_posix(), path))
    return sorted(found)


def cache_clients() -> list[tuple[str, Any]]:
    """(alias, redis client) for every Redis cache, one per distinct location."""
    seen: set[str] = set()
    clients = []
    for alias, config in settings.CACHES.items():
        cache = caches[alias]
        location = str(config.get("LOCATION"))
        if isinstance(cache, RedisCache) and location not in seen:
            seen.add(location)
            clients.append((alias, cache._cache.get_client(write=True)))
    return clients


def cache_pattern(schema: str) -> str:
    """Keys are "<schema>:<prefix>:<version>:<key>" (django_tenants.cache.make_key)."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", schema) + ":*"


def cache_keys(schema: str) -> Iterator[tuple[str, bytes]]:
    """(alias, key) of every cache entry of the schema, found with SCAN (never KEYS)."""
    for alias, client in cache_clients():
        for key in client.scan_iter(match=cache_pattern(schema), count=1000):
            yield alias, key


def backup_root() -> Path | None:
    """The platform's backup folder, when one is configured (setting BACKUP_ROOT)."""
    root = getattr(settings, "BACKUP_ROOT", None)
    return Path(root) if root else None


def backup_folders(schema: str) -> list[Path]:
    root = backup_root()
    if root is None or not root.is_dir():
        return []
    pattern = re.compile(BACKUP_NAME.format(schema=re.escape(schema)))
    return sorted(path for path in root.iterdir() if pattern.match(path.name))
