"""Transaction pooling (PgBouncer `pool_mode = transaction`) without a session-level search_path.

django-tenants selects a municipality with a session-level `SET search_path` when a cursor is
made (with `TENANT_LIMIT_SET_CALLS` once per connection and schema). Behind PgBouncer in
transaction mode a session is not a connection: every transaction may run on another server
connection, and a server connection serves every client in turn. The `SET`, a transaction of
its own in autocommit, stays behind on whichever server connection ran it; the next query of
the same client may run elsewhere with another client's path, which shows one municipality
another one's rows (tests/infra/test_pgbouncer.py shows it happening).

With `POOL_MODE = "transaction"` in the DATABASES entry (or the environment variable
`DATABASE_POOL_MODE=transaction`) the backend issues no session-level `SET` at all. Every
statement goes out as ONE simple-protocol message

    SET LOCAL search_path = "<schema>","public"; <statement>

PostgreSQL runs a message with several statements as one transaction (or inside the open one),
so the path holds for exactly that statement's transaction, PgBouncer cannot give the server
connection to another client in between, and whatever another client left on the server
connection does not matter. It costs no extra round trip (django-tenants' own `SET` was one).

Requirements, checked when the connection is made: client-side binding (Django's default,
`server_side_binding` off: a message with parameters bound server-side cannot hold two
statements), no prepared statements (`prepare_threshold` None, Django's default) and no
server-side cursors (`DISABLE_SERVER_SIDE_CURSORS`, switched on here). Statements PostgreSQL
refuses inside a transaction block (`CREATE INDEX CONCURRENTLY`, `VACUUM`, ...) and statements
that leave session state behind (`SET` without LOCAL, `LISTEN`, session advisory locks such as
migrate_platform's) are refused: migrations and maintenance run on a direct connection in
session mode (infra/SCALING.md).
"""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql.base import Cursor as DjangoCursor
from django.db.backends.postgresql.introspection import DatabaseIntrospection
from django_tenants.postgresql_backend.introspection import DatabaseSchemaIntrospection
from psycopg import NotSupportedError, pq, sql

SESSION, TRANSACTION = "session", "transaction"
POOL_MODES = (SESSION, TRANSACTION)
ENV_VAR = "DATABASE_POOL_MODE"

_IDLE = pq.TransactionStatus.IDLE
_INERROR = pq.TransactionStatus.INERROR
# Statements that cannot run inside a transaction block, so cannot carry the SET LOCAL.
_OUTSIDE_TRANSACTION = re.compile(
    r"\s*(?:VACUUM\b|(?:CREATE|DROP)\s+(?:DATABASE|TABLESPACE)\b|ALTER\s+SYSTEM\b"
    r"|(?:CREATE|DROP)\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\b|REINDEX\b[^;]*\bCONCURRENTLY\b)",
    re.IGNORECASE)
# Session state, which would stay behind on a server connection that other clients use next.
_SESSION_STATE = re.compile(
    r"\s*(?:SET\s+(?!LOCAL\b|TRANSACTION\b|CONSTRAINTS\b)|RESET\b|DISCARD\b|LISTEN\b"
    r"|PREPARE\b|DECLARE\b[^;]*\bWITH\s+HOLD\b)", re.IGNORECASE)
_SESSION_LOCK = re.compile(r"\bpg_(?:try_)?advisory_lock(?:_shared)?\s*\(", re.IGNORECASE)


def check_statement(text: str) -> None:
    """Refuse what cannot work behind transaction pooling, with the way out in the message."""
    if _OUTSIDE_TRANSACTION.match(text):
        raise NotSupportedError(
            "This statement cannot run inside a transaction block, so not behind PgBouncer in "
            f"transaction mode: run it on a direct connection with {ENV_VAR}=session.")
    if _SESSION_STATE.match(text) or (
            ("advisory" in text or "ADVISORY" in text) and _SESSION_LOCK.search(text)):
        raise NotSupportedError(
            "Session state (SET, RESET, LISTEN, PREPARE, WITH HOLD, session advisory locks) "
            "would stay behind on a pooled server connection: use SET LOCAL or "
            "pg_advisory_xact_lock inside a transaction, or a direct connection with "
            f"{ENV_VAR}=session.")


def pool_mode(settings_dict: dict[str, Any]) -> str:
    """The pool mode of a DATABASES entry: its POOL_MODE, else $DATABASE_POOL_MODE, else
    "session" (a direct connection or a pooler in session mode: django-tenants unchanged)."""
    mode = settings_dict.get("POOL_MODE") or os.environ.get(ENV_VAR) or SESSION
    mode = str(mode).strip().lower()
    if mode not in POOL_MODES:
        raise ImproperlyConfigured(
            f"{ENV_VAR} / DATABASES POOL_MODE must be one of {', '.join(POOL_MODES)}, "
            f"not {mode!r}.")
    return mode


