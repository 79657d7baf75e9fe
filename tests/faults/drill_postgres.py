"""Drill: PostgreSQL restarts while people register for a meetup on the portal.

    .venv/bin/python tests/faults/drill_postgres.py [--clients 6] [--people 20]
        [--down-seconds 3] [--source-url postgres://.../test_werktop]

A throw-away PostgreSQL 15 cluster (initdb as the postgres user when run as root; binaries
under /usr/lib/postgresql/15/bin) gets a copy of `--source-url` (pg_dump; the test suite
passes its test database: national site, template, Zoetermeer) or, without it, a fresh
migration and Zoetermeer. A published meetup is added; gunicorn serves the portal (sync
workers, persistent connections: `?conn_max_age=60`). `clients` threads each register
`people` distinct persons through the public form (GET for the CSRF token, POST), each
person from an address of their own (X-Real-IP: the form's rate limit stays as it is). Once
a third of them are in, PostgreSQL is stopped (`pg_ctl stop -m fast`: sessions ended,
transactions rolled back), kept down for `down-seconds` and started again (0: one
`pg_ctl restart -m fast`). A client that gets an error waits (Retry-After, at most 1 s) and
sends the same submission again, as a person would.

Checked afterwards: every person got the "check your e-mail" page (a redirect) in the end;
each of them is in the database exactly once (candidate and registration), none twice after
retrying, no candidate without its registration (no half records); no answer was a bare 500:
during the outage the server answered 503 with Retry-After and the Dutch page. Reported:
attempts, successes, 503s, retries, connection errors, the outage and the wall time.
Prints one JSON line; exits 1 when a check fails. The orchestration uses only the standard
library; the Django work (setup, verification) runs in subprocesses against the drill's
database.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[len(sys.path):] = [str(REPO), str(REPO / "platform")]

from tests.benchmarks.portal_load import free_port, start_server, stop_server  # noqa: E402

PG_BIN = Path(os.environ.get("WERKTOP_PG_BIN", "/usr/lib/postgresql/15/bin"))
SETTINGS = "tests.faults.drill_settings"
DRILL_DB = "werktop_drill"
HOST = "zoetermeer.localhost"
CBS_CODE = "GM0637"
QUEUE = "faults-drill"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")
UNAVAILABLE_PAGE = '<html lang="nl">'  # the 503 page, in Dutch (core.db_errors)
MAX_ATTEMPTS = 60


# --- the throw-away cluster ----------------------------------------------------------------

def _as_postgres(args: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class Cluster:
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = DRILL_DB) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *args: str) -> float:
        """Run pg_ctl (waiting for it); the seconds it took."""
        began = time.monotonic()
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w",
                                     "-t", "60", *args]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.monotonic() - began

    def start(self) -> float:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c max_connections=100")
        return self.pg_ctl("-l", str(self.root / "postgres.log"), "-o", options, "start")


def create_cluster() -> Cluster:
    root = Path(tempfile.mkdtemp(prefix="werktop-pg-drill-"))
    root.chmod(0o777)  # the postgres user writes the data, log and socket here
    cluster = Cluster(root, free_port())
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres")
    subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(cluster.data), "-U",
                                 "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]),
                   check=True, stdout=subprocess.DEVNULL)
    cluster.start()
    subprocess.run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port),
                    "-U", "postgres", DRILL_DB], check=True)
    return cluster


def remove_cluster(cluster: Cluster) -> None:
    try:
        cluster.pg_ctl("-m", "immediate", "stop")
    except subprocess.CalledProcessError:
        pass  # not running
    shutil.rmtree(cluster.root, ignore_errors=True)


def copy_database(source_url: str, cluster: Cluster) -> None:
    dump = subprocess.Popen([str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges",
                             source_url], stdout=subprocess.PIPE)
    subprocess.run([str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-o", os.devnull,
                    cluster.url()], stdin=dump.stdout, check=True)
    if dump.wait() != 0:
        raise RuntimeError("pg_dump failed")


# --- Django work, in a subprocess against the drill's database -------------------------------

def django_step(step: str, database_url: str, *args: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url}
    done = subprocess.run([sys.executable, __file__, step, *args], cwd=REPO, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{step} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _setup() -> dict:
    """Zoetermeer (migrated first when the database is empty) and a published meetup."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from accounts.roles import Role
    from accounts.services import create_user_with_role
    from matching_events.services import meetups
    from tenants.models import Municipality
    from tenants.services import (
        ensure_national_site,
        ensure_template_schema,
        provision_municipality,
    )

    municipality = None
    if "tenants_municipality" in _tables():
        municipality = Municipality.objects.filter(cbs_code=CBS_CODE).first()
    if municipality is None:
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        ensure_national_site()
        ensure_template_schema()
        municipality = provision_municipality(CBS_CODE)
    with tenant_context(municipality):
        organiser = create_user_with_role("organisator-drill@zoetermeer.example",
                                          "drill-password-1", Role.RELATIONSHIP_MANAGER)
        meetup = meetups.create_meetup(
            by=organiser, title="Prettig gesprek (oefening)", address="Markt 1, Zoetermeer",
            capacity=1000, starts_at=timezone.now() + timedelta(days=7))
        meetups.publish_meetup(meetup.pk, by=organiser)
    return {"meetup": meetup.pk}


