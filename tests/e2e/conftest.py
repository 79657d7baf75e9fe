"""End-to-end fixtures: real processes (a Celery worker, a web server, Chromium) against the
test database. They see only committed data, so users are created outside the test
transaction and removed afterwards."""

import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from tests.conftest import make_user

REPO = Path(__file__).resolve().parents[2]


def process_env() -> dict[str, str]:
    """Environment for a subprocess that must use the test database and test Redis."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    from django.conf import settings

    # The same (per-test, temporary) media folder as the test process.
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "werktop.settings.test",
            "DATABASE_URL": url, "CELERY_TASK_ALWAYS_EAGER": "false",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running(args: list[str], ready) -> Iterator[subprocess.Popen]:
    """Start a process, wait until ready() is true (30 s at most), stop it afterwards. Its
    output goes to a temporary file, never to a pipe nobody reads: a server logging a line per
    request would block once the pipe's buffer is full."""
    with tempfile.TemporaryFile(mode="w+") as output:
        proc = subprocess.Popen(args, cwd=REPO, env=process_env(), stdout=output,
                                stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 30
            while not ready():
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    proc.wait()
                    output.seek(0)
                    raise RuntimeError(f"{args[0]} did not start:\n{output.read()[-5000:]}")
                time.sleep(0.2)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def committed_user(django_db_setup, django_db_blocker):
    """make_user, committed for other processes; deleted again after the test."""
    made = []

    def make(municipality, role, email):
        with django_db_blocker.unblock():
            user = make_user(municipality, role, email)
        made.append((municipality, user))
        return user

    yield make
    with django_db_blocker.unblock():
        for municipality, user in made:
            with tenant_context(municipality):
                user.delete()
        connection.set_schema_to_public()


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Run ORM code outside the test transaction (reads see other processes' commits)."""
    @contextmanager
    def unblocked():
        with django_db_blocker.unblock():
            yield
    return unblocked