def configure(settings_dict: dict[str, Any]) -> str:
    """Check a DATABASES entry for its pool mode and return the mode. In transaction mode
    server-side cursors are switched off (a named cursor outlives the transaction)."""
    mode = pool_mode(settings_dict)
    if mode != TRANSACTION:
        return mode
    options = settings_dict.get("OPTIONS") or {}
    if options.get("server_side_binding") is True:
        raise ImproperlyConfigured(
            "Transaction pooling needs client-side binding: remove OPTIONS server_side_binding.")
    if options.get("prepare_threshold") is not None:
        raise ImproperlyConfigured(
            "Transaction pooling needs prepared statements off: OPTIONS prepare_threshold None.")
    if settings_dict.get("DISABLE_SERVER_SIDE_CURSORS") is False:
        raise ImproperlyConfigured(
            "Transaction pooling needs DISABLE_SERVER_SIDE_CURSORS = True.")
    settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    return mode


def search_path_statement(search_paths: list[str]) -> str:
    """`SET LOCAL search_path = "a","b"` for names already validated by django-tenants."""
    from django_tenants.utils import quote_schema_name

    return "SET LOCAL search_path = " + ",".join(quote_schema_name(s) for s in search_paths)


def _prepend(statement: str, query: Any, has_params: bool) -> Any:
    """`statement; query` for the query types Django sends, None for any other type."""
    if has_params:
        statement = statement.replace("%", "%%")  # the prefix passes psycopg's placeholder parser
    if isinstance(query, (str, bytes)):
        check_statement(query if isinstance(query, str) else query.decode("utf-8", "replace"))
        if isinstance(query, bytes):
            return statement.encode() + b"; " + query
        return f"{statement}; {query}"
    if isinstance(query, sql.Composable):
        return sql.Composed([sql.SQL(statement + "; "), query])
    return None


class TransactionPooledCursor(DjangoCursor):
    """Django's psycopg cursor (client-side binding) that sends every statement with the
    connection's schema as `SET LOCAL search_path`. Only cursors made by the DatabaseWrapper
    get `werktop_db`; others (psycopg's own health check `SELECT 1`) run as they are."""

    werktop_db: Any = None

    def _search_path(self) -> str | None:
        if self.werktop_db is None:
            return None
        if self.connection.info.transaction_status == _INERROR:
            # Only a rollback can follow, and a SET LOCAL in front of it would fail.
            return None
        return self.werktop_db.local_search_path_statement()

    def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None,
                binary: bool | None = None) -> "TransactionPooledCursor":
        statement = self._search_path()
        if statement is None:
            return super().execute(query, params, prepare=prepare, binary=binary)
        combined = None if self.connection.pgconn.pipeline_status else _prepend(
            statement, query, params is not None)
        if combined is None:
            with self._path_set(statement):
                return super().execute(query, params, prepare=prepare, binary=binary)
        super().execute(combined, params, prepare=prepare, binary=binary)
        self.nextset()  # the statement's own result, not the SET's
        return self

    def executemany(self, query: Any, params_seq: Any, *, returning: bool = False) -> None:
        statement = self._search_path()
        if statement is None:
            return super().executemany(query, params_seq, returning=returning)
        with self._path_set(statement):
            return super().executemany(query, params_seq, returning=returning)

    @contextmanager
    def copy(self, statement: Any, params: Any = None, *, writer: Any = None) -> Iterator[Any]:
        path = self._search_path()
        if path is None:
            with super().copy(statement, params, writer=writer) as copy:
                yield copy
            return
        with self._path_set(path), super().copy(statement, params, writer=writer) as copy:
            yield copy

    @contextmanager
    def _path_set(self, statement: str) -> Iterator[None]:
        """The SET LOCAL as a statement of its own, inside a transaction: one extra round trip,
        for the paths Django rarely takes (executemany, COPY, pipeline mode)."""
        if self.connection.autocommit and self.connection.info.transaction_status == _IDLE:
            with self.connection.transaction():
                super().execute(statement)
                yield
        else:
            super().execute(statement)
            yield


class PooledIntrospection(DatabaseSchemaIntrospection):
    """django-tenants' introspection sees the current schema only, by a session-level `SET
    search_path` around each call. In transaction mode the statements' own `SET LOCAL` leaves
    the public schema out for the duration of the call instead."""

    @contextmanager
    def _schema_only(self) -> Iterator[None]:
        db = self.connection
        include_public = db.include_public_schema
        db.include_public_schema = False
        try:
            yield
        finally:
            db.include_public_schema = include_public

    def get_table_list(self, cursor: Any) -> Any:
        with self._schema_only():
            return DatabaseIntrospection.get_table_list(self, cursor)

    def get_table_description(self, cursor: Any, table_name: str) -> Any:
        with self._schema_only():
            return DatabaseIntrospection.get_table_description(self, cursor, table_name)

    def get_sequences(self, cursor: Any, table_name: str, table_fields: Any = ()) -> Any:
        with self._schema_only():
            return DatabaseIntrospection.get_sequences(self, cursor, table_name, table_fields)

    def get_key_columns(self, cursor: Any, table_name: str) -> Any:
        with self._schema_only():
            return DatabaseIntrospection.get_key_columns(self, cursor, table_name)

    def get_constraints(self, cursor: Any, table_name: str) -> Any:
        with self._schema_only():
            return DatabaseIntrospection.get_constraints(self, cursor, table_name)
