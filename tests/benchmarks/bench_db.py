"""The benchmarks' throw-away databases on the project-local PostgreSQL."""

import psycopg


def admin_connect(base_url: str) -> psycopg.Connection:
    """An autocommit connection to the server's `postgres` database (base_url names any)."""
    return psycopg.connect(base_url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def recreate_database(base_url: str, name: str) -> None:
    with admin_connect(base_url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def drop_database(base_url: str, name: str) -> None:
    with admin_connect(base_url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def database_exists(base_url: str, name: str) -> bool:
    with admin_connect(base_url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [name]).fetchone() is not None
