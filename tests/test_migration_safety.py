"""Expand/contract: a migration added after the baseline must not break the code that is still
running while it is applied (infra/MIGRATIONS.md).

During a deploy the migration Job runs first and the old pods keep serving on the migrated
schema until the new ones are ready; with 342 schemas migrated in turn, old code and new schema
meet for minutes. So a new migration may only *expand*. Flagged as backward-incompatible for
the old code: RemoveField, DeleteModel, RenameField, RenameModel, AlterModelTable, AlterField
that renames the column or makes it NOT NULL without a database default, AddField NOT NULL
without a database default (`default=` is Python-only: Django drops the column's DEFAULT
again, so the old code's INSERTs would fail), RunSQL/RunPython without a reverse.

A *contract* step (the second half, taken a release later when no running code uses the old
column) says so on its Migration class, with the reason:

    class Migration(migrations.Migration):
        contract = "drops Candidate.phone_old: unused since release 2026.14 (issue 123)"

Migrations of installed packages (a Wagtail or Django upgrade) go in ALLOWED below, with a
reason and how that release is deployed. The check reads the loaded migration objects (their
operations and the project state before them), not the source text.

The baseline (`migration_baseline.json` next to this file) is every migration that existed when
this check was introduced; it never needs to move: a migration that passed stays passing.
"""

import json
from pathlib import Path

import pytest
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ModelState, ProjectState
from django.db.models.fields import NOT_PROVIDED

BASELINE = Path(__file__).with_name("migration_baseline.json")

# (app label, migration name) -> why this incompatible migration is acceptable.
ALLOWED: dict[tuple[str, str], str] = {}


def _problems_of(operation: Operation, app: str, state: ProjectState) -> list[str]:
    """What in one database operation breaks code written for `state` (the schema before)."""
    kind = type(operation).__name__
    if isinstance(operation, migrations.SeparateDatabaseAndState):
        found = []
        for inner in operation.database_operations:  # only these reach the database
            found += _problems_of(inner, app, state)
            inner.state_forwards(app, state)
        return found
    if isinstance(operation, migrations.RenameField):
        model = state.models.get((app, operation.model_name_lower))
        old = model.fields.get(operation.old_name) if model else None
        if old is not None and old.db_column:  # renamed in Python only: same column
            return []
    if isinstance(operation, migrations.RenameModel):
        model = state.models.get((app, operation.old_name_lower))
        if model is not None and model.options.get("db_table"):  # same table
            return []
    if isinstance(operation, migrations.AlterModelTable):
        model = state.models.get((app, operation.name_lower))
        if model is not None and (model.options.get("db_table") or f"{app}_{model.name_lower}"
                                  ) == (operation.table or f"{app}_{operation.name_lower}"):
            return []  # the table keeps its name (e.g. db_table set before a rename)
    if isinstance(operation, (migrations.RemoveField, migrations.DeleteModel,
                              migrations.RenameField, migrations.RenameModel,
                              migrations.AlterModelTable)):
        return [f"{kind} {operation.describe()!r}: the running code still uses it"]
    if isinstance(operation, migrations.AddField):
        field = operation.field
        if not field.many_to_many and not field.null and field.db_default is NOT_PROVIDED:
            return [f"AddField {operation.model_name}.{operation.name} NOT NULL without "
                    "db_default: the running code inserts rows without it"]
    if isinstance(operation, migrations.AlterField):
        model = state.models.get((app, operation.model_name_lower))
        old = model.fields.get(operation.name) if model else None
        new = operation.field
        if old is not None and not new.many_to_many:
            problems = []
            if _column(old, operation.name) != _column(new, operation.name):
                problems.append(f"AlterField {operation.model_name}.{operation.name} renames "
                                "the column: the running code uses the old name")
            if old.null and not new.null and new.db_default is NOT_PROVIDED:
                problems.append(f"AlterField {operation.model_name}.{operation.name} makes it "
                                "NOT NULL without db_default: the running code writes NULL")
            return problems
    if isinstance(operation, migrations.RunSQL) and operation.reverse_sql is None:
        return ["RunSQL without reverse_sql: the expand step could not be rolled back"]
    if isinstance(operation, migrations.RunPython) and operation.reverse_code is None:
        return ["RunPython without reverse_code (use migrations.RunPython.noop if nothing "
                "needs undoing): the expand step could not be rolled back"]
    return []


def _column(field: models.Field, name: str) -> str:
    """The column a field in a migration state maps to (its `name` may not be set there)."""
    if field.db_column:
        return field.db_column
    return f"{name}_id" if field.many_to_one or field.one_to_one else name


def incompatible_operations(migration: migrations.Migration,
                            state: ProjectState) -> list[str]:
    """Every backward-incompatible operation of `migration`, applied to `state` (the project
    state before it; changed in place as the operations are walked)."""
    found, created = [], set()
    for operation in migration.operations:
        if isinstance(operation, migrations.CreateModel):
            created.add(operation.name_lower)
        # A model made by this same migration is new to the running code: anything goes.
        if getattr(operation, "model_name_lower", None) not in created:
            found += _problems_of(operation, migration.app_label, state)
        operation.state_forwards(migration.app_label, state)
    return found


def contract_reason(migration: migrations.Migration) -> str | None:
    reason = getattr(migration, "contract", None)
    if reason is None:
        return ALLOWED.get((migration.app_label, migration.name))
    return reason


def migrations_after_baseline(loader: MigrationLoader) -> list[tuple[str, str]]:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    known = {(app, name) for app, names in baseline.items() for name in names}
    return sorted(key for key in loader.disk_migrations if key not in known)


