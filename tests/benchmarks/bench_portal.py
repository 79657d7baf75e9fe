"""Public portal benchmark (anonymous visitors). Prints figures for this machine; asserts only
that the pages answer 200 and that the cache header says what the scenario expects.

    .venv/bin/python tests/benchmarks/bench_portal.py [--keep] [--workers N] [--threads T]
                      [--concurrency C] [--seconds S] [--rounds R] [--conn-max-age SECONDS]

One freshly provisioned municipality (Zoetermeer, the default page tree, 8 published
meetups) behind gunicorn on 127.0.0.1, requests with `Host: zoetermeer.localhost`. Two
identical servers (settings tests/benchmarks/portal_settings.py, URLconf portal_urls.py) that
differ only in
PORTAL_PAGE_CACHE_SECONDS: 600 (page cache on) and 0 (off: every page rendered, header
`X-Werktop-Cache: bypass`). Side by side in each round, one scenario at a time:

    hello (floor)           /__hello__/ on the cached server: a view that returns "hello",
                            through the same middleware, tenant lookup and database connect
    home / meetup index     /  and  /bijeenkomsten/, cached (every answer must be a `hit`)
                            and uncached
    hello on the cache-off server (a check that both servers are alike)

Each scenario: `concurrency` http.client clients (a closed loop, see portal_load.py; gunicorn's
sync worker closes the connection after each answer) for a warm-up, then a fixed time; the
rounds interleave the scenarios so that other work on the machine hits all of them alike.
Reported: requests/second (median of the rounds), p50/p95 latency under that load and one
request at a time (pooled, nearest rank), CPU per request (gunicorn workers, the load
generator, the whole machine: the rest is mostly PostgreSQL starting a backend for each
connection, and other work), and the ratio cached/floor per round (median). Separately, in this
process (django.test.Client), the queries of each page (not counting `SET search_path`),
each on a fresh database connection as production has it.

Targets: cached pages at least 70% of the floor's throughput; uncached pages p95 under 80 ms
(under load) with at most 10 queries.

Runs against its own throw-away database (werktop_bench_portal) and Redis database 13 (both
emptied at the start, dropped/flushed at the end; --keep leaves the database behind).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[len(sys.path):] = [str(REPO), str(REPO / "platform")]
SETTINGS = "tests.benchmarks.portal_settings"
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
PG_PORT = os.environ.get("WERKTOP_PG_PORT", "54329")
REDIS_PORT = os.environ.get("WERKTOP_REDIS_PORT", "63799")
BASE_URL = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:{PG_PORT}/werktop")
BENCH_DB = "werktop_bench_portal"
os.environ["DATABASE_URL"] = BASE_URL.rsplit("/", 1)[0] + "/" + BENCH_DB
os.environ.setdefault("BENCH_REDIS_URL", f"redis://127.0.0.1:{REDIS_PORT}/13")
os.environ["PORTAL_PAGE_CACHE_SECONDS"] = "600"  # this process: as the cached server

from tests.benchmarks import bench_db  # noqa: E402
from tests.benchmarks.portal_load import (  # noqa: E402
    CACHE_HEADER,
    load,
    nearest_rank,
    start_server,
    stop_server,
    wait_ready,
)

CBS_CODE = "GM0637"  # Zoetermeer
HELLO_PATH = "/__hello__/"  # as in portal_urls.py (which needs Django set up to import)
HOST = "zoetermeer.localhost"
CACHE_SECONDS = {"cached": "600", "cache off": "0"}
# (label, server, path, expected X-Werktop-Cache ("-": none))
SCENARIOS = [
    ("hello (floor)", "cached", HELLO_PATH, "-"),
    ("home, cached", "cached", "/", "hit"),
    ("home, uncached", "cache off", "/", "bypass"),
    ("meetup index, cached", "cached", "/bijeenkomsten/", "hit"),
    ("meetup index, uncached", "cache off", "/bijeenkomsten/", "bypass"),
    ("hello, cache-off server", "cache off", HELLO_PATH, "-"),
]
PAGES = [("home", "/"), ("meetup index", "/bijeenkomsten/")]
TARGET_RATIO = 0.70
TARGET_P95_MS = 80
TARGET_QUERIES = 10
WARM_UP_S = 1.5
ALONE_S = 3.0  # one request at a time, per scenario


# --- database, cache, municipality ---------------------------------------------------------

def recreate_database() -> None:
    bench_db.recreate_database(BASE_URL, BENCH_DB)


def drop_database() -> None:
    bench_db.drop_database(BASE_URL, BENCH_DB)


def flush_bench_cache() -> None:
    """Only the benchmark's own Redis database (never the shared development/test ones)."""
    import redis

    client = redis.Redis.from_url(os.environ["BENCH_REDIS_URL"])
    client.flushdb()
    client.close()


def provision():
    from django.core.management import call_command

    from tenants.services import (
        ensure_national_site,
        ensure_template_schema,
        provision_municipality,
    )

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_national_site()
    ensure_template_schema()
    municipality = provision_municipality(CBS_CODE)
    assert municipality.get_primary_domain().domain == HOST, municipality.get_primary_domain()
    add_meetups(municipality)
    return municipality


