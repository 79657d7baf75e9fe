"""Migrations across every schema: what is pending where, and migrating only those schemas.

A deploy with 342 municipalities must not pay a full `migrate_schemas` (a no-op takes about
0.2 s per schema, over a minute in all) when no migration changed. This module reads, per
schema (public, the template, every municipality), the applied rows of its own
`django_migrations` (one small schema-qualified query each, no cross-schema joins) and
compares them with Django's migration plan for that schema's apps: SHARED_APPS for public,
TENANT_APPS for the others (django-tenants' router skips the other apps' operations there, so
only these count). Schemas with pending migrations are then migrated with django-tenants' own
per-schema `migrate_schemas --schema=<name>`, public first, the rest in parallel processes.

Each migration commits on its own, so a failure leaves the schema at the last migration that
succeeded and a new run continues from there. Output and logs name schemas, migrations and
database object names only: never values from rows (a PostgreSQL error's DETAIL may hold
personal data, so it is left out).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django_tenants.routers import TenantSyncRouter
from django_tenants.utils import get_public_schema_name, get_tenant_model

logger = logging.getLogger(__name__)

MigrationKey = tuple[str, str]
# Session-level advisory lock held while migrating ("Werktop" in ASCII): one run at a time.
LOCK_KEY = 0x5765726B746F70
MIGRATION_FILE = re.compile(r"[/\\]migrations[/\\]\d{4}_\w+\.py$")  # app/migrations/0003_x.py


@dataclass(frozen=True)
class SchemaState:
    """One schema and the migrations still to apply there ("app.name", in plan order)."""

    schema: str
    kind: str  # "national" (public), "template" or "municipality"
    pending: tuple[str, ...]
    exists: bool = True  # False: the tenant row has no schema (or no django_migrations)


@dataclass
class PlatformPlan:
    """The state of every schema, public first, then the template, then the municipalities."""

    schemas: list[SchemaState]
    seconds: float = 0.0

    @property
    def pending(self) -> list[SchemaState]:
        return [state for state in self.schemas if state.pending]

    @property
    def public(self) -> SchemaState:
        return self.schemas[0]

    def groups(self) -> list[tuple[tuple[str, ...], list[str]]]:
        """Pending schemas grouped by identical pending migrations (a release usually makes
        all 342 alike): [(pending, [schema, ...]), ...], largest group first."""
        grouped: dict[tuple[str, ...], list[str]] = {}
        for state in self.pending:
            grouped.setdefault(state.pending, []).append(state.schema)
        return sorted(grouped.items(), key=lambda item: -len(item[1]))


@dataclass(frozen=True)
class SchemaResult:
    schema: str
    ok: bool
    seconds: float
    error: str = ""  # class, SQLSTATE and object names only: no data


@dataclass
class RunReport:
    results: list[SchemaResult] = field(default_factory=list)
    # Every schema that still has pending migrations when the run is over.
    still_pending: dict[str, tuple[str, ...]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # not tried: public failed first
    seconds: float = 0.0

    @property
    def migrated(self) -> list[str]:
        return [r.schema for r in self.results if r.ok and r.schema not in self.still_pending]

    @property
    def failed(self) -> list[str]:
        """Schemas that failed, or are still behind after the run (also one that was not
        pending when the run began, e.g. provisioned meanwhile from a stale template)."""
        tried = [r.schema for r in self.results if not r.ok or r.schema in self.still_pending]
        return tried + [schema for schema in self.still_pending
                        if schema not in tried and schema not in self.skipped]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.skipped


# --- Reading the state -------------------------------------------------------------------

def app_labels(*, shared: bool) -> frozenset[str]:
    """Labels of the apps whose migrations act on public (shared) or on a tenant schema,
    decided the way django-tenants' router decides it."""
    from django.apps import apps

    router = TenantSyncRouter()
    names = settings.SHARED_APPS if shared else settings.TENANT_APPS
    return frozenset(config.label for config in apps.get_app_configs()
                     if router.app_in_list(config.label, names))


