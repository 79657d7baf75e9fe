"""The dashboard's figures section, cached until the rollups change.

The section (totals, the table of all municipalities, who lags behind, the weekly trend) only
changes when a rollup or a municipality's row changes, yet building it reads and renders a row
per municipality. It is rendered once and kept in the cache under a key made of:

- a generation counter, bumped after every commit that publishes a rollup (`publish_rollup`),
  rebuilds them, or changes a municipality's row (name, province, period, targets);
- the filter and sort order, the language, and today's date (pace depends on the day).

Entries hold only what the dashboard shows: suppressed aggregates, never personal data. They
expire after `TIMEOUT` as a safety net. Every key lives in the public schema's key space
(`django_tenants.cache.make_key` prefixes the current schema, and rollups are published from
inside a municipality's schema).
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context

from core.schemas import current_schema

GENERATION_KEY = "ministry:overview:generation"
TIMEOUT = 10 * 60


@contextmanager
def _public() -> Iterator[None]:
    if current_schema() == get_public_schema_name():
        yield
    else:
        with schema_context(get_public_schema_name()):
            yield


def generation() -> int:
    """The current generation. A missing counter (a flushed or evicted cache) restarts at the
    current time in nanoseconds, so a number once used is never used again."""
    with _public():
        current = cache.get(GENERATION_KEY)
        if current is None:
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
            current = cache.get(GENERATION_KEY)
        return current or time.time_ns()


def bump() -> None:
    """Start a new generation: every cached section is stale from now on."""
    with _public():
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no counter yet
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def changed() -> None:
    """The figures changed: start a new generation once the transaction commits (at once
    outside a transaction), so a reader never caches the old figures under the new number."""
    transaction.on_commit(bump, robust=True)


def section_key(*parts: Any) -> str:
    return ":".join(["ministry:overview", str(generation()), *map(str, parts)])


def get_section(key: str) -> dict[str, Any] | None:
    with _public():
        return cache.get(key)


def store_section(key: str, section: dict[str, Any]) -> None:
    with _public():
        cache.set(key, section, TIMEOUT)
