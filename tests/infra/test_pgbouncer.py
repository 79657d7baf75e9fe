"""PgBouncer in transaction mode never shows one municipality another one's rows.

A real PgBouncer (Debian's package; infra/dev/system-deps.sh installs it for `make test`) runs in
front of the test database with pool_mode=transaction and ONE server connection, so every
client takes turns on the same server session. First the race: django-tenants' session-level
`SET search_path` (pool mode "session", the default) stays behind on the shared server
connection, and a client reads the other client's municipality. Then the platform's way
(POOL_MODE "transaction", core/db/pooling.py: `SET LOCAL search_path` in the same message
as every statement) under the same interleaving, with another client spoiling the session's
search_path, in transactions and savepoints, and with threads running freely.

Every client is a thread whose "default" connection points at PgBouncer, so tenant_context and
the ORM run unchanged. The rows are committed (each connection must see them) and removed."""

import configparser
import copy
import os
import pwd
import queue
import random
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connection, connections, transaction
from django.db.utils import load_backend
from django_tenants.utils import tenant_context
from psycopg.client_cursor import ClientCursorMixin

from core.db import pooling
from relations.models import Employer
from tenants.models import Municipality
from tenants.services import provision_municipality
from tests.conftest import HILVERSUM, ZOETERMEER

EXAMPLE = Path(__file__).resolve().parents[2] / "infra/pgbouncer/pgbouncer.ini.example"
PREFIX = "PgBouncer-proef"
NAMES = {ZOETERMEER: f"{PREFIX} Zoetermeer", HILVERSUM: f"{PREFIX} Hilversum"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pgbouncer(django_db_setup) -> Iterator[dict[str, Any]]:
    """PgBouncer on a free loopback port, configured by infra/pgbouncer/pgbouncer.ini.example
    (so the example is checked by the real binary) with one server connection."""
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not os.access(binary, os.X_OK):
        pytest.skip("pgbouncer is not installed (infra/dev/system-deps.sh test installs it)")
    db = connection.settings_dict
    host, pg_port = db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)
    name, user = db["NAME"], db["USER"] or "postgres"
    workdir = Path(tempfile.mkdtemp(prefix="werktop-pgbouncer-"))
    workdir.chmod(0o755)  # PgBouncer drops root for another user, who must read the files
    port = _free_port()
    (workdir / "userlist.txt").write_text(f'"{user}" ""\n')
    # The production example, with what a test needs changed: one server connection.
    config = configparser.ConfigParser(interpolation=None)
    config.read(EXAMPLE)
    config["databases"] = {name: f"host={host} port={pg_port} dbname={name} pool_size=1"}
    config["pgbouncer"].update({
        "listen_addr": "127.0.0.1", "listen_port": str(port), "auth_type": "trust",
        "auth_file": str(workdir / "userlist.txt"), "default_pool_size": "1",
        "min_pool_size": "0", "reserve_pool_size": "0", "query_wait_timeout": "120",
        "admin_users": user, "stats_users": user})
    assert config["pgbouncer"]["pool_mode"] == "transaction"
    with (workdir / "pgbouncer.ini").open("w") as ini:
        config.write(ini)
    for path in workdir.iterdir():
        path.chmod(0o644)
    command = [binary, str(workdir / "pgbouncer.ini")]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root
        try:
            command[1:1] = ["-u", pwd.getpwnam("postgres").pw_name]
        except KeyError:
            command[1:1] = ["-u", "nobody"]
    log = (workdir / "pgbouncer.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    params = {"host": "127.0.0.1", "port": port, "dbname": name, "user": user}
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with psycopg.connect(**params, connect_timeout=2, autocommit=True) as probe:
                    probe.execute("SELECT 1")
                break
            except psycopg.OperationalError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("PgBouncer did not start:\n"
                                + (workdir / "pgbouncer.log").read_text())
                time.sleep(0.1)
        yield params
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def tenants(django_db_setup, django_db_blocker) -> Iterator[dict[str, Municipality]]:
    """Zoetermeer and Hilversum, each with one committed employer of its own."""
    with django_db_blocker.unblock():
        found = {code: Municipality.objects.get(cbs_code=code) for code in NAMES}
        for code, municipality in found.items():
            with tenant_context(municipality):
                Employer.objects.bulk_create([Employer(
                    name=NAMES[code], kvk_number="9900" + code[-4:])])
        connection.set_schema_to_public()
    yield found
    with django_db_blocker.unblock():
        for municipality in found.values():
            with tenant_context(municipality):
                Employer.objects.filter(name__startswith=PREFIX).delete()
        connection.set_schema_to_public()


class Client(threading.Thread):
    """A thread with its own "default" database connection (to `params`, in `mode`), running
    the jobs it is handed one at a time: the test decides the interleaving."""

    def __init__(self, params: dict[str, Any], mode: str) -> None:
        super().__init__(daemon=True)
        self.settings_dict = {**copy.deepcopy(connection.settings_dict),
                              "HOST": params["host"], "PORT": params["port"],
                              "POOL_MODE": mode}
        self.jobs: queue.Queue = queue.Queue()
        self.results: queue.Queue = queue.Queue()
        self.stack = ExitStack()
        self.start()

    def run(self) -> None:
        backend = load_backend(self.settings_dict["ENGINE"])
        wrapper = backend.DatabaseWrapper(self.settings_dict, DEFAULT_DB_ALIAS)
        connections[DEFAULT_DB_ALIAS] = wrapper  # in this thread only
        try:
            while (job := self.jobs.get()) is not None:
                try:
                    self.results.put((True, job()))
                except BaseException as error:  # noqa: BLE001 - handed to the test
                    self.results.put((False, error))
        finally:
            self.stack.close()
            wrapper.close()
            del connections[DEFAULT_DB_ALIAS]

    def submit(self, job: Callable[[], Any]) -> None:
        self.jobs.put(job)

    def result(self) -> Any:
        ok, value = self.results.get(timeout=120)
        if not ok:
            raise value
        return value

    def __call__(self, job: Callable[[], Any]) -> Any:
        self.submit(job)
        return self.result()

    def enter(self, municipality: Municipality) -> None:
        self(lambda: self.stack.enter_context(tenant_context(municipality)))

    def leave(self) -> None:
        self(self.stack.close)

    def stop(self) -> None:
        self.jobs.put(None)
        self.join(timeout=30)


def read() -> tuple[str, list[str]]:
    """What this thread's connection sees: its schema and the test employers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    names = list(Employer.objects.filter(name__startswith=PREFIX)
                 .values_list("name", flat=True))
    return schema, names


def wrong_reads(reads: list[tuple[Municipality, tuple[str, list[str]]]]) -> list[str]:
    """The reads that saw another schema or another municipality's employer."""
    return [f"{m.name} saw {schema} {names}" for m, (schema, names) in reads
            if schema != m.schema_name or names != [NAMES[m.cbs_code]]]


def interleave(params: dict[str, Any], mode: str, zoetermeer: Municipality,
               hilversum: Municipality, spoiler: psycopg.Connection | None = None) -> list:
    """A (Zoetermeer) and B (Hilversum), each inside its own tenant_context, read in turns, as
    two requests on two web processes do. `spoiler` sets the session's search_path to the
    other municipality before every read."""
    a, b = Client(params, mode), Client(params, mode)
    reads = []

    def spoil(other: Municipality) -> None:
        if spoiler is not None:
            spoiler.execute(f'SET search_path = "{other.schema_name}"')

    try:
        a.enter(zoetermeer)
        b.enter(hilversum)
        for _ in range(2):
            spoil(hilversum)
            reads.append((zoetermeer, a(read)))
            spoil(zoetermeer)
            reads.append((hilversum, b(read)))
        a.leave()
        b.leave()
    finally:
        a.stop()
        b.stop()
    return reads


# --- the race, first with raw connections, then with the ORM ------------------------------

def test_a_session_search_path_reaches_another_client(pgbouncer, tenants):
    """The mechanism: a SET of one client is what the next client's query runs with."""
    zoetermeer, hilversum = tenants[ZOETERMEER], tenants[HILVERSUM]
    with (psycopg.connect(**pgbouncer, autocommit=True) as a,
          psycopg.connect(**pgbouncer, autocommit=True) as b):
        a.execute(f'SET search_path = "{zoetermeer.schema_name}"')
        b.execute(f'SET search_path = "{hilversum.schema_name}"')
        seen_by_a = a.execute("SELECT current_schema()").fetchone()[0]
    assert seen_by_a == hilversum.schema_name  # a asked for Zoetermeer


def test_django_tenants_session_search_path_reads_another_municipality(pgbouncer, tenants,
                                                                       django_db_blocker):
    """Pool mode "session" (django-tenants as it is) behind transaction pooling: wrong rows."""
    with django_db_blocker.unblock():
        reads = interleave(pgbouncer, pooling.SESSION, tenants[ZOETERMEER],
                           tenants[HILVERSUM])
        wrong = wrong_reads(reads)
    assert wrong, reads  # Zoetermeer's second read ran with Hilversum's search_path
    assert any(f"saw {tenants[HILVERSUM].schema_name}" in w and w.startswith(
        tenants[ZOETERMEER].name) for w in wrong), wrong


# --- the platform's way ----------------------------------------------------------------------

def test_transaction_mode_reads_only_its_own_municipality(pgbouncer, tenants, django_db_blocker):
    with (django_db_blocker.unblock(),
          psycopg.connect(**pgbouncer, autocommit=True) as spoiler):
        reads = interleave(pgbouncer, pooling.TRANSACTION, tenants[ZOETERMEER],
                           tenants[HILVERSUM], spoiler)
        assert len(reads) == 4
        assert wrong_reads(reads) == []


def test_transaction_mode_under_concurrent_load(pgbouncer, tenants, django_db_blocker):
    """Four threads switch municipalities at random, in autocommit and in transactions."""
    municipalities = list(tenants.values())

    def work(seed: int) -> list:
        rng, reads = random.Random(seed), []
        for _ in range(40):
            municipality = rng.choice(municipalities)
            with tenant_context(municipality):
                reads.append((municipality, read()))
                with transaction.atomic():
                    reads.append((municipality, read()))
                reads.append((municipality, read()))
        return reads

    with django_db_blocker.unblock():
        clients = [Client(pgbouncer, pooling.TRANSACTION) for _ in range(4)]
        try:
            for seed, client in enumerate(clients):
                client.submit(lambda seed=seed: work(seed))
            reads = [r for client in clients for r in client.result()]
        finally:
            for client in clients:
                client.stop()
        assert len(reads) == 4 * 40 * 3
        assert wrong_reads(reads) == []


def test_transaction_mode_in_transactions_savepoints_and_errors(pgbouncer, tenants,
                                                                django_db_blocker):
    zoetermeer, hilversum = tenants[ZOETERMEER], tenants[HILVERSUM]

    class Boom(Exception):
        pass

    def job() -> list:
        reads = []
        with tenant_context(zoetermeer), transaction.atomic():
            reads.append((zoetermeer, read()))
            with tenant_context(hilversum):  # another schema inside the same transaction
                reads.append((hilversum, read()))
            try:
                with transaction.atomic(), tenant_context(hilversum):
                    reads.append((hilversum, read()))
                    raise Boom
            except Boom:
                pass
            reads.append((zoetermeer, read()))  # after ROLLBACK TO SAVEPOINT
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT 1 / 0")  # the transaction aborts to the savepoint
            except Exception:  # noqa: BLE001, S110 - a DataError, expected
                pass
            reads.append((zoetermeer, read()))
        with tenant_context(hilversum):
            with pytest.raises(Exception, match="relation"):  # autocommit statement fails
                with connection.cursor() as cursor:
                    cursor.execute("SELECT * FROM no_such_table")
            reads.append((hilversum, read()))
        return reads

    with django_db_blocker.unblock():
        client = Client(pgbouncer, pooling.TRANSACTION)
        try:
            reads = client(job)
        finally:
            client.stop()
        assert len(reads) == 6
        assert wrong_reads(reads) == []


def test_transaction_mode_iterator_executemany_and_copy(pgbouncer, tenants, django_db_blocker):
    zoetermeer, hilversum = tenants[ZOETERMEER], tenants[HILVERSUM]

    def copy_schema() -> str:
        with connection.cursor() as cursor:
            with cursor.cursor.copy("COPY (SELECT current_schema()) TO STDOUT") as copy_:
                return b"".join(bytes(chunk) for chunk in copy_).decode().strip()

    def job() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        with tenant_context(zoetermeer):
            seen["iterator"] = [e.name for e in Employer.objects.filter(
                name__startswith=PREFIX).iterator(chunk_size=10)]
            seen["server_side_cursors_off"] = connection.settings_dict[
                "DISABLE_SERVER_SIDE_CURSORS"]
            with connection.cursor() as cursor:
                cursor.executemany("UPDATE relations_employer SET city = %s WHERE name = %s",
                                   [("Proefstad", NAMES[ZOETERMEER])])
            seen["copy"] = copy_schema()
            with transaction.atomic():
                seen["copy_in_transaction"] = copy_schema()
            with pytest.raises(NotSupportedError), connection.cursor() as cursor:
                cursor.execute("CREATE INDEX CONCURRENTLY pgb_proef ON relations_employer (city)")
            seen["tables"] = set(connection.introspection.table_names())  # this schema only
        for municipality in (zoetermeer, hilversum):
            with tenant_context(municipality):
                seen[municipality.cbs_code] = list(Employer.objects.filter(
                    name__startswith=PREFIX).values_list("city", flat=True))
        return seen

    with django_db_blocker.unblock():
        client = Client(pgbouncer, pooling.TRANSACTION)
        try:
            seen = client(job)
        finally:
            client.stop()
        with tenant_context(zoetermeer):  # django-tenants' own introspection, direct
            tables = set(connection.introspection.table_names())
    assert "relations_employer" in tables and "tenants_municipality" not in tables
    assert seen.pop("tables") == tables
    assert seen == {
        "iterator": [NAMES[ZOETERMEER]], "server_side_cursors_off": True,
        "copy": zoetermeer.schema_name, "copy_in_transaction": zoetermeer.schema_name,
        ZOETERMEER: ["Proefstad"], HILVERSUM: [""]}


def test_transaction_mode_provisions_a_municipality(pgbouncer, tenants, django_db_blocker):
    """Sign-up provisions in a Celery task, so behind PgBouncer: the template's clone (a
    function that sets the search_path inside itself) and the new portal work. Inside a
    transaction that is rolled back, so nothing stays."""

    class Undo(Exception):
        pass

    def job() -> tuple:
        try:
            with transaction.atomic():
                municipality = provision_municipality("GM0363")
                with tenant_context(municipality):
                    seen = read()
                raise Undo(municipality.schema_name, seen)
        except Undo as undo:
            return undo.args

    with django_db_blocker.unblock():
        client = Client(pgbouncer, pooling.TRANSACTION)
        try:
            schema, (current, names) = client(job)
        finally:
            client.stop()
        assert not Municipality.objects.filter(cbs_code="GM0363").exists()
    assert (schema, current, names) == ("gm0363", "gm0363", [])


# --- cost: round trips (counted, not timed) ---------------------------------------------------

def test_transaction_mode_costs_no_extra_round_trip(tenants, django_db_blocker, monkeypatch):
    """Five ORM reads in a municipality, on a direct connection. Session mode sends django-
    tenants' SET and five queries (six messages); transaction mode five messages, each with
    its own SET LOCAL in front."""
    sent: list[bytes] = []
    send = ClientCursorMixin._execute_send

    def spy(self, query, **kwargs):
        sent.append(bytes(query.query))
        return send(self, query, **kwargs)

    def five_reads() -> list[bytes]:
        with tenant_context(tenants[ZOETERMEER]):
            read()  # connected, time zone set: not counted
        sent.clear()
        with tenant_context(tenants[ZOETERMEER]):
            for _ in range(5):
                Employer.objects.filter(name__startswith=PREFIX).exists()
        return list(sent)

    db = connection.settings_dict
    direct = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"]}
    monkeypatch.setattr(ClientCursorMixin, "_execute_send", spy)
    messages = {}
    with django_db_blocker.unblock():
        for mode in pooling.POOL_MODES:
            client = Client(direct, mode)
            try:
                messages[mode] = client(five_reads)
            finally:
                client.stop()
    session, pooled = messages[pooling.SESSION], messages[pooling.TRANSACTION]
    assert len(session) == 6 and session[0].startswith(b"SET search_path")
    assert len(pooled) == 5
    assert all(m.startswith(b"SET LOCAL search_path = ") and b"; SELECT" in m for m in pooled)


# --- configuration ----------------------------------------------------------------------------

def test_the_default_is_django_tenants_unchanged(monkeypatch):
    monkeypatch.delenv(pooling.ENV_VAR, raising=False)
    settings_dict = copy.deepcopy(connection.settings_dict)
    settings_dict.pop("POOL_MODE", None)
    wrapper = type(connections[DEFAULT_DB_ALIAS])(settings_dict, "pool_check")
    assert wrapper.pool_mode == pooling.SESSION and not wrapper.transaction_pooling
    assert wrapper.get_connection_params()["cursor_factory"] is not (
        pooling.TransactionPooledCursor)
    assert "DISABLE_SERVER_SIDE_CURSORS" not in settings_dict


def test_the_pool_mode_comes_from_the_entry_or_the_environment(monkeypatch):
    monkeypatch.delenv(pooling.ENV_VAR, raising=False)
    assert pooling.pool_mode({}) == pooling.SESSION
    monkeypatch.setenv(pooling.ENV_VAR, "Transaction")
    assert pooling.pool_mode({}) == pooling.TRANSACTION
    assert pooling.pool_mode({"POOL_MODE": "session"}) == pooling.SESSION
    with pytest.raises(ImproperlyConfigured):
        pooling.pool_mode({"POOL_MODE": "statement"})
    entry: dict[str, Any] = {"POOL_MODE": "transaction", "OPTIONS": {}}
    assert pooling.configure(entry) == pooling.TRANSACTION
    assert entry["DISABLE_SERVER_SIDE_CURSORS"] is True  # no cursor outlives its transaction


@pytest.mark.parametrize("entry", [
    {"OPTIONS": {"server_side_binding": True}},
    {"OPTIONS": {"prepare_threshold": 5}},
    {"DISABLE_SERVER_SIDE_CURSORS": False},
])
def test_transaction_mode_refuses_what_breaks_it(entry):
    with pytest.raises(ImproperlyConfigured):
        pooling.configure({"POOL_MODE": "transaction", **entry})


def test_the_prefix_survives_the_placeholder_parser():
    statement = 'SET LOCAL search_path = "a%b"'
    assert pooling._prepend(statement, "SELECT %s", True) == (
        'SET LOCAL search_path = "a%%b"; SELECT %s')
    assert pooling._prepend(statement, b"SELECT 1", False) == (
        b'SET LOCAL search_path = "a%b"; SELECT 1')


@pytest.mark.parametrize("sql", [
    "  vacuum relations_employer", "CREATE INDEX CONCURRENTLY i ON t (c)",
    "SET search_path = public", "set statement_timeout = 0", "RESET ALL", "LISTEN x",
    "SELECT pg_try_advisory_lock(%s)", "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
])
def test_statements_that_need_a_session_are_refused(sql):
    with pytest.raises(psycopg.NotSupportedError):
        pooling._prepend("SET LOCAL search_path = x", sql, False)


@pytest.mark.parametrize("sql", [
    "SET LOCAL statement_timeout = 0", "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
    "SET CONSTRAINTS ALL IMMEDIATE", "SELECT pg_advisory_xact_lock(1)",
    "UPDATE t SET c = 1", "DECLARE c CURSOR WITHOUT HOLD FOR SELECT 1",
])
def test_statements_of_a_transaction_pass(sql):
    assert pooling._prepend("SET LOCAL search_path = x", sql, False).endswith(sql)
