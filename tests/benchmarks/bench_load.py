"""Mixed load on 20 municipalities for 10 minutes (locust, headless, loopback only).

    .venv/bin/python tests/benchmarks/bench_load.py [--minutes 10] [--users 40]
                      [--municipalities 20] [--workers 2] [--threads 4] [--keep]

Twenty freshly provisioned municipalities, each with the demo's employers, candidates and
meetups plus one meetup open for registration, behind gunicorn (gthread) on 127.0.0.1, with a
real Celery worker sending the e-mails the registrations queue. locust (tests/benchmarks/
locustfile_mixed.py) runs `users` simulated people for `minutes`: portal visitors (6 in 10),
candidates registering for a meetup (2 in 10) and relationship managers working in the
workspace (2 in 10), each in one municipality (the Host header).

Reported: requests/second, p50/p95/p99 per kind (portal, registration, workspace), the error
count (target 0), the memory (RSS) of every server process one minute into the load and at its
end (target: no growth beyond 10%), and a check in every municipality's schema that each
registration the server accepted is there exactly once. A problem exits 1.

Runs against its own throw-away database (werktop_bench_load) and Redis databases 3 (cache) and
4 (broker), flushed at the start and the end.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[len(sys.path):] = [str(REPO), str(REPO / "platform")]
SETTINGS = "tests.benchmarks.load_settings"
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
PG_PORT = os.environ.get("WERKTOP_PG_PORT", "54329")
REDIS_PORT = os.environ.get("WERKTOP_REDIS_PORT", "63799")
BASE_URL = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:{PG_PORT}/werktop")
BENCH_DB = "werktop_bench_load"
os.environ["DATABASE_URL"] = BASE_URL.rsplit("/", 1)[0] + "/" + BENCH_DB
os.environ.setdefault("BENCH_REDIS_URL", f"redis://127.0.0.1:{REDIS_PORT}/3")
os.environ.setdefault("BENCH_BROKER_URL", f"redis://127.0.0.1:{REDIS_PORT}/4")

from tests.benchmarks import bench_db  # noqa: E402
from tests.benchmarks.portal_load import (  # noqa: E402
    children_of,
    nearest_rank,
    start_server,
    stop_server,
    wait_ready,
    worker_pids,
)

PASSWORD = "load-password-1"  # noqa: S105 - a throw-away benchmark database
TARGET_GROWTH = 0.10
KINDS = ("portal", "registration", "workspace")


def flush_redis() -> None:
    import redis

    for url in (os.environ["BENCH_REDIS_URL"], os.environ["BENCH_BROKER_URL"]):
        client = redis.Redis.from_url(url)
        client.flushdb()
        client.close()


def municipality_codes(count: int) -> list[str]:
    """The first `count` municipalities of the CBS list (any will do)."""
    from tenants.cbs import all_municipalities

    return sorted(all_municipalities())[:count]


def prepare(count: int) -> dict:
    """Provision `count` municipalities with demo data; the plan the locust users follow."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from django_tenants.utils import tenant_context
    from wagtail.models import Page

    from accounts.roles import Role
    from accounts.services import create_user_with_role
    from cms.meetup_pages import upcoming_meetups
    from cms.models import MeetupIndexPage
    from matching_events.demo import load_demo_meetups
    from matching_events.services import meetups
    from relations.demo import load_demo_relations
    from relations.models import Candidate
    from tenants.services import (
        ensure_national_site,
        ensure_template_schema,
        provision_municipality,
    )

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_national_site()
    ensure_template_schema()
    plan = {"password": PASSWORD, "municipalities": [],
            "moment_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    for code in municipality_codes(count):
        municipality = provision_municipality(code)
        host = municipality.get_primary_domain().domain
        with tenant_context(municipality):
            manager = create_user_with_role(f"rm@{host}", PASSWORD,
                                            Role.RELATIONSHIP_MANAGER)
            coordinator = create_user_with_role(f"coordinator@{host}", PASSWORD,
                                                Role.COORDINATOR)
            load_demo_relations(manager, coordinator, municipality.slug)
            load_demo_meetups(manager, coordinator)
            open_meetup = meetups.create_meetup(
                by=manager, title="Prettig gesprek voor iedereen", address="Markt 1",
                capacity=1000, starts_at=timezone.now() + timedelta(days=21))
            meetups.publish_meetup(open_meetup.pk, by=manager)
            index = MeetupIndexPage.objects.live().first()
            index_url = index.get_url(None)
            published = upcoming_meetups()
            pages = [page.get_url(None) for page in Page.objects.live().filter(depth__gt=2)
                     .exclude(pk=index.pk)[:10]]
            plan["municipalities"].append({
                "schema": municipality.schema_name, "host": host, "manager": manager.email,
                "meetup_index": index_url,
                "meetup_paths": [f"{index_url}{pk}/" for pk in
                                 published.values_list("pk", flat=True)],
                "registration_path": f"{index_url}{open_meetup.pk}/",
                "portal_paths": pages or [index_url],
                "candidate_ids": list(Candidate.objects.filter(owner=manager)
                                      .values_list("pk", flat=True)),
            })
        print(f"  {municipality.name}: {host}", flush=True)
    return plan


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def processes(server, worker: subprocess.Popen) -> dict[str, int]:
    """Name → pid of every server process: gunicorn's master and workers, the Celery worker
    and its pool processes."""
    found = {"gunicorn master": server.process.pid}
    for number, pid in enumerate(sorted(worker_pids(server)), 1):
        found[f"gunicorn worker {number}"] = pid
    found["celery worker"] = worker.pid
    for number, pid in enumerate(sorted(children_of(worker.pid)), 1):
        found[f"celery pool {number}"] = pid
    return found


def start_worker(log_dir: Path) -> subprocess.Popen:
    log = (log_dir / "celery.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "werktop", "worker", "-Q",
         "urgent,default,background", "--concurrency", "1", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle"],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": f"{REPO}:{REPO / 'platform'}"})


