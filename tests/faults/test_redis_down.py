"""The Redis drill: stop Redis, and the site still serves pages and accepts registrations.

A redis-server of its own (a free port) carries the cache and the broker, as the one Redis
does in production. It is stopped (and, once, frozen with SIGSTOP: a hung Redis that accepts
connections and never answers); pages, logins and a meetup registration keep working, the
confirmation mail's task waits in the outbox, and once Redis is back the relay hands it to the
broker exactly once. Unit tests below: the cache's fallbacks and circuit breaker, the outbox
helper and two relays at the same moment.
"""

import base64
import io
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import redis
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from accounts.roles import Role
from core import cache as fault_tolerant_cache
from core import outbox
from core.models import OutboxTask
from matching_events.models import Registration
from matching_events.services import meetups
from tests.conftest import client_for, make_user
from tests.relations.conftest import logged_in
from werktop.celery import app

REDIS_SERVER = shutil.which("redis-server") or "/work/main/.venv/bin/redis-server"
PERSON = {"first_name": "Samira", "last_name": "Bouzid", "email": "samira@example.org",
          "phone": "", "interests": "", "needs_note": ""}
CONFIRM_TASK = "matching_events.send_notification"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throw-away redis-server that can be stopped, frozen and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int) -> redis.Redis:
        return redis.Redis(port=self.port, db=db, socket_timeout=2)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client(0).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None:
            os.kill(self.proc.pid, signal.SIGCONT)  # in case it was frozen
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """SIGSTOP: connections are accepted (by the kernel) but never answered."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(self.proc.pid, signal.SIGCONT)


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _reset_celery_connections() -> None:
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def on_redis(redis_server, settings) -> Iterator[RedisServer]:
    """Cache (db 0) and broker (db 1) on the drill's own Redis; tasks really sent."""
    location = redis_server.url(0)
    settings.CACHES = {name: {**config, "LOCATION": location}
                       for name, config in settings.CACHES.items()}
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.FaultTolerantRedisCache"
    before = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = redis_server.url(1), False
    _reset_celery_connections()
    fault_tolerant_cache.reset_circuits()
    outbox.reset_circuit()
    try:
        yield redis_server
    finally:
        app.conf.broker_url, app.conf.task_always_eager = before
        _reset_celery_connections()
        fault_tolerant_cache.reset_circuits()
        outbox.reset_circuit()


def queued(server: RedisServer, queue: str = "default") -> list[dict]:
    """The task messages waiting in a queue of the drill's broker: name and schema."""
    messages = [json.loads(raw) for raw in server.client(1).lrange(queue, 0, -1)]
    return [{"task": m["headers"]["task"], "schema": m["headers"].get("_schema_name"),
             "args": json.loads(base64.b64decode(m["body"]))[0]} for m in messages]


def report(figures: str) -> None:
    """The drill's timings, shown with `pytest -s` (and with a failure)."""
    print(f"\nRedis drill: {figures}")  # noqa: T201


def timed(request) -> tuple[object, float]:
    began = time.perf_counter()
    response = request()
    return response, (time.perf_counter() - began) * 1000


# --- the drill ---------------------------------------------------------------------------