def _tables() -> set[str]:
    from django.db import connection

    return set(connection.introspection.table_names())


def _verify(meetup_id: str, emails_file: str) -> dict:
    """Per drill address: how many candidates and registrations of the meetup it has."""
    from django.db.models import Count
    from django_tenants.utils import tenant_context

    from matching_events.models import Registration
    from relations.models import Candidate
    from tenants.models import Municipality

    emails = json.loads(Path(emails_file).read_text())
    with tenant_context(Municipality.objects.get(cbs_code=CBS_CODE)):
        candidates = Counter(Candidate.objects.filter(email__in=emails)
                             .values_list("email", flat=True))
        registrations = Counter(Registration.objects.filter(
            meetup_id=int(meetup_id), candidate__email__in=emails)
            .values_list("candidate__email", flat=True))
        without_registration = Candidate.objects.filter(email__in=emails).annotate(
            n=Count("registrations")).filter(n=0).count()
    return {"candidates": candidates, "registrations": registrations,
            "candidates_without_registration": without_registration}


# --- the visitors --------------------------------------------------------------------------

@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: Counter = field(default_factory=Counter)
    succeeded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_503: int = 0
    first_error: float | None = None
    last_error: float | None = None

    def add(self, what: str) -> None:
        with self.lock:
            self.counts[what] += 1
            if what.endswith((" 503", " 500")) or what.startswith("error"):
                now = time.monotonic()
                self.first_error = self.first_error or now
                self.last_error = now


def _request(port: int, method: str, path: str, headers: dict[str, str], body: str = ""
             ) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers={"Host": HOST, **headers})
        response = conn.getresponse()
        text = response.read().decode()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text
    finally:
        conn.close()


def _check_503(tally: Tally, headers: dict[str, str], text: str) -> None:
    if "retry-after" not in headers or UNAVAILABLE_PAGE not in text:
        with tally.lock:
            tally.bad_503 += 1


def register(port: int, path: str, person: dict[str, str], address: str, tally: Tally) -> None:
    """One person: open the form, send it, and send it again after an error until the
    "check your e-mail" page comes (or MAX_ATTEMPTS)."""
    own = {"X-Real-IP": address}
    csrf: tuple[str, str] | None = None
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            tally.add("retry")
            time.sleep(0.5)
        try:
            if csrf is None:
                status, headers, text = _request(port, "GET", path, own)
                tally.add(f"GET {status}")
                if status == 503:
                    _check_503(tally, headers, text)
                if status != 200:
                    continue
                cookie = CSRF_COOKIE.search(headers.get("set-cookie", ""))
                token = CSRF_INPUT.search(text)
                if not (cookie and token):
                    tally.add("no CSRF token")
                    continue
                csrf = cookie.group(1), token.group(1)
            form = {"csrfmiddlewaretoken": csrf[1], "homepage": "", **person}
            body = "&".join(f"{k}={v}" for k, v in form.items())  # plain ASCII values
            status, headers, text = _request(port, "POST", path, {
                **own, "Cookie": f"csrftoken={csrf[0]}", "Referer": f"http://{HOST}{path}",
                "Content-Type": "application/x-www-form-urlencoded"}, body)
        except (OSError, http.client.HTTPException):
            tally.add("error (connection)")
            continue
        tally.add(f"POST {status}")
        if status == 302 and headers.get("location", "").endswith("/aangemeld/"):
            with tally.lock:
                tally.succeeded.append(person["email"])
            return
        if status == 503:
            _check_503(tally, headers, text)
    with tally.lock:
        tally.failed.append(person["email"])


def client(port: int, path: str, people: list[dict[str, str]], first_address: int,
           tally: Tally) -> None:
    for offset, person in enumerate(people):
        number = first_address + offset
        register(port, path, person, f"10.77.{number // 250}.{number % 250 + 1}", tally)


# --- the drill -----------------------------------------------------------------------------