def add_meetups(municipality, count: int = 8) -> None:
    """Published meetups with employers, so the meetup index lists real rows."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from accounts.roles import Role
    from accounts.services import create_user_with_role
    from matching_events.services import meetups
    from relations.services import create_employer

    with tenant_context(municipality):
        organiser = create_user_with_role("rm@bench.example", None, Role.RELATIONSHIP_MANAGER)
        employers = [create_employer(by=organiser, name=f"Werkgever {i}",
                                     kvk_number=f"{10000000 + i}") for i in range(4)]
        for i in range(count):
            meetup = meetups.create_meetup(
                by=organiser, title=f"Prettig gesprek {i + 1}", theme="Zorg en horeca",
                address="Markt 1, Zoetermeer", capacity=12,
                starts_at=timezone.now() + timedelta(days=3 + i))
            meetups.invite_employers(meetup.pk, [e.pk for e in employers], by=organiser)
            meetups.publish_meetup(meetup.pk, by=organiser)


# --- queries, in this process --------------------------------------------------------------

def page_queries(path: str, cache_seconds: int) -> tuple[list[str], str]:
    """The queries of the second request (the first warms up; with the cache on, it stores
    the page, so the second is a hit), on a fresh database connection."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST=HOST)
    with override_settings(PORTAL_PAGE_CACHE_SECONDS=cache_seconds):
        assert client.get(path).status_code == 200, path
        connection.close()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    sql = [q["sql"] for q in captured.captured_queries
           if not q["sql"].startswith("SET search_path")]
    return sql, response.get(CACHE_HEADER, "-")


def measure_queries() -> dict:
    counts = {"hello (floor)": page_queries(HELLO_PATH, 600)}
    for name, path in PAGES:
        counts[f"{name}, uncached"] = page_queries(path, 0)
        counts[f"{name}, cached"] = page_queries(path, 600)
    for label, (sql, header) in counts.items():
        print(f"  {label:24} {len(sql):2} queries  ({CACHE_HEADER}: {header})", flush=True)
    return counts


# --- load ----------------------------------------------------------------------------------

def measure_load(servers: dict, args) -> dict:
    rounds: dict[str, list[dict]] = {label: [] for label, *_ in SCENARIOS}
    for number in range(1, args.rounds + 1):
        for label, server, path, _expected in SCENARIOS:
            result = load(servers[server], HOST, path, concurrency=args.concurrency,
                          seconds=args.seconds, warm_up=WARM_UP_S)
            rounds[label].append(result)
            print(f"  round {number}  {label:24} {result['rps']:7.1f} req/s  "
                  f"p95 {nearest_rank(result['latencies'], 0.95):6.1f} ms  "
                  f"CPU busy {result['busy']:4.0%}  {dict(result['headers'])}"
                  f"{'  errors ' + str(dict(result['errors'])) if result['errors'] else ''}",
                  flush=True)
    alone = {}
    for label, server, path, _expected in SCENARIOS:
        alone[label] = load(servers[server], HOST, path, concurrency=1, seconds=ALONE_S,
                            warm_up=0.5)
    return {"rounds": rounds, "alone": alone}


def summarise(measured: dict) -> dict:
    rounds, alone = measured["rounds"], measured["alone"]
    floor = rounds["hello (floor)"]
    rows = {}
    for label, server, path, expected in SCENARIOS:
        results = rounds[label]
        latencies = [ms for r in results for ms in r["latencies"]]
        headers = sum((r["headers"] for r in results), Counter())
        errors = sum((r["errors"] for r in results), Counter())
        rows[label] = {
            "server": server, "path": path, "expected": expected,
            "rps": statistics.median(r["rps"] for r in results),
            "p50": nearest_rank(latencies, 0.50), "p95": nearest_rank(latencies, 0.95),
            "alone_p50": nearest_rank(alone[label]["latencies"], 0.50),
            "alone_p95": nearest_rank(alone[label]["latencies"], 0.95),
            "cpu": statistics.median(r["worker_cpu_ms"] for r in results),
            "client_cpu": statistics.median(r["client_cpu_ms"] for r in results),
            "machine_cpu": statistics.median(r["machine_cpu_ms"] for r in results),
            "busy": statistics.median(r["busy"] for r in results),
            "ratios": [r["rps"] / f["rps"] for r, f in zip(results, floor, strict=True)],
            "headers": headers + alone[label]["headers"],
            "errors": errors + alone[label]["errors"],
            "size": results[0]["size"], "count": sum(r["count"] for r in results),
        }
        rows[label]["ratio"] = statistics.median(rows[label]["ratios"])
    return rows


# --- report --------------------------------------------------------------------------------

