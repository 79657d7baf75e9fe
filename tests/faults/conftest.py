"""Fixtures of the fault drills: real processes against committed data in a municipality of
their own, provisioned for the drill and removed (schema and all) afterwards."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tenants.models import Municipality
from tenants.services import provision_municipality
from tests.e2e.conftest import committed, process_env  # noqa: F401  (fixture)
from tests.relations.conftest import alice, in_zoetermeer  # noqa: F401  (fixtures)

REPO = Path(__file__).resolve().parents[2]
UTRECHT = "GM0344"  # used by no other test


@pytest.fixture
def drill_municipality(committed) -> Iterator[Municipality]:  # noqa: F811
    """A municipality provisioned (committed) for one drill and removed with its schema."""
    with committed():
        with schema_context("public"):
            leftover = Municipality.objects.filter(cbs_code=UTRECHT).first()
            if leftover is not None:  # an earlier run that was killed
                leftover.delete(force_drop=True)
        municipality = provision_municipality(UTRECHT)
    try:
        yield municipality
    finally:
        with committed():
            connection.set_schema_to_public()
            Municipality.objects.get(pk=municipality.pk).delete(force_drop=True)


@contextmanager
def worker_process(name: str, log: Path, **env: str) -> Iterator[subprocess.Popen]:
    """A `celery worker` (prefork, two processes, one message each) in its own process group
    with the drills' settings; stopped gracefully at the end unless killed before."""
    args = [sys.executable, "-m", "celery", "-A", "werktop", "worker", "--pool", "prefork",
            "--concurrency", "2", "--prefetch-multiplier", "1", "-Q", "default",
            "-n", f"{name}@%h", "--without-heartbeat", "--without-mingle", "--without-gossip",
            "--loglevel", "INFO"]
    environment = {**process_env(), "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
                   **env}
    with log.open("a") as out:
        proc = subprocess.Popen(args, cwd=REPO, env=environment, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()  # warm shutdown: unfinished messages go back to the queue
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def kill_process_group(proc: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool processes at once: no warm shutdown, nothing acked or
    given back (as when a node or container is lost)."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def wait_until(condition: Callable[[], bool], timeout: float, what: str,
               log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            detail = log.read_text()[-4000:] if log and log.exists() else ""
            raise AssertionError(f"timed out waiting for {what}\n{detail}")
        time.sleep(0.1)
