"""The image's entrypoint (infra/docker/entrypoint.sh) started locally, without Docker, the way
the container starts it: `migrate` on a fresh database of this module's own, then `web`,
`worker` and `beat` on it with the production settings; each is stopped with SIGTERM and must
exit cleanly, leaving no process behind.

Uses the project's PostgreSQL and Redis (WERKTOP_PG_PORT, WERKTOP_REDIS_PORT), its own database
(dropped at the end) and its own Redis databases (emptied at the end)."""

import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
import redis

# A real migrate of an empty database and real processes: left out by make test-fast.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "infra" / "docker" / "entrypoint.sh"
GUNICORN_CONF = ROOT / "infra" / "docker" / "gunicorn.conf.py"
PG_PORT = int(os.environ.get("WERKTOP_PG_PORT", "54329"))
REDIS_PORT = int(os.environ.get("WERKTOP_REDIS_PORT", "63799"))
DATABASE = "werktop_infra_entrypoints"
BROKER_DB, CACHE_DB = 12, 13
START_TIMEOUT, STOP_TIMEOUT, MIGRATE_TIMEOUT = 90, 60, 600


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_connection() -> psycopg.Connection:
    return psycopg.connect(host="127.0.0.1", port=PG_PORT, user="postgres", dbname="postgres",
                           autocommit=True)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("entrypoints")


@pytest.fixture(scope="module")
def environment(workdir) -> Iterator[dict[str, str]]:
    """Production settings on a database and Redis databases of this module's own."""
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    base = {key: value for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "CELERY_", "TEST_", "PYTEST_"))}
    env = {
        **base,
        # `python` from PATH: the project's virtual environment, as in the image.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DJANGO_SETTINGS_MODULE": "",  # unset below: the entrypoint's default must apply
        "SECRET_KEY": "entrypoint-test-" + "k" * 48,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "PLATFORM_DOMAIN": "localhost",
        "ALLOWED_HOSTS": "localhost,.localhost,127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}",
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/{CACHE_DB}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/{BROKER_DB}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": "consolemail://",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus"),
        "CELERY_BEAT_PIDFILE": str(workdir / "celerybeat.pid"),
        "CELERY_BEAT_SCHEDULE_FILE": str(workdir / "celerybeat-schedule"),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "SENTRY_DSN": "",
        "METRICS_TOKEN": "",
        "STRIPE_SECRET_KEY": "sk_test_" + "e" * 24,
        "STRIPE_WEBHOOK_SECRET": "whsec_" + "f" * 32,
        "STRIPE_PRICE_SMALL": "price_1Small", "STRIPE_PRICE_MEDIUM": "price_1Medium",
        "STRIPE_PRICE_LARGE": "price_1Large",
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "CELERY_CONCURRENCY": "1",
        "MIGRATE_PROCESSES": "2",
    }
    del env["DJANGO_SETTINGS_MODULE"]
    try:
        yield env
    finally:
        for db in (BROKER_DB, CACHE_DB):
            redis.Redis(port=REDIS_PORT, db=db, socket_timeout=5).flushdb()
        with admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def started(arguments: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """The entrypoint in a process group of its own; whatever is left is killed at the end."""
    with log.open("wb") as output:
        process = subprocess.Popen([str(ENTRYPOINT), *arguments], env=env, stdout=output,
                                   stderr=subprocess.STDOUT, cwd=log.parent,
                                   start_new_session=True)
        try:
            yield process
        finally:
            if group_alive(process.pid):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT)


def wait_for(condition: Callable[[], bool], process: subprocess.Popen, log: Path,
             what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode} before {what}:\n{log.read_text()}")
        time.sleep(0.3)
    pytest.fail(f"no {what} within {START_TIMEOUT} s:\n{log.read_text()[-5000:]}")


def assert_exec(process: subprocess.Popen, program: str) -> None:
    """exec: the process that was started IS the server, so signals reach it directly."""
    cmdline = Path(f"/proc/{process.pid}/cmdline")
    if cmdline.exists():
        arguments = cmdline.read_bytes().split(b"\0")
        assert any(program.encode() in argument for argument in arguments), arguments
        assert not any(argument.endswith(b"entrypoint.sh") for argument in arguments)


def stop_cleanly(process: subprocess.Popen, log: Path) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running {STOP_TIMEOUT} s after SIGTERM:\n{log.read_text()[-5000:]}")
    assert code == 0, log.read_text()[-5000:]
    deadline = time.monotonic() + STOP_TIMEOUT
    while group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not group_alive(process.pid), "child processes outlived their parent"