def run_locust(plan_file: Path, out: Path, host: str, args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "locust", "-f", str(REPO / "tests/benchmarks/locustfile_mixed.py"),
         "--headless", "--users", str(args.users), "--spawn-rate", "2", "--run-time",
         f"{round(args.minutes * 60)}s", "--host", host, "--only-summary", "--loglevel", "WARNING",
         "--stop-timeout", "30"],
        cwd=REPO, env={**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_OUT": str(out)},
        stdout=(out / "locust.log").open("w"), stderr=subprocess.STDOUT)


def read_jsonl(out: Path, prefix: str) -> list:
    rows = []
    for path in out.glob(f"{prefix}-*.jsonl"):
        rows += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return rows


def check_registrations(accepted: list) -> tuple[int, list[str]]:
    """Each accepted registration is in its municipality's schema exactly once."""
    from django_tenants.utils import schema_context

    from matching_events.models import Registration

    by_schema: dict[str, list[str]] = defaultdict(list)
    for schema, email in accepted:
        by_schema[schema].append(email)
    problems = []
    for schema, emails in by_schema.items():
        with schema_context(schema):
            counts = Counter(Registration.objects.filter(candidate__email__in=emails)
                             .values_list("candidate__email", flat=True))
        for email in emails:
            if counts[email] != 1:
                problems.append(f"{schema}: a registration is there {counts[email]} times")
    return len(accepted), problems


def report(records: list, elapsed: float, memory: dict, args) -> list[str]:
    problems = []
    print(f"\nMixed load: {args.users} users on {args.municipalities} municipalities for "
          f"{args.minutes} min, gunicorn gthread {args.workers}×{args.threads}, one Celery "
          f"worker, this machine ({os.cpu_count()} cores)")
    print("| kind | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|")
    by_kind = defaultdict(list)
    for kind, ms, ok in records:
        by_kind[kind].append((ms, ok))
    for kind in (*KINDS, "all"):
        rows = records if kind == "all" else [(kind, ms, ok) for ms, ok in by_kind[kind]]
        latencies = [ms for _k, ms, _ok in rows]
        errors = sum(1 for *_x, ok in rows if not ok)
        if not latencies:
            continue
        print(f"| {kind} | {len(latencies)} | {len(latencies) / elapsed:.1f} | "
              f"{nearest_rank(latencies, 0.5):.0f} | {nearest_rank(latencies, 0.95):.0f} | "
              f"{nearest_rank(latencies, 0.99):.0f} | {errors} |")
        if kind == "all" and errors:
            problems.append(f"{errors} errors")
    print("\n| process | RSS after 1 min (MiB) | RSS at the end (MiB) | growth |")
    print("|---|---|---|---|")
    for name, (start, end) in memory.items():
        growth = (end - start) / start if start else 0
        print(f"| {name} | {start / 1024:.1f} | {end / 1024:.1f} | {growth:+.1%} |")
        if growth > TARGET_GROWTH:
            problems.append(f"{name} grew {growth:.1%}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--municipalities", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help=f"leave {BENCH_DB} behind")
    args = parser.parse_args()

    bench_db.recreate_database(BASE_URL, BENCH_DB)
    flush_redis()
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    print(f"Setting up {args.municipalities} municipalities with demo data...", flush=True)
    plan = prepare(args.municipalities)
    log_dir = Path(tempfile.mkdtemp(prefix="bench_load_"))
    plan_file = log_dir / "plan.json"
    plan_file.write_text(json.dumps(plan))
    from django.db import connections

    connections.close_all()
    env = {"DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": os.environ["DATABASE_URL"],
           "LOG_LEVEL": "WARNING"}
    server = start_server("load", env, args.workers, args.threads, log_dir)
    worker = start_worker(log_dir)
    problems: list[str] = []
    try:
        first = plan["municipalities"][0]
        wait_ready(server, first["host"], "/", args.workers)
        print(f"Load for {args.minutes} min (logs in {log_dir})...", flush=True)
        began = time.monotonic()
        locust = run_locust(plan_file, log_dir, f"http://127.0.0.1:{server.port}", args)
        time.sleep(min(60, args.minutes * 60 / 3))
        names = processes(server, worker)
        start_rss = {name: rss_kib(pid) for name, pid in names.items()}
        locust.wait(timeout=args.minutes * 60 + 120)
        elapsed = time.monotonic() - began
        end_rss = {name: rss_kib(pid) for name, pid in names.items()}
        if locust.returncode not in (0, 1):  # 1: some requests failed (counted below)
            problems.append(f"locust exited {locust.returncode}: {log_dir / 'locust.log'}")
        time.sleep(5)  # let the worker take the last e-mails off the queue
    finally:
        stop_server(server)
        worker.terminate()
        worker.wait(timeout=60)
    records = read_jsonl(log_dir, "requests")
    if not records:
        problems.append("no request was made")
    memory = {name: (start_rss[name], end_rss[name]) for name in names}
    problems += report(records, elapsed, memory, args)
    made, missing = check_registrations(read_jsonl(log_dir, "registrations"))
    print(f"\nRegistrations accepted: {made}; in the database exactly once: "
          f"{made - len(missing)}")
    problems += missing[:10]
    connections.close_all()
    flush_redis()
    if not args.keep:
        bench_db.drop_database(BASE_URL, BENCH_DB)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if problems:
        print(f"logs: {log_dir}")
        sys.exit(1)


if __name__ == "__main__":
    main()
