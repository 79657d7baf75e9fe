"""`manage.py migrate_platform`: only schemas with pending migrations are migrated, public
first, in parallel processes; nothing pending → no migration at all, one query per schema.

These tests change real schemas, so they work on committed data (the forked migration
processes see only that) in two municipalities of their own, removed again afterwards.
A migration is "pending" because the test rolled it back in one schema with
`migrate_schemas --schema=<name> <app> <previous>`.
"""

import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tenants import migration_plan
from tenants.models import Municipality
from tenants.services import provision_municipality, template_schema_name

# Every schema migrated, for real, in each test: left out by make test-fast.
pytestmark = pytest.mark.slow

AA_EN_HUNZE, AALSMEER = "GM1680", "GM0358"  # used by no other test
# A small tenant migration that can go back and forth on an empty schema (a constraint).
TENANT_APP, TENANT_PREVIOUS = "matching_events", "0002_portal_accounts"
# Every tenant migration of the app after TENANT_PREVIOUS: what rolling back leaves pending.
TENANT_PENDING = tuple(
    f"{TENANT_APP}.{path.stem}" for path in sorted(
        (Path(__file__).resolve().parents[1] / TENANT_APP / "migrations").glob("0*.py"))
    if path.stem > TENANT_PREVIOUS)
CONSTRAINT = "survey_has_respondent"
# A shared-only app (public schema) whose only migration can be rolled back and re-applied.
SHARED_APP = "ministry"


