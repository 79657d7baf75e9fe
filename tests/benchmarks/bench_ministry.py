"""Ministry benchmark: the dashboard at 10 and at all municipalities, and the nightly
reconcile. Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/werktop \\
        .venv/bin/python tests/benchmarks/bench_ministry.py [N]

N (default: all 342 of gemeenten.csv) municipalities are provisioned (template clone) in a
throw-away database (werktop_bench_ministry), each with generated activity (employers with a
first contact, candidates, placements; bulk_create). Then: the ministry dashboard on the
national host (django.test.Client, logged in as an analyst) — median, p95 and query count — at
10 municipalities and at N, cold (a new cache generation before every request, as after every
publish: the rollups are read and every municipality rendered) and warm (the figures section
comes from the cache, see ministry.overview_cache), and one full reconcile (publish in every
schema, in this process, as the worker would run the tasks one after another).
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[len(sys.path):] = [str(REPO), str(REPO / "platform")]
os.environ["DJANGO_SETTINGS_MODULE"] = "werktop.settings.test"
PG_PORT = os.environ.get("WERKTOP_PG_PORT", "54329")
BASE_URL = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:{PG_PORT}/werktop")
BENCH_DB = "werktop_bench_ministry"
os.environ["DATABASE_URL"] = BASE_URL.rsplit("/", 1)[0] + "/" + BENCH_DB
REQUESTS = 60
PASSWORD = "bench-password-123"  # noqa: S105


def recreate_database() -> None:
    import psycopg

    admin_url = BASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def generate_activity(municipality, seed: int) -> None:
    """A few employers, candidates and placements inside the municipality's schema."""
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from accounts.roles import Role
    from accounts.services import create_user_with_role
    from matching_events.models import Placement
    from relations.models import Candidate, Employer

    rng = random.Random(seed)
    today = timezone.localdate()
    start = municipality.period_start - timedelta(days=200)  # a period under way
    municipality.period_start, municipality.period_end = start, start + timedelta(days=365)
    municipality.save(update_fields=["period_start", "period_end"])
    with tenant_context(municipality):
        owner = create_user_with_role(f"rm@{municipality.slug}.example", PASSWORD,
                                      Role.RELATIONSHIP_MANAGER)
        employers = Employer.objects.bulk_create([Employer(
            name=f"Werkgever {i}", kvk_number=f"{seed % 1000:03d}{i:05d}", owner=owner,
            status="in_contact", first_contact_date=start + timedelta(days=rng.randint(0, 200)))
            for i in range(rng.randint(10, 60))])
        candidates = Candidate.objects.bulk_create([Candidate(
            first_name="Kandidaat", last_name=str(i), owner=owner, status="active")
            for i in range(40)])
        kinds = ["job", "job", "work_experience", "trial"]
        Placement.objects.bulk_create([Placement(
            candidate=candidates[i], employer=rng.choice(employers), kind=rng.choice(kinds),
            start_date=min(today, start + timedelta(days=rng.randint(0, 200))))
            for i in range(rng.randint(0, 40))])


def reconcile() -> float:
    from django.db import connection
    from django_tenants.utils import schema_context

    from ministry.rollups import publish_rollup
    from tenants.models import Municipality

    connection.close()
    began = time.perf_counter()
    for schema in Municipality.objects.participating().values_list("schema_name", flat=True):
        with schema_context(schema):
            publish_rollup()
    return time.perf_counter() - began


def measure_dashboard(client, *, cold: bool) -> tuple[float, float, int, int]:
    """Median and p95 (ms) of REQUESTS dashboard requests, and the queries of one more.
    cold: a new cache generation before every request (as after every publish), so each one
    reads the rollups and renders all municipalities; warm: the figures section is cached."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ministry import overview_cache

    for _ in range(5):
        client.get("/ministerie/")  # warm-up
    times = []
    for _ in range(REQUESTS):
        if cold:
            overview_cache.bump()
        began = time.perf_counter()
        response = client.get("/ministerie/")
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    if cold:
        overview_cache.bump()
    with CaptureQueriesContext(connection) as captured:
        client.get("/ministerie/")
    queries = [q for q in captured.captured_queries
               if not q["sql"].startswith("SET search_path")]
    own = [q for q in queries if "ministry_periodrollup" in q["sql"]
           or "ministry_weekrollup" in q["sql"]]
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(queries), len(own)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 342
    recreate_database()
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.core.management import call_command
    from django.test import Client

    from accounts.roles import Role
    from accounts.services import create_user_with_role
    from tenants.cbs import all_municipalities
    from tenants.models import Municipality
    from tenants.services import (
        ensure_national_site,
        ensure_template_schema,
        provision_municipality,
    )

    print("Setting up: public schema and template...", flush=True)
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_national_site()
    ensure_template_schema()
    create_user_with_role("analist@ministerie.example", PASSWORD, Role.MINISTRY_ANALYST)
    codes = sorted(all_municipalities())[:count]
    client = Client(HTTP_HOST="localhost")
    assert client.login(email="analist@ministerie.example", password=PASSWORD)

    results = {}
    began = time.perf_counter()
    from django.db import connection

    for index, code in enumerate(codes, 1):
        generate_activity(provision_municipality(code), index)
        # A connection that creates schema after schema gets slower each time (PostgreSQL's
        # catalog caches grow, see docs/benchmarks.md): start each one on a fresh connection.
        connection.close()
        if index % 25 == 0:
            print(f"  {index} provisioned ({time.perf_counter() - began:.0f} s)", flush=True)
        if index in (10, count):
            provisioned = time.perf_counter() - began
            print(f"{index} municipalities provisioned with activity in {provisioned:.0f} s; "
                  "reconciling...", flush=True)
            seconds = reconcile()
            results[index] = {"reconcile": seconds,
                              "cold": measure_dashboard(client, cold=True),
                              "warm": measure_dashboard(client, cold=False)}
            print(f"  reconcile {seconds:.1f} s; dashboard median/p95 cold "
                  f"{results[index]['cold'][0]:.1f}/{results[index]['cold'][1]:.1f} ms, warm "
                  f"{results[index]['warm'][0]:.1f}/{results[index]['warm'][1]:.1f} ms",
                  flush=True)
    assert Municipality.objects.participating().count() == count

    print()
    print(f"Machine: {os.cpu_count()} cores; PostgreSQL at {BASE_URL.rsplit('/', 1)[0]}")
    print(f"Command: DATABASE_URL={BASE_URL} .venv/bin/python tests/benchmarks/"
          f"bench_ministry.py {count}")
    for n, result in sorted(results.items()):
        for mode in ("cold", "warm"):
            median, p95, queries, own = result[mode]
            print(f"Dashboard at {n:3d} municipalities, {mode}: median {median:6.1f} ms, "
                  f"p95 {p95:6.1f} ms, {queries} queries per request ({own} on the rollup "
                  "tables)")
        seconds = result["reconcile"]
        print(f"Full reconcile across {n:3d} municipalities: {seconds:6.1f} s "
              f"({seconds / n * 1000:.0f} ms each)")
    if 10 in results and count in results and count != 10:
        for mode in ("cold", "warm"):
            ratio = results[count][mode][1] / results[10][mode][1]
            print(f"p95 at {count} / p95 at 10, {mode}: {ratio:.2f} (target <= 1.5)")

if __name__ == "__main__":
    main()
