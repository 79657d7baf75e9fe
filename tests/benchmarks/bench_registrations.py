"""Registration benchmark: many people confirm their place at the same moment.

    .venv/bin/python tests/benchmarks/bench_registrations.py [--people 300] [--capacity 20]
                      [--concurrency 300] [--workers N] [--keep]

A freshly provisioned municipality (Zoetermeer) behind gunicorn on 127.0.0.1 (settings
tests/benchmarks/registration_settings.py: Celery queues the e-mails on Redis, as production
does). A published meetup with `capacity` places and `people` registrations waiting for their
e-mail confirmation (double opt-in: the confirmation is the step that takes a place). Each
client opens its confirmation link (GET: the page with the button and the CSRF token), then all
clients press the button at the same moment (a barrier), `concurrency` at a time. Reported:
confirmed, waiting and errors (any answer other than 200, or a connection error), p50 / p95 /
max latency of the POSTs; and a check in the database that the places match.

Target: exactly `capacity` confirmed, the rest waiting, 0 errors (a failure exits 1), p95 under
300 ms (reported). `make bench` runs it twice: all 300 at once (a burst: the last request
waits for the 299 before it, so on 2 cores p95 is bound to be seconds) and 20 in flight.

Runs against its own throw-away database (werktop_bench_registrations) and Redis databases 11
and 12 (flushed at the end).
"""

import argparse
import http.client
import os
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[len(sys.path):] = [str(REPO), str(REPO / "platform")]
SETTINGS = "tests.benchmarks.registration_settings"
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
PG_PORT = os.environ.get("WERKTOP_PG_PORT", "54329")
REDIS_PORT = os.environ.get("WERKTOP_REDIS_PORT", "63799")
BASE_URL = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:{PG_PORT}/werktop")
BENCH_DB = "werktop_bench_registrations"
os.environ["DATABASE_URL"] = BASE_URL.rsplit("/", 1)[0] + "/" + BENCH_DB
os.environ.setdefault("BENCH_REDIS_URL", f"redis://127.0.0.1:{REDIS_PORT}/12")
os.environ.setdefault("BENCH_BROKER_URL", f"redis://127.0.0.1:{REDIS_PORT}/11")

from tests.benchmarks import bench_db  # noqa: E402
from tests.benchmarks.portal_load import (  # noqa: E402
    nearest_rank,
    start_server,
    stop_server,
    wait_ready,
)

CBS_CODE = "GM0637"
HOST = "zoetermeer.localhost"
TARGET_P95_MS = 300
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def flush_redis() -> None:
    import redis

    for url in (os.environ["BENCH_REDIS_URL"], os.environ["BENCH_BROKER_URL"]):
        client = redis.Redis.from_url(url)
        client.flushdb()
        client.close()


def prepare(people: int, capacity: int) -> tuple[list[str], int]:
    """Provision, make the meetup and the pending registrations; return the confirmation
    paths and the meetup id."""
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from accounts.roles import Role
    from accounts.services import create_user_with_role
    from matching_events import tokens
    from matching_events.services import meetups, registrations
    from tenants.services import (
        ensure_national_site,
        ensure_template_schema,
        provision_municipality,
    )

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_national_site()
    ensure_template_schema()
    municipality = provision_municipality(CBS_CODE)
    with tenant_context(municipality):
        organiser = create_user_with_role(
            email="organiser@example.org", password="bench-password-1",  # noqa: S106
            role=Role.RELATIONSHIP_MANAGER)
        meetup = meetups.create_meetup(
            by=organiser, title="Prettig gesprek", address="Markt 1, Zoetermeer",
            capacity=capacity, starts_at=timezone.now() + timedelta(days=7))
        meetups.publish_meetup(meetup.pk, by=organiser)
        paths = []
        for i in range(people):
            registration = registrations.register_for_meetup(
                meetup.pk, first_name="Persoon", last_name=f"{i:03d}",
                email=f"persoon{i:03d}@example.org")
            token = tokens.make_token(tokens.CONFIRM, registration.pk, registration.link_key)
            paths.append(reverse("meetups_public:confirm", kwargs={"token": token}))
    return paths, meetup.pk


