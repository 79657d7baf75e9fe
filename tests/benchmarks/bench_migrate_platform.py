"""Migration benchmark across all 342 municipalities: `migrate_platform` against the classic
`migrate_schemas`. Prints a table; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/werktop \\
        .venv/bin/python tests/benchmarks/bench_migrate_platform.py [N]

N (default: all 342 of gemeenten.csv) municipalities are provisioned (template clone) in a
throw-away database (werktop_bench_migrate). Then:

a. nothing pending: the check alone (`read_plan`, in this process) and the whole command
   (`manage.py migrate_platform`, a new process: Python and Django start-up included);
b. one tenant migration pending in every schema (the last `matching_events` migration rolled
   back everywhere): `migrate_schemas` with the standard executor (one schema after the other),
   with django-tenants' multiprocessing executor, and `migrate_platform --processes 2`;
c. one shared migration pending in public only (the `ministry` app rolled back there):
   `migrate_platform` (public only) against `migrate_schemas` (every schema);
d. the classic no-op `migrate_schemas` over every schema (standard and multiprocessing).
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[len(sys.path):] = [str(REPO), str(REPO / "platform")]
os.environ["DJANGO_SETTINGS_MODULE"] = "werktop.settings.test"
PG_PORT = os.environ.get("WERKTOP_PG_PORT", "54329")
BASE_URL = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:{PG_PORT}/werktop")
BENCH_DB = "werktop_bench_migrate"
BENCH_URL = BASE_URL.rsplit("/", 1)[0] + "/" + BENCH_DB
os.environ["DATABASE_URL"] = BENCH_URL
PROCESSES = 2
TENANT_APP, TENANT_PREVIOUS = "matching_events", "0002_portal_accounts"
SHARED_APP = "ministry"

from tests.benchmarks.bench_db import drop_database, recreate_database  # noqa: E402


def timed(fn) -> float:
    from django.db import connection

    connection.close()
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def migrate_schemas(*args: str, executor: str, **options) -> None:
    from django.core.management import call_command

    call_command("migrate_schemas", *args, interactive=False, verbosity=0, executor=executor,
                 **options)


def migrate_platform(*args: str) -> None:
    from django.core.management import call_command

    call_command("migrate_platform", *args, verbosity=0)


def roll_back_tenant_migration_everywhere() -> None:
    """Untimed: the last matching_events migration rolled back in every tenant schema."""
    migrate_schemas(TENANT_APP, TENANT_PREVIOUS, tenant=True, executor="multiprocessing")
    assert pending_counts()[1] == count_tenant_schemas()


def pending_counts() -> tuple[int, int]:
    """(1 when public has pending migrations else 0, tenant schemas with pending ones)."""
    from django.db import connection

    from tenants.migration_plan import read_plan

    connection.set_schema_to_public()
    plan = read_plan()
    return int(bool(plan.public.pending)), len([s for s in plan.schemas[1:] if s.pending])


def count_tenant_schemas() -> int:
    from tenants.models import Municipality

    return Municipality.objects.exclude(schema_name="public").count()


def command_wall_time(*command: str) -> float:
    """`manage.py <command>` as the deploy runs it: a fresh process."""
    env = {**os.environ, "DATABASE_URL": BENCH_URL}
    began = time.perf_counter()
    completed = subprocess.run([sys.executable, str(REPO / "manage.py"), *command],
                               cwd=REPO, env=env, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - began
    if command == ("migrate_platform",):
        assert "nothing to migrate" in completed.stdout, completed.stdout
    return seconds


def provision(count: int) -> float:
    from django.db import connection

    from tenants.cbs import all_municipalities
    from tenants.services import provision_municipality

    began = time.perf_counter()
    for index, code in enumerate(sorted(all_municipalities())[:count], 1):
        provision_municipality(code)
        connection.close()  # a fresh connection per schema (PostgreSQL's catalog caches)
        if index % 50 == 0:
            print(f"  {index} provisioned ({time.perf_counter() - began:.0f} s)", flush=True)
    return time.perf_counter() - began


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 342
    recreate_database(BASE_URL, BENCH_DB)
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.core.management import call_command

    from tenants.migration_plan import read_plan
    from tenants.services import ensure_national_site, ensure_template_schema

    print("Setting up: public schema and template...", flush=True)
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_national_site()
    ensure_template_schema()
    print(f"Provisioning {count} municipalities...", flush=True)
    provisioned = provision(count)
    schemas = count_tenant_schemas() + 1
    rows: list[tuple[str, float]] = []

    def row(label: str, seconds: float) -> None:
        rows.append((label, seconds))
        print(f"  {label}: {seconds:.2f} s", flush=True)

    print("a. nothing pending", flush=True)
    row("check only (read_plan, in-process, median of 5)",
        statistics.median(timed(read_plan) for _ in range(5)))
    row("migrate_platform, in-process (median of 3)",
        statistics.median(timed(migrate_platform) for _ in range(3)))
    row("manage.py migrate_platform, new process (median of 3)",
        statistics.median(command_wall_time("migrate_platform") for _ in range(3)))
    row("of which Python and Django start-up (manage.py help migrate_platform)",
        statistics.median(command_wall_time("help", "migrate_platform") for _ in range(3)))

    print("b. one tenant migration pending in every schema", flush=True)
    roll_back_tenant_migration_everywhere()
    row("migrate_schemas --tenant, standard executor",
        timed(lambda: migrate_schemas(tenant=True, executor="standard")))
    roll_back_tenant_migration_everywhere()
    row(f"migrate_schemas --tenant, multiprocessing executor ({PROCESSES} processes)",
        timed(lambda: migrate_schemas(tenant=True, executor="multiprocessing")))
    roll_back_tenant_migration_everywhere()
    row(f"migrate_platform --processes {PROCESSES}",
        timed(lambda: migrate_platform("--processes", str(PROCESSES))))
    assert pending_counts() == (0, 0)

    print("c. one shared migration pending in public only", flush=True)
    migrate_schemas(SHARED_APP, "zero", shared=True, executor="standard")
    row("migrate_platform (public only)",
        timed(lambda: migrate_platform("--processes", str(PROCESSES))))
    migrate_schemas(SHARED_APP, "zero", shared=True, executor="standard")
    row("migrate_schemas, standard executor (public and every schema)",
        timed(lambda: migrate_schemas(executor="standard")))

    print("d. classic no-op migrate_schemas", flush=True)
    row("migrate_schemas, standard executor",
        timed(lambda: migrate_schemas(executor="standard")))
    row(f"migrate_schemas, multiprocessing executor ({PROCESSES} processes)",
        timed(lambda: migrate_schemas(executor="multiprocessing")))

    print()
    print(f"Machine: {os.cpu_count()} cores; PostgreSQL at {BASE_URL.rsplit('/', 1)[0]}")
    print(f"{count} municipalities provisioned in {provisioned:.0f} s; {schemas} schemas in "
          "all (public, template, municipalities)")
    print()
    width = max(len(label) for label, _ in rows)
    print(f"| {'what':<{width}} | seconds |")
    print(f"|{'-' * (width + 2)}|--------:|")
    for label, seconds in rows:
        print(f"| {label:<{width}} | {seconds:7.2f} |")

    from django.db import connections

    connections.close_all()
    drop_database(BASE_URL, BENCH_DB)  # leave nothing large behind


if __name__ == "__main__":
    main()