def report(rows: dict, queries: dict, args, setup_s: float, total_s: float) -> list[str]:
    problems = []
    print()
    server_kind = (f"gthread, {args.workers} workers × {args.threads} threads" if args.threads > 1
                   else f"sync, {args.workers} workers")
    print(f"Machine: {os.cpu_count()} cores, load average {args.load_start:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end (other work shows in the figures). "
          f"gunicorn {server_kind} per server, 127.0.0.1; settings {SETTINGS} (DEBUG off, "
          f"CONN_MAX_AGE {args.conn_max_age}); {args.concurrency} clients, {args.rounds} rounds × "
          f"{args.seconds:g} s after {WARM_UP_S:g} s warm-up; 'alone': one client, "
          f"{ALONE_S:g} s.")
    print()
    print("| scenario | req/s (median of rounds) | vs floor | p50 ms | p95 ms | alone p50 ms "
          "| alone p95 ms | CPU ms/req: workers / client / whole machine | machine busy "
          "| bytes | X-Werktop-Cache |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, r in rows.items():
        headers = ", ".join(f"{k} {v}" for k, v in r["headers"].most_common())
        print(f"| {label} | {r['rps']:.0f} | {r['ratio']:.0%} | {r['p50']:.1f} | {r['p95']:.1f} "
              f"| {r['alone_p50']:.1f} | {r['alone_p95']:.1f} | {r['cpu']:.1f} / "
              f"{r['client_cpu']:.1f} / {r['machine_cpu']:.1f} | {r['busy']:.0%} "
              f"| {r['size']:,} | {headers} |")
        unexpected = sum(v for k, v in r["headers"].items() if k != r["expected"])
        if unexpected:
            problems.append(f"{label}: {unexpected} answers without `{CACHE_HEADER}: "
                            f"{r['expected']}` ({dict(r['headers'])})")
        if r["errors"]:
            problems.append(f"{label}: errors {dict(r['errors'])}")
    print()
    print("| page (in-process, fresh connection) | queries | X-Werktop-Cache |")
    print("|---|---:|---|")
    for label, (sql, header) in queries.items():
        print(f"| {label} | {len(sql)} | {header} |")
    print()
    print("Targets:")
    for name, _path in PAGES:
        cached, uncached = rows[f"{name}, cached"], rows[f"{name}, uncached"]
        n_queries = len(queries[f"{name}, uncached"][0])
        ok = cached["ratio"] >= TARGET_RATIO
        print(f"- {name}, cached: {cached['ratio']:.0%} of the floor's throughput "
              f"(rounds: {', '.join(f'{ratio:.0%}' for ratio in cached['ratios'])}) "
              f"— target ≥ {TARGET_RATIO:.0%}: {'met' if ok else '**missed**'}")
        verdicts = ["met" if p95 < TARGET_P95_MS and n_queries <= TARGET_QUERIES
                    else "**missed**" for p95 in (uncached["p95"], uncached["alone_p95"])]
        print(f"- {name}, uncached: p95 {uncached['p95']:.1f} ms under load, "
              f"{uncached['alone_p95']:.1f} ms alone; {n_queries} queries — target p95 < "
              f"{TARGET_P95_MS} ms, ≤ {TARGET_QUERIES} queries: {verdicts[0]} under load, "
              f"{verdicts[1]} alone")
        if n_queries > TARGET_QUERIES:
            print("\n".join(f"    {sql[:200]}" for sql in queries[f"{name}, uncached"][0]))
    print()
    print(f"Setup (database, template, municipality, servers): {setup_s:.0f} s; "
          f"whole run: {total_s:.0f} s")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help=f"leave {BENCH_DB} behind")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1),
                        help="gunicorn workers per server (default: 2 × cores)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker; more than 1 uses the gthread worker")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="clients at a time (default: workers × threads)")
    parser.add_argument("--seconds", type=float, default=4.0, help="measured time per scenario")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--conn-max-age", type=int, default=0,
                        help="CONN_MAX_AGE of the servers (default 0, as production has it)")
    args = parser.parse_args()
    args.concurrency = args.concurrency or args.workers * args.threads
    args.load_start = os.getloadavg()[0]
    started = time.perf_counter()

    recreate_database()
    flush_bench_cache()
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    print("Setting up: public schema, template, municipality...", flush=True)
    provision()

    servers = {}
    log_dir = Path(tempfile.mkdtemp(prefix="bench_portal_"))
    try:
        for label, seconds in CACHE_SECONDS.items():
            servers[label] = start_server(
                label.replace(" ", "-"), {"DJANGO_SETTINGS_MODULE": SETTINGS,
                                          "DATABASE_URL": os.environ["DATABASE_URL"]
                                          + f"?conn_max_age={args.conn_max_age}",
                                          "PORTAL_PAGE_CACHE_SECONDS": seconds},
                args.workers, args.threads, log_dir)
        for server in servers.values():
            wait_ready(server, HOST, HELLO_PATH, args.workers)
        setup_s = time.perf_counter() - started

        print("Queries, in this process:", flush=True)
        queries = measure_queries()
        print("Load, through gunicorn:", flush=True)
        measured = measure_load(servers, args)
    finally:
        for server in servers.values():
            stop_server(server)
    total_s = time.perf_counter() - started
    problems = report(summarise(measured), queries, args, setup_s, total_s)
    if problems:
        print(f"gunicorn logs: {log_dir}")

    from django.db import connections

    connections.close_all()
    flush_bench_cache()
    if not args.keep:
        drop_database()
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