def test_with_redis_down_the_site_serves_pages_and_keeps_registrations(
        zoetermeer, on_redis, django_capture_on_commit_callbacks):
    server = on_redis
    alice = make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    with tenant_context(zoetermeer):
        meetup = meetups.create_meetup(
            by=alice, title="Prettig gesprek in de zorg", address="Markt 1, Zoetermeer",
            capacity=12, starts_at=timezone.now() + timedelta(days=7))
        meetups.publish_meetup(meetup.pk, by=alice)
    before_outage = logged_in(zoetermeer, alice)  # a session from before the outage
    visitor = client_for(zoetermeer)
    _, up_ms = timed(lambda: visitor.get("/"))  # Redis up, first view: rendered, then cached

    server.stop()

    home, first_down_ms = timed(lambda: visitor.get("/"))
    assert home.status_code == 200  # rendered (the page cache answers a miss)
    down_ms = [timed(lambda: visitor.get("/"))[1] for _ in range(5)]
    assert visitor.get(f"/bijeenkomsten/{meetup.pk}/").status_code == 200
    assert before_outage.get("/werkplek/").status_code == 200  # session read from the database
    during_outage = logged_in(zoetermeer, alice)  # a login works (no lock-out counting)
    assert during_outage.get("/werkplek/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(f"/bijeenkomsten/{meetup.pk}/", PERSON)
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        registration = Registration.objects.get()  # saved exactly once
        assert registration.meetup_id == meetup.pk
    assert mail.outbox == []  # not sent: the task waits
    waiting = OutboxTask.objects.get(task=CONFIRM_TASK)
    assert waiting.schema_name == zoetermeer.schema_name
    assert waiting.args[:2] == ["registration_confirm_request", registration.pk]

    server.start()  # the same port, empty (nothing was queued while it was down)
    stored = OutboxTask.objects.count()
    assert outbox.relay() == stored
    assert not OutboxTask.objects.exists()
    sent = [m for m in queued(server) if m["task"] == CONFIRM_TASK]
    assert sent == [{"task": CONFIRM_TASK, "schema": zoetermeer.schema_name,
                     "args": waiting.args}]
    assert outbox.relay() == 0  # a second relay sends nothing
    assert len([m for m in queued(server) if m["task"] == CONFIRM_TASK]) == 1

    report(f"portal home page: Redis up (render + store) {up_ms:.0f} ms; Redis down: first "
           f"{first_down_ms:.0f} ms, then median {statistics.median(down_ms):.0f} ms "
           f"(max {max(down_ms):.0f})")
    assert statistics.median(down_ms) < 1000  # milliseconds, no waiting on time-outs


def test_a_hung_redis_costs_one_short_time_out_then_nothing(zoetermeer, on_redis):
    """SIGSTOP: every connection hangs. Without socket time-outs a page would hang for ever;
    with them the first cache call gives up after 0.5 s and the circuit stays open."""
    visitor = client_for(zoetermeer)
    assert visitor.get("/").status_code == 200
    with on_redis.frozen():
        first, first_ms = timed(lambda: visitor.get("/"))
        later = [timed(lambda: visitor.get("/"))[1] for _ in range(5)]
    assert first.status_code == 200
    assert first_ms < 3000
    assert statistics.median(later) < first_ms
    report(f"Redis hung (SIGSTOP), portal home page: first {first_ms:.0f} ms (one socket "
           f"time-out), then median {statistics.median(later):.0f} ms")


# --- the cache: an empty cache while Redis is unreachable ---------------------------------

@pytest.fixture
def dead_cache(settings) -> Iterator[object]:
    """The default cache pointed at a port where nothing listens."""
    settings.CACHES = {name: {**config, "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
                       for name, config in settings.CACHES.items()}
    fault_tolerant_cache.reset_circuits()
    yield caches["default"]
    fault_tolerant_cache.reset_circuits()


def test_an_unreachable_cache_answers_misses_and_drops_writes(dead_cache, caplog):
    cache = dead_cache
    assert cache.get("k") is None and cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {} and cache.has_key("k") is False
    assert cache.set("k", 1) is None and cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete("k") is False and cache.delete_many(["a"]) is None
    assert cache.touch("k") is False and cache.clear() is False
    assert cache.add("k", 1) is True  # fail open: every caller "goes first"
    assert cache.get_or_set("k", "computed") == "computed"
    with pytest.raises(ValueError):
        cache.incr("counter")  # Django's "no such key"
    with pytest.raises(ValueError):
        cache.decr("counter")
    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1 and warnings[0].levelname == "WARNING"  # once, not per call


def test_after_a_failure_the_circuit_leaves_redis_alone_for_a_while(dead_cache, monkeypatch):
    cache = dead_cache
    calls = []
    real_get_client = cache._cache.get_client

    def counting_get_client(*args, **kwargs):
        calls.append(1)
        return real_get_client(*args, **kwargs)

    monkeypatch.setattr(cache._cache, "get_client", counting_get_client)
    cache.get("k")
    assert len(calls) == 1 and not cache.available
    for _ in range(20):
        cache.get("k")
        cache.set("k", 1)
    assert len(calls) == 1  # the circuit is open: Redis is not tried
    now = time.monotonic()
    monkeypatch.setattr(fault_tolerant_cache.time, "monotonic",
                        lambda: now + fault_tolerant_cache.BREAK_SECONDS + 1)
    assert cache.available
    cache.get("k")
    assert len(calls) == 2  # tried again after the window


def test_a_reachable_cache_works_as_before(settings):
    cache = caches["default"]  # the test Redis
    cache.set("werktop-cache-test", {"a": 1})
    assert cache.get("werktop-cache-test") == {"a": 1}
    assert cache.add("werktop-cache-test", 2) is False
    cache.set("werktop-counter", 1)
    assert cache.incr("werktop-counter") == 2


# --- the outbox ----------------------------------------------------------------------------

@pytest.fixture
def broker_down() -> Iterator[None]:
    """Tasks really sent (not eager), to a port where nothing listens."""
    with _broker_down():
        yield


@contextmanager
def _broker_down() -> Iterator[None]:
    before = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    app.conf.task_always_eager = False
    _reset_celery_connections()
    outbox.reset_circuit()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = before
        _reset_celery_connections()
        outbox.reset_circuit()


def test_a_task_the_broker_cannot_take_waits_in_the_outbox_after_the_commit(
        zoetermeer, broker_down, django_capture_on_commit_callbacks):
    from matching_events.tasks import send_notification

    with tenant_context(zoetermeer):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            outbox.send_after_commit(send_notification, "kind", 7, "kind:7", queue="urgent")
        assert not OutboxTask.objects.exists()  # nothing before the commit
        began = time.perf_counter()
        for callback in callbacks:
            callback()
        first_ms = (time.perf_counter() - began) * 1000
        began = time.perf_counter()
        assert outbox.send(send_notification, "kind", 8, "kind:8") is False  # not sent
        second_ms = (time.perf_counter() - began) * 1000
    rows = list(OutboxTask.objects.values_list("task", "args", "schema_name", "options"))
    assert rows == [(CONFIRM_TASK, ["kind", 7, "kind:7"], "gm0637", {"queue": "urgent"}),
                    (CONFIRM_TASK, ["kind", 8, "kind:8"], "gm0637", {})]
    assert first_ms < 1500 and second_ms < 50  # the second skips the broker (circuit open)


def test_a_debounced_task_waits_in_the_outbox_once(zoetermeer, broker_down):
    from ministry.tasks import publish_rollup

    with tenant_context(zoetermeer):
        for _ in range(3):
            assert outbox.send(publish_rollup, countdown=30, dedupe=True) is False
    assert OutboxTask.objects.filter(task="ministry.publish_rollup").count() == 1


def test_only_primary_keys_and_codes_go_into_the_outbox(db):
    from core.tasks import describe_worker

    with pytest.raises(TypeError):
        outbox.send_after_commit(describe_worker, {"email": "samira@example.org"})
    with pytest.raises(TypeError):
        outbox.send_after_commit(describe_worker, 1, eta=timezone.now())  # not JSON


def test_a_relay_that_finds_the_broker_still_down_keeps_the_row(zoetermeer, broker_down):
    OutboxTask.objects.create(task="werktop.describe_worker", schema_name="gm0637")
    assert outbox.relay() == 0
    row = OutboxTask.objects.get()
    assert row.attempts == 1


def test_the_relay_sends_in_the_stored_schema_and_drops_removed_schemas(zoetermeer, hilversum):
    """Eager here: the task runs in the schema it was sent from."""
    from targets.models import TargetProgress

    OutboxTask.objects.create(task="targets.recount_target_progress", schema_name="gm0402")
    OutboxTask.objects.create(task="targets.recount_target_progress", schema_name="gm9999")
    assert outbox.relay() == 1
    assert not OutboxTask.objects.exists()
    with tenant_context(hilversum):
        assert TargetProgress.objects.get().counted_in_schema == "gm0402"
    with tenant_context(zoetermeer):
        assert not TargetProgress.objects.exists()


def test_an_import_started_while_the_broker_is_down_runs_once_it_is_back(zoetermeer, alice):
    """The import wizard's "import" button: the job waits (busy) with its task in the
    outbox, instead of "try again later"; the relay starts it."""
    from relations.imports.models import ImportJob
    from relations.models import Employer
    from tests.relations.test_import import BOB, check, csv_bytes, employer_rows

    make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, BOB)  # owner of rows in the file
    browser = logged_in(zoetermeer, alice)
    job = check(browser, zoetermeer, "employers", "w.csv", csv_bytes(employer_rows()))
    assert job.status == ImportJob.Status.READY
    with _broker_down():
        response = browser.post(f"/werkplek/importeren/{job.pk}/importeren/", follow=True)
    assert response.status_code == 200
    with tenant_context(zoetermeer):
        assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.IMPORTING
    assert list(OutboxTask.objects.values_list("task", "args", "schema_name")) == [
        ("relations.run_import", [job.pk], "gm0637")]
    assert outbox.relay() == 1  # eager again: the import runs
    with tenant_context(zoetermeer):
        assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE
        assert Employer.objects.count() == 2


def test_the_relay_runs_every_minute_when_a_worker_starts_and_by_command(db, monkeypatch):
    from celery.signals import worker_ready
    from django.core.management import call_command

    entry = app.conf.beat_schedule["relay-outbox"]
    assert entry["task"] == "werktop.relay_outbox" and entry["schedule"].minute == set(range(60))
    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, **options: sent.append(name))
    worker_ready.send(sender=None)
    assert sent == ["werktop.relay_outbox"]

    OutboxTask.objects.create(task="werktop.describe_worker", schema_name="public")
    out = io.StringIO()
    call_command("relay_outbox", stdout=out)
    assert out.getvalue().strip() == "Sent 1 tasks; 0 still waiting."