@pytest.fixture(scope="module")
def loader() -> MigrationLoader:
    return MigrationLoader(None, ignore_no_migrations=True)


def test_new_migrations_only_expand_unless_they_are_contract_steps(loader):
    problems = []
    for key in migrations_after_baseline(loader):
        if key not in loader.graph.nodes:  # replaced by a squashed migration in the graph
            continue
        migration = loader.disk_migrations[key]
        if contract_reason(migration):
            continue
        state = loader.project_state(key, at_end=False)
        problems += [f"{key[0]}.{key[1]}: {found}"
                     for found in incompatible_operations(migration, state)]
    assert problems == [], (
        "Backward-incompatible migrations (old pods still run during a deploy; "
        "infra/MIGRATIONS.md). Split them into expand and contract, or mark a contract step "
        "with `contract = \"<reason>\"` on its Migration class:\n" + "\n".join(problems))


def test_contract_steps_give_a_reason(loader):
    unexplained = [key for key, migration in loader.disk_migrations.items()
                   if hasattr(migration, "contract")
                   and not (isinstance(migration.contract, str) and migration.contract.strip())]
    assert unexplained == []
    assert all(reason.strip() for reason in ALLOWED.values())


def test_the_baseline_lists_todays_migrations(loader):
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert ("relations", "0001_initial") in {
        (app, name) for app, names in baseline.items() for name in names}
    # Every migration of the baseline is still on disk (a removed one is a squash, fine,
    # but then the baseline is no longer the list it claims to be and should be looked at).
    known = {(app, name) for app, names in baseline.items() for name in names}
    assert known - set(loader.disk_migrations) == set()


# --- The check itself can fail: synthetic migrations on a small state ---------------------

def _state() -> ProjectState:
    state = ProjectState()
    state.add_model(ModelState("relations", "thing", [
        ("id", models.BigAutoField(primary_key=True)),
        ("name", models.CharField(max_length=20)),
        ("note", models.CharField(max_length=20, null=True)),
    ]))
    return state


def _problems(*operations: Operation) -> list[str]:
    migration = migrations.Migration("0999_synthetic", "relations")
    migration.operations = list(operations)
    return incompatible_operations(migration, _state())


@pytest.mark.parametrize("operation", [
    migrations.RemoveField("thing", "name"),
    migrations.DeleteModel("thing"),
    migrations.RenameField("thing", "name", "title"),
    migrations.RenameModel("thing", "item"),
    migrations.AlterModelTable("thing", "relations_item"),
    migrations.AlterField("thing", "note", models.CharField(max_length=20)),
    migrations.AlterField("thing", "note", models.CharField(max_length=20, null=True,
                                                             db_column="remark")),
    migrations.AddField("thing", "size", models.IntegerField()),
    migrations.AddField("thing", "size", models.IntegerField(default=0)),
    migrations.RunSQL("UPDATE relations_thing SET note = ''"),
    migrations.RunPython(lambda apps, schema_editor: None),
    migrations.SeparateDatabaseAndState(database_operations=[
        migrations.RemoveField("thing", "note")]),
], ids=lambda operation: type(operation).__name__)
def test_incompatible_operations_are_found(operation):
    assert len(_problems(operation)) == 1


def test_a_rename_in_python_only_keeps_the_column_and_the_table():
    state = _state()
    state.add_model(ModelState("relations", "kept", [
        ("id", models.BigAutoField(primary_key=True)),
        ("kvk", models.CharField(max_length=8, db_column="kvk_number")),
    ], options={"db_table": "relations_kept"}))
    migration = migrations.Migration("0999_rename_in_python", "relations")
    migration.operations = [migrations.RenameField("kept", "kvk", "chamber_number"),
                            migrations.RenameModel("kept", "retained")]
    assert incompatible_operations(migration, state) == []


@pytest.mark.parametrize("operation", [
    migrations.AddField("thing", "size", models.IntegerField(null=True)),
    migrations.AddField("thing", "size", models.IntegerField(default=0, db_default=0)),
    migrations.AddField("thing", "tags", models.ManyToManyField("relations.thing")),
    migrations.AlterField("thing", "note", models.CharField(max_length=40, null=True)),
    migrations.AlterField("thing", "note", models.CharField(max_length=20, db_default="")),
    migrations.AddIndex("thing", models.Index(fields=["name"], name="thing_name_idx")),
    migrations.AlterModelTable("thing", "relations_thing"),
    migrations.CreateModel("other", [("id", models.BigAutoField(primary_key=True))]),
    migrations.RunSQL("SELECT 1", reverse_sql=migrations.RunSQL.noop),
    migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    migrations.SeparateDatabaseAndState(state_operations=[
        migrations.RemoveField("thing", "note")]),
], ids=lambda operation: type(operation).__name__)
def test_expand_operations_pass(operation):
    assert _problems(operation) == []


def test_the_state_follows_the_operations_of_one_migration():
    # A column added nullable and made NOT NULL in the same migration is still flagged.
    found = _problems(migrations.AddField("thing", "size", models.IntegerField(null=True)),
                      migrations.AlterField("thing", "size", models.IntegerField()))
    assert found == ["AlterField thing.size makes it NOT NULL without db_default: the running "
                     "code writes NULL"]


def test_a_contract_step_is_recognised_by_its_reason():
    migration = migrations.Migration("0999_drop_note", "relations")
    migration.operations = [migrations.RemoveField("thing", "note")]
    assert contract_reason(migration) is None
    migration.contract = "note unused since release 2026.14"
    assert contract_reason(migration) == "note unused since release 2026.14"