def migration_executor() -> MigrationExecutor:
    """Django's executor over the migration graph on disk, without a connection: the applied
    migrations are filled in per schema by `pending_migrations`."""
    return MigrationExecutor(None)


def pending_migrations(executor: MigrationExecutor, applied: Iterable[MigrationKey],
                       labels: frozenset[str]) -> tuple[str, ...]:
    """The forward plan to every leaf of the graph for a schema whose django_migrations holds
    `applied`, limited to the apps in `labels`. A squashed migration counts as applied when
    every migration it replaces is (as Django's loader decides it)."""
    loader = executor.loader
    applied_map = {key: loader.graph.nodes.get(key) for key in applied}
    for key, migration in loader.replacements.items():
        if all(target in applied_map for target in migration.replaces):
            applied_map[key] = migration
    loader.applied_migrations = applied_map
    plan = executor.migration_plan(loader.graph.leaf_nodes(), clean_start=False)
    return tuple(f"{migration.app_label}.{migration.name}" for migration, backwards in plan
                 if not backwards and migration.app_label in labels)


def schemas_with_migration_table() -> set[str]:
    """Schemas that have a django_migrations table (one catalog query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'django_migrations' AND c.relkind IN ('r', 'p')")
        return {row[0] for row in cursor.fetchall()}


def applied_in(schema: str) -> set[MigrationKey]:
    """The (app, name) rows of one schema's django_migrations: one query, schema-qualified
    (the search path is left alone)."""
    table = f"{connection.ops.quote_name(schema)}.django_migrations"  # a quoted identifier
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {table}")  # noqa: S608  # nosec
        return {(app, name) for app, name in cursor.fetchall()}


def tenant_schemas() -> list[tuple[str, str]]:
    """(schema, kind) of every tenant row but public: the template first, then the
    municipalities by schema name."""
    rows = (get_tenant_model().objects.exclude(schema_name=get_public_schema_name())
            .order_by("schema_name").values_list("schema_name", "kind"))
    return sorted(rows, key=lambda row: (row[1] != "template", row[0]))


def read_plan(executor: MigrationExecutor | None = None) -> PlatformPlan:
    """What is pending in public, the template and every municipality."""
    began = time.perf_counter()
    executor = executor or migration_executor()
    public = get_public_schema_name()
    shared, tenant = app_labels(shared=True), app_labels(shared=False)
    connection.set_schema_to_public()
    with_table = schemas_with_migration_table()
    cache: dict[tuple[frozenset[MigrationKey], bool], tuple[str, ...]] = {}

    def state(schema: str, kind: str, labels: frozenset[str]) -> SchemaState:
        if schema not in with_table:
            everything = pending_migrations(executor, (), labels)
            return SchemaState(schema, kind, everything, exists=False)
        applied = frozenset(applied_in(schema))
        key = (applied, labels is shared)
        if key not in cache:  # schemas with the same rows share one plan computation
            cache[key] = pending_migrations(executor, applied, labels)
        return SchemaState(schema, kind, cache[key])

    states = [state(public, "national", shared)]
    if public in with_table:  # else a fresh database: no tenant table to read yet
        states += [state(schema, kind, tenant) for schema, kind in tenant_schemas()]
    return PlatformPlan(states, time.perf_counter() - began)


# --- Migrating ---------------------------------------------------------------------------

@contextmanager
def exclusive(on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the platform's migration lock: a second run (a retried deploy Job, two deploys at
    once) waits until the first is done and then finds nothing pending. A PostgreSQL
    session-level advisory lock on a connection of its own, so it outlives the closing of
    Django's connections before the fork (direct connection: not through transaction
    pooling, see infra/MIGRATIONS.md)."""
    lock_connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with lock_connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            if not cursor.fetchone()[0]:
                if on_wait is not None:
                    on_wait()
                cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        yield
    finally:
        lock_connection.close()  # ends the session, which releases the lock


