"""The readiness probe against a real database outage: a throw-away PostgreSQL 15 cluster
(tests/faults/drill_postgres.py), gunicorn serving werktop.wsgi with persistent connections
to it, probed the way Kubernetes does (the pod's IP address as Host). Ready, then the cluster
is stopped (`pg_ctl stop -m fast`): readiness answers 503 while liveness stays 200; the
cluster starts again and readiness answers 200 again, without restarting gunicorn.

`pytest tests/infra/test_readiness.py -s` prints the seconds each change took (figures, not
assertions)."""

import http.client
import json
import os
import pwd
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.benchmarks.portal_load import start_server, stop_server
from tests.faults.drill_postgres import PG_BIN, create_cluster, remove_cluster

pytestmark = pytest.mark.faults

POD = "10.42.7.19:8000"
# Bounds for each change, far above what it takes (a refused connection fails at once; the
# database's connect_timeout is 5 s); no timing is asserted below these.
CHANGE_TIMEOUT = 60.0


def _can_run_a_cluster() -> bool:
    if not (PG_BIN / "initdb").exists() or shutil.which("runuser") is None:
        return False
    if os.geteuid() != 0:
        return True
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return True


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": POD})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def _status(port: int, path: str) -> int | None:
    try:
        return _get(port, path)[0]
    except OSError:
        return None  # not listening yet


def _until(condition: Callable[[], bool], what: str, server) -> float:
    """Seconds until `condition` holds; fails after CHANGE_TIMEOUT."""
    began = time.monotonic()
    while not condition():
        if server.process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{server.log.read_text()[-4000:]}")
        if time.monotonic() - began > CHANGE_TIMEOUT:
            raise AssertionError(f"timed out waiting for {what}\n"
                                 f"{server.log.read_text()[-4000:]}")
        time.sleep(0.2)
    return time.monotonic() - began


@pytest.mark.skipif(not _can_run_a_cluster(), reason=f"no PostgreSQL server binaries in {PG_BIN}")
def test_readiness_follows_a_real_database_outage():
    cluster = create_cluster()
    log_dir = Path(tempfile.mkdtemp(prefix="werktop-readiness-"))
    server = None
    try:
        # Readiness needs only SELECT 1: the health middleware answers before the tenant
        # lookup, so the drill's database needs no migrations.
        server = start_server("readiness", {
            "DJANGO_SETTINGS_MODULE": "werktop.settings.test",
            "DATABASE_URL": cluster.url() + "?conn_max_age=60",
            "LOG_LEVEL": "WARNING", "METRICS_TOKEN": ""}, 1, 1, log_dir)
        port = server.port
        started = _until(lambda: _status(port, "/health/ready") == 200, "ready", server)
        status, body = _get(port, "/health/ready")
        assert (status, json.loads(body)["database"]) == (200, "ok")

        cluster.pg_ctl("-m", "fast", "stop")
        to_unready = _until(lambda: _status(port, "/health/ready") == 503, "unready", server)
        status, body = _get(port, "/health/ready")
        data = json.loads(body)
        assert (status, data["status"], data["database"]) == (503, "unavailable", "unavailable")
        assert _get(port, "/health/live") == (200, "ok")  # no restart of the pod
        assert _status(port, "/health/ready") == 503  # stays unready while it is down

        cluster.start()
        to_ready = _until(lambda: _status(port, "/health/ready") == 200, "ready again",
                          server)
        status, body = _get(port, "/health/ready")
        assert (status, json.loads(body)["database"]) == (200, "ok")
        assert _get(port, "/health/live") == (200, "ok")
        assert server.process.poll() is None  # the same server recovered
    finally:
        if server is not None:
            stop_server(server)
        remove_cluster(cluster)
        shutil.rmtree(log_dir, ignore_errors=True)
    print("\n" + json.dumps({  # noqa: T201  (figures, with -s)
        "server_ready_seconds": round(started, 2),
        "unready_after_stop_seconds": round(to_unready, 2),
        "ready_after_start_seconds": round(to_ready, 2)}))
