"""Provisioning benchmark: `make bench`. Prints figures for this machine; asserts nothing.

1. Median time to provision one municipality by cloning the template schema, versus by
   running every migration (the same service, with cloning switched off).
2. Time of a no-op `migrate_schemas` across 50 municipalities (standard and multiprocessing
   executors).

Runs against its own throw-away database (werktop_bench) on the project-local PostgreSQL.
"""

import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[len(sys.path):] = [str(REPO), str(REPO / "platform")]
os.environ["DJANGO_SETTINGS_MODULE"] = "werktop.settings.test"
PG_PORT = os.environ.get("WERKTOP_PG_PORT", "54329")
BASE_URL = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:{PG_PORT}/werktop")
BENCH_DB = "werktop_bench"
os.environ["DATABASE_URL"] = BASE_URL.rsplit("/", 1)[0] + "/" + BENCH_DB

CLONE_RUNS = 7
MIGRATE_RUNS = 3
NOOP_TENANTS = 50


def recreate_database() -> None:
    import psycopg

    admin_url = BASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def timed(fn) -> float:
    """Wall time of fn() on a fresh database connection, as a request or a task would have it.

    (One connection that creates schema after schema gets slower each time: the PostgreSQL
    backend's catalog caches grow. Connection set-up is inside the measured time.)"""
    from django.db import connection

    connection.close()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def provision_by_migrating(code: str) -> None:
    """What provision_municipality does, but creating the schema by running every migration.
    (Outside one transaction: some Wagtail migrations cannot run inside an outer atomic.)"""
    from django.test import override_settings
    from django_tenants.utils import tenant_context

    from cms.services import create_default_portal
    from tenants.cbs import lookup
    from tenants.models import Domain, Municipality
    from tenants.services import default_period, prepare_fresh_schema

    info = lookup(code)
    start, end = default_period()
    municipality = Municipality(
        cbs_code=info.cbs_code, name=info.name, province=info.province,
        slug=info.cbs_code.lower(), schema_name=info.cbs_code.lower(),
        period_start=start, period_end=end,
    )
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
        municipality.save(verbosity=0)
    domain = f"{municipality.slug}.localhost"
    Domain.objects.create(domain=domain, tenant=municipality, is_primary=True)
    with tenant_context(municipality):
        prepare_fresh_schema()  # what the template has had done once
        create_default_portal(municipality, hostname=domain)


def main() -> None:
    recreate_database()
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.core.management import call_command

    from tenants.cbs import all_municipalities
    from tenants.services import (
        ensure_national_site,
        ensure_template_schema,
        provision_municipality,
    )

    print("Setting up: public schema and template (full migrations)...", flush=True)
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_national_site()
    template_time = timed(ensure_template_schema)
    codes = iter(sorted(all_municipalities()))

    provision_municipality(next(codes))  # warm-up: imports and caches, not counted
    clone = [timed(lambda: provision_municipality(next(codes))) for _ in range(CLONE_RUNS)]
    migrate = [timed(lambda: provision_by_migrating(next(codes))) for _ in range(MIGRATE_RUNS)]

    existing = 1 + CLONE_RUNS + MIGRATE_RUNS
    for _ in range(NOOP_TENANTS - existing):
        provision_municipality(next(codes))
    noop_standard = timed(lambda: call_command(
        "migrate_schemas", tenant=True, interactive=False, verbosity=0, executor="standard"))
    noop_multi = timed(lambda: call_command(
        "migrate_schemas", tenant=True, interactive=False, verbosity=0,
        executor="multiprocessing"))

    clone_median, migrate_median = statistics.median(clone), statistics.median(migrate)
    print()
    print(f"Machine: {os.cpu_count()} cores; PostgreSQL at {BASE_URL.rsplit('/', 1)[0]}")
    print(f"Template schema created by full migrations:        {template_time:6.2f} s")
    print(f"Provision one municipality, cloning  (median of {CLONE_RUNS}): {clone_median:6.2f} s"
          f"  [{', '.join(f'{t:.2f}' for t in clone)}]")
    print(f"Provision one municipality, migrating (median of {MIGRATE_RUNS}): "
          f"{migrate_median:6.2f} s  [{', '.join(f'{t:.2f}' for t in migrate)}]")
    print(f"Cloning is {migrate_median / clone_median:.1f}x faster than migrating")
    print(f"No-op migrate_schemas across {NOOP_TENANTS} municipalities + template: "
          f"{noop_standard:6.2f} s (standard executor), {noop_multi:6.2f} s (multiprocessing)")

    from django.db import connections

    connections.close_all()
    recreate_database()  # leave nothing large behind


if __name__ == "__main__":
    main()