def run_drill(*, clients: int = 6, people: int = 20, down_seconds: float = 3.0,
              source_url: str | None = None, workers: int = 3) -> dict:
    began = time.monotonic()
    cluster = create_cluster()
    server = None
    log_dir = Path(tempfile.mkdtemp(prefix="werktop-pg-drill-logs-"))
    try:
        if source_url:
            copy_database(source_url, cluster)
        meetup = django_step("setup", cluster.url())["meetup"]
        path = f"/bijeenkomsten/{meetup}/"
        server = start_server("pg-drill", {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": cluster.url() + "?conn_max_age=60"}, workers, 1, log_dir)
        _wait_for(server.port, path, server)
        everyone = [[{"first_name": "Persoon", "last_name": f"{c}-{i}",
                      "email": f"drill-{c:02d}-{i:03d}@example.org"} for i in range(people)]
                    for c in range(clients)]
        tally = Tally()
        threads = [threading.Thread(target=client, args=(server.port, path, group,
                                                         c * people, tally))
                   for c, group in enumerate(everyone)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        total = clients * people
        while len(tally.succeeded) < total // 3 and any(t.is_alive() for t in threads):
            time.sleep(0.05)
        restarted_after = len(tally.succeeded)
        restart_began = time.monotonic()
        if down_seconds:
            cluster.pg_ctl("-m", "fast", "stop")
            time.sleep(down_seconds)
            cluster.start()
        else:
            cluster.pg_ctl("-m", "fast", "restart")
        database_down = time.monotonic() - restart_began
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
    finally:
        if server is not None:
            stop_server(server)
    try:
        emails_file = log_dir / "emails.json"
        emails = [p["email"] for group in everyone for p in group]
        emails_file.write_text(json.dumps(emails))
        found = django_step("verify", cluster.url(), str(meetup), str(emails_file))
        queued = _queued_and_forget()
    finally:
        remove_cluster(cluster)
    counts = tally.counts
    attempts = sum(n for what, n in counts.items() if what.startswith("POST "))
    outage = (tally.last_error - tally.first_error) if tally.first_error else 0.0
    problems = []
    if sorted(tally.succeeded) != sorted(emails):
        problems.append(f"{len(emails) - len(tally.succeeded)} people never got the success "
                        "page")
    twice = [e for e in emails if found["registrations"].get(e, 0) != 1
             or found["candidates"].get(e, 0) != 1]
    if twice:
        problems.append(f"not exactly once in the database: {len(twice)}")
    if found["candidates_without_registration"]:
        problems.append("half records: candidates without a registration")
    bare_500 = sum(n for what, n in counts.items() if what.endswith(" 500"))
    if bare_500:
        problems.append(f"{bare_500} answers were a bare 500")
    if tally.bad_503:
        problems.append(f"{tally.bad_503} 503 answers without Retry-After or the Dutch page")
    if not any(what.endswith(" 503") for what in counts):
        problems.append("the outage was not noticed (no 503): the drill proved nothing")
    if not problems:  # the logs are kept only to look into a failure
        shutil.rmtree(log_dir, ignore_errors=True)
    return {
        "people": len(emails), "clients": clients, "successes": len(tally.succeeded),
        "post_attempts": attempts, "retries": counts["retry"],
        "answers": {what: n for what, n in sorted(counts.items()) if what != "retry"},
        "restarted_after_successes": restarted_after,
        "database_down_seconds": round(database_down, 2),
        "visitors_saw_errors_for_seconds": round(outage, 2),
        "registrations_in_database": sum(found["registrations"].values()),
        "confirmation_mails_queued": queued, "wall_seconds": round(wall, 1),
        "total_seconds": round(time.monotonic() - began, 1), "problems": problems,
        "logs": str(log_dir) if problems else None}


def _wait_for(port: int, path: str, server, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.log.read_text()}")
        try:
            if _request(port, "GET", path, {})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn not ready:\n{server.log.read_text()}")


def _queued_and_forget() -> int:
    """The confirmation mails the server queued on the drill's queue, which is then removed
    (no worker runs: the drill's database is gone)."""
    import redis

    port = os.environ.get("WERKTOP_REDIS_PORT", "63799")
    url = os.environ.get("TEST_CELERY_BROKER_URL", f"redis://127.0.0.1:{port}/7")
    client_ = redis.Redis.from_url(url)
    try:
        return client_.llen(QUEUE)
    finally:
        client_.delete(QUEUE)
        client_.close()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("setup", "verify"):
        import django

        django.setup()
        result = _setup() if sys.argv[1] == "setup" else _verify(*sys.argv[2:4])
        sys.stdout.write(json.dumps(result) + "\n")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--people", type=int, default=20, help="persons per client")
    parser.add_argument("--down-seconds", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--source-url", default=None,
                        help="copy this database instead of migrating a fresh one")
    args = parser.parse_args()
    result = run_drill(clients=args.clients, people=args.people,
                       down_seconds=args.down_seconds, source_url=args.source_url,
                       workers=args.workers)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.exit(1 if result["problems"] else 0)


if __name__ == "__main__":
    main()