def get(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": "localhost"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


@pytest.fixture(scope="module")
def migrated(environment, workdir) -> dict[str, str]:
    """`entrypoint.sh migrate` on the empty database: the release job."""
    log = workdir / "migrate.log"
    with started(["migrate"], environment, log) as process:
        try:
            code = process.wait(timeout=MIGRATE_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"migrate still running after {MIGRATE_TIMEOUT} s:\n{log.read_text()}")
    assert code == 0, log.read_text()[-5000:]
    return environment


@pytest.fixture(scope="module")
def running(migrated, workdir) -> Iterator[dict[str, tuple[subprocess.Popen, Path]]]:
    """web, worker and beat started together on the migrated database (as the containers of a
    release start), and the next release's migrate job beside them. Each has its own metrics
    folder, as each container has its own /tmp."""
    commands = {"web": ["web"], "worker": ["worker"], "beat": ["beat"],
                "migrate-again": ["migrate"]}
    stale = workdir / "web-metrics" / "counter_999999.db"  # left by an earlier run
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    with ExitStack() as stack:
        processes = {}
        for name, arguments in commands.items():
            env = {**migrated, "PROMETHEUS_MULTIPROC_DIR": str(workdir / f"{name}-metrics")}
            if name == "worker":
                env["CELERY_QUEUES"] = "urgent,default"
            log = workdir / f"{name}.log"
            processes[name] = (stack.enter_context(started(arguments, env, log)), log)
        yield processes


def test_migrate_builds_the_platform_on_an_empty_database(running):
    with psycopg.connect(host="127.0.0.1", port=PG_PORT, user="postgres",
                         dbname=DATABASE) as connection:
        schemas = {row[0] for row in connection.execute(
            "SELECT schema_name FROM information_schema.schemata")}
        national = connection.execute(
            "SELECT count(*) FROM tenants_municipality WHERE schema_name = 'public'").fetchone()
        periodic = connection.execute(
            "SELECT count(*) FROM django_celery_beat_periodictask").fetchone()
        template_tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = 'werktop_template'").fetchone()
    assert "werktop_template" in schemas
    assert national == (1,)
    assert periodic[0] >= 1  # setup_platform stored the beat schedule
    assert template_tables[0] > 20
    # The next release runs it again, while the servers run: nothing to do, still exit 0.
    process, log = running["migrate-again"]
    try:
        code = process.wait(timeout=MIGRATE_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the second migrate still runs:\n{log.read_text()[-5000:]}")
    assert code == 0, log.read_text()[-5000:]
    assert "migrate_platform" in log.read_text() and "setup_platform" in log.read_text()


def test_web_serves_the_health_endpoints_and_stops_on_sigterm(running, migrated, workdir):
    process, log = running["web"]
    base = f"http://127.0.0.1:{migrated['PORT']}"
    wait_for(lambda: get(f"{base}/health/live")[0] == 200, process, log, "/health/live")
    assert_exec(process, "gunicorn")
    assert get(f"{base}/health/live") == (200, b"ok")
    status, body = get(f"{base}/health/ready")
    assert status == 200, body
    assert json.loads(body)["database"] == "ok"
    status, _ = get(f"{base}/")  # the national site, through the whole middleware chain
    assert status == 200
    assert not (workdir / "web-metrics" / "counter_999999.db").exists(), (
        "the web start empties its metrics folder")
    stop_cleanly(process, log)
    output = log.read_text()
    assert "Booting worker" in output
    assert "Using worker: gthread" in output
    # No control socket under $HOME (read-only in the image).
    assert "Control socket" not in output


def test_worker_consumes_its_queues_and_stops_on_sigterm(running):
    process, log = running["worker"]
    wait_for(lambda: " ready." in log.read_text(), process, log, "the worker's ready line")
    assert_exec(process, "celery")
    banner = log.read_text()
    assert ".> urgent" in banner and ".> default" in banner
    assert ".> background" not in banner
    stop_cleanly(process, log)


def test_beat_starts_with_the_database_scheduler_and_stops_on_sigterm(running, migrated):
    process, log = running["beat"]
    pidfile = Path(migrated["CELERY_BEAT_PIDFILE"])
    wait_for(lambda: "beat: Starting" in log.read_text() and pidfile.exists(),
             process, log, "beat's start line")
    assert_exec(process, "celery")
    assert "DatabaseScheduler" in log.read_text()
    assert int(pidfile.read_text()) == process.pid
    stop_cleanly(process, log)
    assert not pidfile.exists(), "beat removes its pid file on a clean stop"


def test_manage_and_other_commands(environment, workdir):
    shown = subprocess.run([str(ENTRYPOINT), "printenv", "DJANGO_SETTINGS_MODULE"], env=environment,
                           capture_output=True, text=True, timeout=30, cwd=workdir)
    assert shown.returncode == 0
    assert shown.stdout.strip() == "werktop.settings.production"
    # Any other command runs as it is, and its exit status is the container's.
    assert subprocess.run([str(ENTRYPOINT), "false"], env=environment, timeout=30).returncode == 1
    check = subprocess.run(
        [str(ENTRYPOINT), "manage", "check", "--deploy", "--fail-level", "ERROR"],
        env=environment, capture_output=True, text=True, timeout=120, cwd=workdir)
    assert check.returncode == 0, check.stdout + check.stderr


def test_gunicorn_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    monkeypatch.delenv("GUNICORN_ACCESS_LOG", raising=False)
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["bind"] == "0.0.0.0:9123"
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (3, 8, "gthread")
    assert (conf["timeout"], conf["graceful_timeout"], conf["keepalive"]) == (60, 30, 10)
    assert conf["max_requests"] == 2000 and conf["max_requests_jitter"] > 0
    assert conf["forwarded_allow_ips"] == "*"
    assert conf["accesslog"] is None and conf["errorlog"] == "-"
    assert conf["control_socket_disable"] is True
    # A dead worker's live gauges leave the multiprocess metrics; other processes' stay.
    (tmp_path / "gauge_livesum_4242.db").write_bytes(b"")
    (tmp_path / "gauge_livesum_4243.db").write_bytes(b"")
    conf["child_exit"](None, SimpleNamespace(pid=4242))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gauge_livesum_4243.db"]
