"""Drill: PostgreSQL restarts while people register on the portal (`drill_postgres.py`, with
a copy of the test database). Every person ends on the success page and is in the database
exactly once, retried submissions make no duplicates, nothing is half saved, and no answer is
a bare 500: during the outage the server answers the Dutch 503 page with Retry-After."""

import json
import os
import pwd
import shutil

import pytest
from django.db import connection

from tests.faults.drill_postgres import PG_BIN, run_drill

pytestmark = pytest.mark.faults


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


@pytest.mark.skipif(not _can_run_a_cluster(), reason=f"no PostgreSQL server binaries in {PG_BIN}")
def test_a_postgres_restart_loses_and_duplicates_no_registration(django_db_setup):
    db = connection.settings_dict
    source = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    result = run_drill(clients=6, people=15, down_seconds=3, source_url=source)
    print("\n" + json.dumps(result))  # noqa: T201  (the drill's figures, with -s)
    assert result["problems"] == []
    assert result["registrations_in_database"] == result["people"] == result["successes"]