def open_link(port: int, path: str) -> tuple[str, str]:
    """GET the confirmation page: the CSRF cookie and the form's token."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Host": HOST})
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", ""))
    form = CSRF_INPUT.search(body)
    if not (cookie and form):
        raise RuntimeError("no CSRF token on the confirmation page")
    return cookie.group(1), form.group(1)


def press(port: int, path: str, csrf: tuple[str, str], start: threading.Barrier,
          gate: threading.Semaphore, out: list) -> None:
    cookie, token = csrf
    body = f"csrfmiddlewaretoken={token}"
    try:
        start.wait(timeout=60)
    except threading.BrokenBarrierError:
        pass
    with gate:
        began = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("POST", path, body=body, headers={
                "Host": HOST, "Cookie": f"csrftoken={cookie}", "Referer": f"http://{HOST}{path}",
                "Content-Type": "application/x-www-form-urlencoded"})
            response = conn.getresponse()
            text = response.read().decode()
            conn.close()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            out.append(((time.perf_counter() - began) * 1000, type(error).__name__, ""))
            return
    out.append(((time.perf_counter() - began) * 1000, status, text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--capacity", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=None,
                        help="requests in flight at a time (default: all people)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--conn-max-age", type=int, default=0,
                        help="CONN_MAX_AGE of the server (default 0, as production has it)")
    parser.add_argument("--keep", action="store_true", help=f"leave {BENCH_DB} behind")
    args = parser.parse_args()
    concurrency = args.concurrency or args.people

    bench_db.recreate_database(BASE_URL, BENCH_DB)
    flush_redis()
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    print("Setting up: municipality, meetup, pending registrations...", flush=True)
    paths, meetup_id = prepare(args.people, args.capacity)

    log_dir = Path(tempfile.mkdtemp(prefix="bench_registrations_"))
    server = start_server("registrations", {"DJANGO_SETTINGS_MODULE": SETTINGS,
                                            "DATABASE_URL": os.environ["DATABASE_URL"]
                                            + f"?conn_max_age={args.conn_max_age}"},
                          args.workers, 1, log_dir)
    try:
        wait_ready(server, HOST, paths[0], args.workers)
        csrf = [open_link(server.port, path) for path in paths]
        out: list = []
        start = threading.Barrier(len(paths))
        gate = threading.Semaphore(concurrency)
        threads = [threading.Thread(target=press, args=(server.port, p, c, start, gate, out))
                   for p, c in zip(paths, csrf, strict=True)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        stop_server(server)

    latencies = [ms for ms, _status, _text in out]
    errors = Counter(str(status) for _ms, status, _text in out if status != 200)
    from django.db import connections
    from django_tenants.utils import tenant_context

    from matching_events.models import Registration
    from tenants.models import Municipality

    with tenant_context(Municipality.objects.get(cbs_code=CBS_CODE)):
        counts = Counter(Registration.objects.filter(meetup_id=meetup_id)
                         .values_list("status", flat=True))
    p50, p95 = nearest_rank(latencies, 0.5), nearest_rank(latencies, 0.95)
    print(f"\n{args.people} confirmations for {args.capacity} places, {concurrency} at a time, "
          f"gunicorn sync × {args.workers} workers on 127.0.0.1, CONN_MAX_AGE "
          f"{args.conn_max_age}, this machine "
          f"({os.cpu_count()} cores):")
    print("| confirmed | waiting | still pending | errors | p50 ms | p95 ms | max ms | "
          "wall s |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {counts['confirmed']} | {counts['waiting']} | {counts['pending']} | "
          f"{sum(errors.values())} | {p50:.0f} | {p95:.0f} | {max(latencies):.0f} | "
          f"{elapsed:.1f} |")
    problems = []
    if counts["confirmed"] != args.capacity:
        problems.append(f"{counts['confirmed']} confirmed, expected {args.capacity}")
    if counts["waiting"] != args.people - args.capacity:
        problems.append(f"{counts['waiting']} waiting")
    if errors:
        problems.append(f"errors: {dict(errors)}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if p95 > TARGET_P95_MS:  # reported, not a failure: it depends on the machine and load
        print(f"MISSED TARGET: p95 {p95:.0f} ms, target {TARGET_P95_MS} ms "
              f"({concurrency} requests in flight on {os.cpu_count()} cores)")
    connections.close_all()
    flush_redis()
    if not args.keep:
        bench_db.drop_database(BASE_URL, BENCH_DB)
    if problems:
        print(f"gunicorn log: {log_dir}")
        sys.exit(1)


if __name__ == "__main__":
    main()
