"""Health and operations endpoints, answered before anything else of the site runs.

`HealthMiddleware` is the FIRST middleware (settings.MIDDLEWARE): it answers these exact
paths itself and hands every other request on untouched. Nothing of the normal chain runs for
them: no https redirect (SecurityMiddleware), no ALLOWED_HOSTS check (a Kubernetes probe
arrives with the pod's IP address as Host, Caddy's `ask` with the service name), no tenant
lookup, no session, and no "request" log line (`RequestLogMiddleware` never sees them: a probe
every few seconds would flood the logs), no request metrics.

- `GET /health/live`: 200 "ok". Touches neither the database nor Redis: a database outage
  must not make Kubernetes restart every web pod.
- `GET /health/ready`: 200 `{"status": "ok", "database": "ok", "redis": "ok"}` when the
  default database answers `SELECT 1`; 503 with `"database": "unavailable"` otherwise (the pod
  leaves the load balancer until it answers again). A broken connection is closed, so the next
  probe connects afresh: that is how a pod recovers after a database restart. Redis is
  reported ("ok" or "unavailable") but never fails readiness: the site works without it
  (core.cache, core.outbox). A probe costs at most the database connect timeout
  (`connect_timeout`, 5 s by default, settings.base) when the database host does not answer
  at all; a stopped server refuses at once. Give the probe a timeout above that.
- `GET /metrics`: Prometheus text (core.metrics). Off (404) while `METRICS_TOKEN` is empty;
  needs `Authorization: Bearer <METRICS_TOKEN>` (403 otherwise, compared in constant time).
- `GET /health/tls?domain=<host>`: 200 when the host (lower-cased, port and final dot removed)
  is a municipality's domain (`tenants.Domain`, public schema, one indexed query) or the
  national host (`PLATFORM_DOMAIN`), else 404. Caddy's on-demand TLS asks this before it
  requests a certificate, so nobody can make the proxy fetch certificates for random names.

Every answer has `Cache-Control: no-store` and holds no personal data: statuses, metric
samples (route patterns, schema and task names) and nothing else. HEAD is answered like GET;
other methods get 405.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django_tenants.utils import get_public_schema_name, schema_context

from core import metrics as werktop_metrics

from .domains import host_name
from .models import Domain

logger = logging.getLogger(__name__)

LIVE_PATH = "/health/live"
READY_PATH = "/health/ready"
METRICS_PATH = "/metrics"
TLS_PATH = "/health/tls"

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Redis answers on the same network in well under a millisecond.
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
_BEARER = re.compile(r"^\s*bearer\s+(\S+)\s*$", re.IGNORECASE)


# --- checks ----------------------------------------------------------------------------------

class _ReadinessLog:
    """Logs the database becoming unavailable and coming back, once per change and process,
    instead of a line per probe."""

    _lock = threading.Lock()
    database_ok = True

    @classmethod
    def record(cls, ok: bool, error: BaseException | None = None) -> None:
        with cls._lock:
            changed, cls.database_ok = ok != cls.database_ok, ok
        if changed and not ok:
            logger.warning("readiness: database unavailable (%s)", type(error).__name__)
        elif changed:
            logger.info("readiness: database available again")


def check_database(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """`SELECT 1` on the connection the request would use. A failed connection is closed so
    the next check (and the next request) connects afresh."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_ERRORS as error:
        try:
            connection.close()
        except DATABASE_ERRORS:
            pass  # already broken: Django forgets it anyway
        _ReadinessLog.record(False, error)
        return False
    _ReadinessLog.record(True)
    return True


_redis_clients: dict[str, Any] = {}
_redis_lock = threading.Lock()


def redis_url() -> str | None:
    """The cache's Redis (sessions, page cache, rate limits), if the cache is Redis."""
    location = settings.CACHES.get("default", {}).get("LOCATION")
    if isinstance(location, list | tuple):
        location = location[0] if location else None
    if isinstance(location, str) and location.startswith(("redis://", "rediss://", "unix://")):
        return location
    return None


def check_redis() -> bool:
    """PING with short time-outs; one pooled client per URL and process."""
    import redis

    url = redis_url()
    if url is None:
        return False
    with _redis_lock:
        client = _redis_clients.get(url)
        if client is None:
            client = _redis_clients[url] = redis.Redis.from_url(url, **REDIS_TIMEOUTS)
    try:
        return bool(client.ping())
    except (redis.exceptions.RedisError, OSError):
        return False


def is_known_host(host: str) -> bool:
    """The national host or a row in tenants.Domain (public schema). Raises a database error
    when the database is down (the caller answers 503)."""
    if host == settings.PLATFORM_DOMAIN.lower():
        return True
    with schema_context(get_public_schema_name()):
        return Domain.objects.filter(domain=host).exists()


# --- responses ---------------------------------------------------------------------------------

def _plain(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def _json(data: dict[str, str], status: int) -> HttpResponse:
    return HttpResponse(json.dumps(data), status=status, content_type="application/json")


def live(request: HttpRequest) -> HttpResponse:
    return _plain("ok")


def ready(request: HttpRequest) -> HttpResponse:
    database = check_database()
    data = {"status": "ok" if database else "unavailable",
            "database": "ok" if database else "unavailable",
            "redis": "ok" if check_redis() else "unavailable"}
    return _json(data, 200 if database else 503)


def metrics(request: HttpRequest) -> HttpResponse:
    expected = getattr(settings, "METRICS_TOKEN", "") or ""
    if not expected:
        return _plain("Not Found", 404)
    match = _BEARER.match(request.headers.get("Authorization", ""))
    provided = match.group(1) if match else ""
    if not hmac.compare_digest(provided.encode(), expected.encode()):
        return _plain("Forbidden", 403)
    body, content_type = werktop_metrics.exposition()
    return HttpResponse(body, content_type=content_type)


def tls(request: HttpRequest) -> HttpResponse:
    host = host_name(request.GET.get("domain", ""))
    if host is None:
        return _plain("Not Found", 404)
    try:
        known = is_known_host(host)
    except DATABASE_ERRORS:
        connections[DEFAULT_DB_ALIAS].close()
        return _plain("Service Unavailable", 503)
    return _plain("ok") if known else _plain("Not Found", 404)


HANDLERS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    LIVE_PATH: live, READY_PATH: ready, METRICS_PATH: metrics, TLS_PATH: tls}


class HealthMiddleware:
    """Answers the health, readiness, metrics and TLS-ask paths (exact matches) before any
    other middleware; everything else goes on untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        handler = HANDLERS.get(request.path_info)
        if handler is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response: HttpResponse = HttpResponseNotAllowed(["GET", "HEAD"])
        else:
            response = handler(request)
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        # Django's "Not Found: /health/tls" warning per refused TLS ask or failed probe is
        # noise; the readiness check logs its own changes of state.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response


__all__ = ["HealthMiddleware", "check_database", "check_redis", "is_known_host"]
