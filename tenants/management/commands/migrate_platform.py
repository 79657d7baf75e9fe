"""Migrate public, the template and every municipality: only the schemas with pending
migrations, in parallel; at once "nothing to migrate" when no migration changed.

The deploy's migration step (`infra/docker/entrypoint.sh migrate`, the Helm migration Job).
Rules for writing migrations that old and new code both survive: infra/MIGRATIONS.md.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants import migration_plan
from tenants.migration_plan import PlatformPlan, SchemaResult

SHOWN_NAMES = 8  # schema names listed per group of pending schemas


class Command(BaseCommand):
    help = ("Migrate the public schema, the template and every municipality that has pending "
            "migrations (in parallel processes); does nothing when none is pending.")
    requires_system_checks: list[str] = []  # like `migrate`: a deploy step, not a dev tool

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true",
                            help="migrate every schema, pending or not (migrate_schemas on "
                                 "everything)")
        parser.add_argument("--processes", type=int, default=None,
                            help="parallel processes for the tenant schemas (default: "
                                 "TENANT_MULTIPROCESSING_MAX_PROCESSES, else the CPU count)")
        parser.add_argument("--dry-run", action="store_true",
                            help="only show which schemas have which pending migrations")

    verbosity = 1

    def handle(self, *args: Any, force: bool, processes: int | None, dry_run: bool,
               **options: Any) -> None:
        verbosity = self.verbosity = options["verbosity"]
        if processes is not None and processes < 1:
            raise CommandError("--processes must be at least 1.")
        if dry_run:
            plan = migration_plan.read_plan()
            self.describe(plan, force=force)
            return
        with migration_plan.exclusive(on_wait=lambda: self.info(
                "another migrate_platform is running; waiting for it to finish")):
            plan = migration_plan.read_plan()  # read under the lock: the other may be done
            if not self.describe(plan, force=force):
                return
            processes = processes or migration_plan.default_processes()
            todo = (len(plan.schemas) if force
                    else len(plan.pending))
            progress = {"done": 0}

            def on_result(result: SchemaResult) -> None:
                progress["done"] += 1
                line = self.result_line(result, progress["done"], todo)
                if not result.ok:
                    self.stderr.write(line)
                else:
                    self.info(line)

            report = migration_plan.run(plan, processes=processes, force=force,
                                        verbosity=max(0, verbosity - 1), on_result=on_result)
        if report.ok:
            self.info(self.style.SUCCESS(
                f"migrated {len(report.migrated)} schema(s) in {report.seconds:.1f} s "
                f"({processes} process(es)); nothing is pending any more"))
            return
        for schema in report.failed + report.skipped:
            pending = report.still_pending.get(schema, ())
            where = f"stopped before {pending[0]}" if pending else "no migration pending now"
            self.stderr.write(f"{schema}: {where} ({len(pending)} pending)")
        if report.skipped:
            self.stderr.write(
                f"{len(report.skipped)} tenant schema(s) not tried because the public schema "
                "failed first")
        raise CommandError(
            f"migrating failed in {len(report.failed)} schema(s): "
            f"{', '.join(report.failed)}; {len(report.migrated)} other(s) migrated. Fix the "
            "cause and run migrate_platform again: it continues where it stopped "
            "(infra/MIGRATIONS.md, section 6).")

    def describe(self, plan: PlatformPlan, *, force: bool) -> bool:
        """Print what is pending; False when there is nothing to do."""
        count = len(plan.schemas)
        if not plan.pending and not force:
            self.info(self.style.SUCCESS(
                f"nothing to migrate: {count} schema(s) up to date "
                f"(checked in {plan.seconds:.2f} s)"))
            return False
        if force:
            self.info(f"--force: migrating all {count} schema(s)")
        for pending, schemas in plan.groups():
            names = ", ".join(schemas[:SHOWN_NAMES])
            if len(schemas) > SHOWN_NAMES:
                names += f" and {len(schemas) - SHOWN_NAMES} more"
            self.info(f"{len(schemas)} schema(s) with {len(pending)} pending "
                              f"migration(s) ({self.summarise(pending)}): {names}")
        missing = [state.schema for state in plan.schemas[1:] if not state.exists]
        if missing:
            self.stderr.write(f"without a migrated schema: {', '.join(missing)}")
        return True

    def info(self, message: str) -> None:
        """Operator output; `-v 0` leaves only errors."""
        if self.verbosity >= 1:
            self.stdout.write(message)

    @staticmethod
    def summarise(pending: tuple[str, ...]) -> str:
        if len(pending) <= 3:
            return ", ".join(pending)
        return f"{pending[0]} … {pending[-1]}"

    def result_line(self, result: SchemaResult, done: int, todo: int) -> str:
        prefix = f"[{done}/{todo}] {result.schema}:"
        if result.ok:
            return f"{prefix} migrated ({result.seconds:.1f} s)"
        return self.style.ERROR(f"{prefix} FAILED ({result.seconds:.1f} s): {result.error}")