# --- two relays at the same moment ----------------------------------------------------------

ROWS = 40


@pytest.fixture
def stored_rows(django_db_setup, django_db_blocker) -> Iterator[list[int]]:
    """ROWS committed outbox rows (every thread has its own connection); removed afterwards."""
    with django_db_blocker.unblock(), schema_context("public"):
        OutboxTask.objects.all().delete()
        rows = OutboxTask.objects.bulk_create(
            OutboxTask(task="werktop.describe_worker", args=[i], schema_name="public")
            for i in range(ROWS))
        yield [row.pk for row in rows]
        OutboxTask.objects.all().delete()
    connection.set_schema_to_public()


def test_two_relays_at_once_never_send_one_row_twice(stored_rows, django_db_blocker,
                                                     monkeypatch):
    sent: list[int] = []
    lock = threading.Lock()

    def slow_publish(name, args, kwargs, schema_name, options) -> None:
        time.sleep(0.005)  # a broker round trip: the relays overlap
        with lock:
            sent.append(args[0])

    monkeypatch.setattr(outbox, "_publish", slow_publish)
    start = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def relay() -> None:
        try:
            start.wait(timeout=10)
            counts.append(outbox.relay(batch_size=5))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=relay) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
        assert sorted(sent) == list(range(ROWS))  # every row once: none twice, none lost
        assert sum(counts) == ROWS and all(counts), counts  # both relays did part of it
        with schema_context("public"):
            assert not OutboxTask.objects.exists()