@pytest.fixture
def schemas(django_db_setup, django_db_blocker) -> Iterator[tuple[str, str]]:
    """Two committed municipalities; afterwards every schema is brought forward again and
    the two are removed with their schemas."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for code in (AA_EN_HUNZE, AALSMEER):
            leftover = Municipality.objects.filter(cbs_code=code).first()
            if leftover is not None:  # an earlier run that was killed
                leftover.delete(force_drop=True)
        made = [provision_municipality(code) for code in (AA_EN_HUNZE, AALSMEER)]
        try:
            yield tuple(m.schema_name for m in made)
        finally:
            connection.set_schema_to_public()
            plan = migration_plan.read_plan()
            if plan.pending:
                migration_plan.run(plan, processes=1)
            for municipality in made:
                Municipality.objects.get(pk=municipality.pk).delete(force_drop=True)
            connection.set_schema_to_public()


def roll_back(schema: str, app: str = TENANT_APP, to: str = TENANT_PREVIOUS) -> None:
    if schema == "public":
        call_command("migrate_schemas", app, to, shared=True, interactive=False, verbosity=0)
    else:
        call_command("migrate_schemas", app, to, schema_name=schema, interactive=False,
                     verbosity=0)
    connection.set_schema_to_public()


def pending_by_schema() -> dict[str, tuple[str, ...]]:
    connection.set_schema_to_public()
    return {state.schema: state.pending for state in migration_plan.read_plan().pending}


def migrate_platform(*args: str) -> str:
    out = StringIO()
    call_command("migrate_platform", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def migrated_schemas(monkeypatch) -> list[str]:
    """The schemas migrate_schema was called for (in this process: use --processes 1)."""
    called: list[str] = []
    real = migration_plan.migrate_schema

    def spy(schema: str, verbosity: int = 0) -> migration_plan.SchemaResult:
        called.append(schema)
        return real(schema, verbosity)

    monkeypatch.setattr(migration_plan, "migrate_schema", spy)
    return called


def test_nothing_pending_migrates_nothing_and_reads_one_query_per_schema(
        schemas, monkeypatch):
    def no_migrate(*args, **kwargs):
        raise AssertionError("migrate_schemas must not run when nothing is pending")

    monkeypatch.setattr(migration_plan, "call_command", no_migrate)
    with CaptureQueriesContext(connection) as captured:
        output = migrate_platform()
    assert "nothing to migrate" in output
    every_schema = set(Municipality.objects.values_list("schema_name", flat=True))
    assert {"public", template_schema_name(), *schemas} <= every_schema
    reads = [q["sql"] for q in captured.captured_queries
             if q["sql"].endswith(".django_migrations")]
    read_from = sorted(sql.split(" FROM ")[1] for sql in reads)
    assert read_from == sorted(f'"{schema}".django_migrations' for schema in every_schema)
    others = [q["sql"] for q in captured.captured_queries
              if q["sql"] not in reads and not q["sql"].startswith("SET search_path")]
    assert len(others) == 2, others  # the catalog (which schemas) and the tenant list


def test_one_schema_behind_is_the_only_one_migrated(schemas, migrated_schemas):
    behind, current = schemas
    roll_back(behind)
    assert pending_by_schema() == {behind: TENANT_PENDING}

    output = migrate_platform("--processes", "1")

    assert migrated_schemas == [behind]
    assert f"{behind}: migrated" in output
    assert current not in output
    assert pending_by_schema() == {}
    assert "nothing to migrate" in migrate_platform()


def test_the_template_is_included_so_clones_start_current(schemas, migrated_schemas):
    template = template_schema_name()
    roll_back(template)
    plan = migration_plan.read_plan()
    assert plan.schemas[1].schema == template  # right after public
    assert [state.schema for state in plan.pending] == [template]

    migrate_platform("--processes", "1")

    assert migrated_schemas == [template]
    assert pending_by_schema() == {}


def test_public_goes_first_then_the_tenant_schemas_in_parallel(schemas):
    behind, other = schemas
    roll_back("public", SHARED_APP, "zero")
    roll_back(behind)
    roll_back(other)
    pending = pending_by_schema()
    assert pending["public"] == (f"{SHARED_APP}.0001_initial",)
    assert set(pending) == {"public", behind, other}

    report = migration_plan.run(migration_plan.read_plan(), processes=2)

    assert [result.schema for result in report.results][0] == "public"
    assert sorted(report.migrated) == sorted(["public", behind, other])
    assert report.ok and report.still_pending == {}
    assert pending_by_schema() == {}


def test_a_failing_schema_is_named_and_the_others_are_migrated(schemas):
    fine, broken = schemas
    roll_back(fine)
    roll_back(broken)
    # Drift in one schema: the constraint the pending migration removes is already gone.
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{broken}".matching_events_surveyresponse '
                       f"DROP CONSTRAINT {CONSTRAINT}")

    with pytest.raises(CommandError) as failure:
        migrate_platform("--processes", "2")

    message = str(failure.value)
    assert broken in message and "1 schema(s)" in message
    assert fine not in message
    assert pending_by_schema() == {broken: TENANT_PENDING}

    # Put the constraint back (what the operator fixes); a new run continues from there.
    restore_constraint(broken)
    output = migrate_platform("--processes", "2")
    assert f"{broken}: migrated" in output
    assert pending_by_schema() == {}


def test_the_failure_is_described_without_row_values(schemas):
    broken = schemas[1]
    roll_back(broken)
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{broken}".matching_events_surveyresponse '
                       f"DROP CONSTRAINT {CONSTRAINT}")
    result = migration_plan.migrate_schema(broken)
    assert not result.ok
    assert result.error.startswith("ProgrammingError, SQLSTATE 42704")
    restore_constraint(broken)
    assert migration_plan.migrate_schema(broken).ok


def test_a_database_error_is_summarised_without_the_value(db):
    with pytest.raises(Exception) as failure, connection.cursor() as cursor:
        cursor.execute("SELECT %s::integer", ["jan.jansen@example.nl"])
    summary = migration_plan.describe_failure(failure.value)
    assert summary == "DataError, SQLSTATE 22P02"
    assert "jan" not in str(migration_plan.describe_failure(failure.value))


def test_a_python_error_in_a_migration_names_the_line_not_the_value():
    source = "def forwards(candidates):\n    return candidates['jan.jansen@example.nl']\n"
    namespace: dict = {}
    exec(compile(source, "/app/relations/migrations/0099_backfill.py", "exec"), namespace)  # noqa: S102
    with pytest.raises(KeyError) as failure:
        namespace["forwards"]({})
    summary = migration_plan.describe_failure(failure.value)
    assert summary == "KeyError, at relations/migrations/0099_backfill.py:2"


def test_dry_run_and_force(schemas, migrated_schemas):
    behind = schemas[0]
    roll_back(behind)
    output = migrate_platform("--dry-run")
    assert (f"1 schema(s) with {len(TENANT_PENDING)} pending migration(s) "
            f"({', '.join(TENANT_PENDING)}): {behind}") in output
    assert migrated_schemas == []
    assert pending_by_schema() == {behind: TENANT_PENDING}

    migrate_platform("--force", "--processes", "1")
    every_schema = list(Municipality.objects.values_list("schema_name", flat=True))
    assert sorted(migrated_schemas) == sorted(every_schema)
    assert pending_by_schema() == {}


def test_one_run_at_a_time(django_db_setup, django_db_blocker):
    """A second run (a retried Job, two deploys) waits for the first one's lock."""
    waited, entered = threading.Event(), threading.Event()

    def second_run() -> None:
        with migration_plan.exclusive(on_wait=waited.set):
            entered.set()

    with django_db_blocker.unblock():
        with migration_plan.exclusive():
            other = threading.Thread(target=second_run)
            other.start()
            assert waited.wait(timeout=30)
            assert not entered.is_set()
        other.join(timeout=30)
    assert entered.is_set()


def restore_constraint(schema: str) -> None:
    """Re-create the constraint as the migration before the pending one left it."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    state = loader.project_state((TENANT_APP, TENANT_PREVIOUS))
    model = state.apps.get_model(TENANT_APP, "SurveyResponse")
    constraint = next(c for c in model._meta.constraints if c.name == CONSTRAINT)
    with schema_context(schema), connection.schema_editor() as editor:
        editor.add_constraint(model, constraint)
    connection.set_schema_to_public()