def describe_failure(error: BaseException) -> str:
    """What went wrong, without values from rows: the exception's class, PostgreSQL's SQLSTATE
    and the names of the table, column and constraint, and the last line of a migration file
    in the traceback (a RunPython function)."""
    parts = [type(error).__name__]
    cause = error
    while cause is not None and getattr(cause, "diag", None) is None:
        cause = cause.__cause__ or cause.__context__
    diag = getattr(cause, "diag", None)
    if diag is not None:
        for label, value in (("SQLSTATE", diag.sqlstate), ("table", diag.table_name),
                             ("column", diag.column_name),
                             ("constraint", diag.constraint_name)):
            if value:
                parts.append(f"{label} {value}")
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if MIGRATION_FILE.search(frame.filename)]
    if frames:
        last = frames[-1]
        parts.append(f"at {os.path.join(*last.filename.split(os.sep)[-3:])}:{last.lineno}")
    return ", ".join(parts)


def migrate_schema(schema: str, verbosity: int = 0) -> SchemaResult:
    """Run django-tenants' `migrate_schemas` for one schema (public: the shared apps)."""
    began = time.perf_counter()
    options = {"interactive": False, "verbosity": verbosity, "executor": "standard"}
    try:
        if schema == get_public_schema_name():
            call_command("migrate_schemas", shared=True, **options)
        else:
            call_command("migrate_schemas", schema_name=schema, **options)
    except Exception as error:  # reported by name; the other schemas go on
        summary = describe_failure(error)
        logger.error("Migrating schema %s failed: %s", schema, summary)
        connections.close_all()  # never reuse a connection left in a failed transaction
        return SchemaResult(schema, False, time.perf_counter() - began, summary)
    finally:
        connection.set_schema_to_public()  # no query: the next cursor sets the path
    return SchemaResult(schema, True, time.perf_counter() - began)


def _migrate_in_worker(task: tuple[str, int]) -> SchemaResult:
    return migrate_schema(*task)


def default_processes() -> int:
    configured = getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", None)
    return max(1, int(configured or os.cpu_count() or 1))


def migrate_schemas_in_parallel(schemas: list[str], *, processes: int,
                                verbosity: int = 0) -> Iterator[SchemaResult]:
    """Migrate the tenant schemas in `processes` forked processes (django-tenants'
    multiprocessing executor does the same, but stops reporting at the first failure);
    results arrive as schemas finish. One process or one schema: in this process."""
    tasks = [(schema, verbosity) for schema in schemas]
    if processes <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield _migrate_in_worker(task)
        return
    connections.close_all()  # a forked child must open its own connection
    context = multiprocessing.get_context("fork")
    with context.Pool(processes=min(processes, len(tasks))) as pool:
        yield from pool.imap_unordered(_migrate_in_worker, tasks, chunksize=1)


def run(plan: PlatformPlan, *, processes: int | None = None, force: bool = False,
        verbosity: int = 0,
        on_result: Callable[[SchemaResult], None] | None = None) -> RunReport:
    """Migrate public (when pending), then every tenant schema with pending migrations (all
    of them with `force`), the template included. Afterwards the migrated schemas are read
    again: one that still has pending migrations is reported as failed."""
    began = time.perf_counter()
    processes = processes or default_processes()
    report = RunReport()

    def record(result: SchemaResult) -> None:
        report.results.append(result)
        logger.info("Migrating schema %s: %s (%.1f s)", result.schema,
                    "done" if result.ok else "failed", result.seconds)
        if on_result is not None:
            on_result(result)

    public = plan.public
    tenants = [state.schema for state in plan.schemas[1:] if force or state.pending]
    if force or public.pending:
        result = migrate_schema(public.schema, verbosity)
        record(result)
        if not result.ok:
            # Tenant migrations may depend on the shared ones: try none of them.
            report.skipped = tenants
            tenants = []
    for result in migrate_schemas_in_parallel(tenants, processes=processes,
                                              verbosity=verbosity):
        record(result)

    connection.set_schema_to_public()
    after = read_plan()  # one query per schema again: did every migrated schema get there?
    report.still_pending = {state.schema: state.pending for state in after.pending}
    report.seconds = time.perf_counter() - began
    return report
