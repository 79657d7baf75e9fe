"""A Redis cache that keeps the site up when Redis is down.

Django's `RedisCache` raises on every call when Redis cannot be reached, and almost every page
touches the cache (sessions, the portal page cache, rate limits, the ministry overview), so a
dead Redis would turn the whole site into 500 pages. `FaultTolerantRedisCache` behaves as an
empty cache that forgets what it is told instead:

- **reads** (`get`, `get_many`, `has_key`) answer a miss;
- **writes** (`set`, `set_many`, `touch`, `delete`, `delete_many`, `clear`) are dropped;
- `incr`/`decr` raise `ValueError`, Django's "no such key" (callers already handle it);
- `add` answers True, as if the value was stored. Callers use `add` as a lock or a "who
  goes first" test (allauth's rate-limit lock, the ministry publish debounce, the portal
  page generation); with Redis gone every caller goes first. This is failing **open**.

**Rate limits while Redis is down**: their counters live in this cache, so none are kept.
Public forms (django-ratelimit, `core.antispam.public_form`; `RATELIMIT_FAIL_OPEN`) accept
every post: the honeypot still stops simple bots. Logins keep working and still need the
right password (and the second factor), but allauth's lock-out after failed logins is not
counted until Redis is back. Locking everyone out instead would close the workspace to its
users for the length of the outage.

A failure is logged once (a warning) and opens a **circuit** for `BREAK_SECONDS`: during that
window the cache does not try Redis at all, so a page costs microseconds, not a connection
attempt per cache call. After the window the next call tries Redis again. Connections time
out quickly (`DEFAULT_OPTIONS`), so even the call that finds Redis gone (or hung) costs at
most a fraction of a second.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Seconds the cache leaves Redis alone after a failed call.
BREAK_SECONDS = 5.0
# Redis on the same network answers in well under a millisecond: a connection that takes
# longer than this is not coming. Any of these may be overridden in the cache's OPTIONS.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
# What "Redis is unavailable" looks like (refused, reset, timed out, still loading).
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class _Circuit:
    """Per process and per Redis server: until when calls skip Redis."""

    _lock = threading.Lock()
    _open_until: dict[str, float] = {}

    @classmethod
    def is_open(cls, server: str) -> bool:
        until = cls._open_until.get(server)
        return until is not None and time.monotonic() < until

    @classmethod
    def trip(cls, server: str, error: BaseException) -> None:
        with cls._lock:
            was_closed = not cls.is_open(server)
            cls._open_until[server] = time.monotonic() + BREAK_SECONDS
        if was_closed:
            # The server address only (no password, no keys: keys may hold a schema name).
            logger.warning("cache unavailable (%s: %s); treated as empty for %.0f s",
                           type(error).__name__, error, BREAK_SECONDS)

    @classmethod
    def reset(cls) -> None:
        """Forget every open circuit (tests)."""
        with cls._lock:
            cls._open_until.clear()


class FaultTolerantRedisCache(RedisCache):
    """Django's RedisCache, degrading to an empty cache while Redis is unreachable."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._circuit_name = ",".join(self._servers)

    @property
    def available(self) -> bool:
        """False while the circuit is open (Redis failed less than BREAK_SECONDS ago)."""
        return not _Circuit.is_open(self._circuit_name)

    def _call(self, operation: Callable[[], Any], fallback: Callable[[], Any]) -> Any:
        if _Circuit.is_open(self._circuit_name):
            return fallback()
        try:
            result = operation()
        except UNAVAILABLE as error:
            _Circuit.trip(self._circuit_name, error)
            return fallback()
        return result

    # --- reads: a miss ------------------------------------------------------------------

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._call(lambda: RedisCache.get(self, key, default, version), lambda: default)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        keys = list(keys)
        return self._call(lambda: RedisCache.get_many(self, keys, version), dict)

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._call(lambda: RedisCache.has_key(self, key, version), lambda: False)

    # --- writes: dropped ----------------------------------------------------------------

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> bool:
        """True when stored, and True when Redis is down: see the module's notes (fail open)."""
        return self._call(lambda: RedisCache.add(self, key, value, timeout, version),
                          lambda: True)

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> None:
        self._call(lambda: RedisCache.set(self, key, value, timeout, version), lambda: None)

    def set_many(self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT,
                 version: int | None = None) -> list[str]:
        """The keys that failed: all of them while Redis is down."""
        return self._call(lambda: RedisCache.set_many(self, data, timeout, version),
                          lambda: list(data))

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT,
              version: int | None = None) -> bool:
        return self._call(lambda: RedisCache.touch(self, key, timeout, version), lambda: False)

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._call(lambda: RedisCache.delete(self, key, version), lambda: False)

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        keys = list(keys)
        self._call(lambda: RedisCache.delete_many(self, keys, version), lambda: None)

    def clear(self) -> bool:
        return self._call(lambda: RedisCache.clear(self), lambda: False)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Raises ValueError (Django's "key not found") while Redis is down."""
        def unavailable() -> int:
            raise ValueError("the cache is unavailable")

        return self._call(lambda: RedisCache.incr(self, key, delta, version), unavailable)


def reset_circuits() -> None:
    """Try Redis again at the next call, whatever failed before (tests, the outbox relay)."""
    _Circuit.reset()
