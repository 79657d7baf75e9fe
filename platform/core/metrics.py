"""Prometheus metrics (prometheus_client), served at `/metrics` by tenants.health.

Requests (`RequestMetricsMiddleware`, second in MIDDLEWARE, right after the health
middleware, so probes are not counted):
- `werktop_http_requests_total{method, status, route}` and
  `werktop_http_request_duration_seconds{route}` (histogram). `route` is the URL *pattern*
  the request resolved to (`/werkplek/kandidaten/<int:pk>/`), never the path: no ids, no
  personal data, a bounded number of series. "unmatched" when nothing resolved (a 404, an
  unknown host, a refused Host header, the https redirect). Unknown methods count as "other".
- `werktop_municipality_requests_total{schema}`: requests per municipality (its schema name;
  "public" for the national site). Requests for unknown hosts are not counted here.

Read when Prometheus scrapes (`ScrapeCollector`, nothing stored between scrapes):
- `werktop_celery_queue_length{queue}`: messages waiting in the Redis broker lists of the
  queues urgent, default and background (all priority lists of a queue together, with the
  broker's `global_keyprefix` if one is set). `werktop_celery_broker_up` is 1 when the broker
  answered, 0 when it did not (then there are no queue samples). Time-outs are short.
- `werktop_outbox_tasks`: tasks waiting in the outbox (werktop.OutboxTask, public schema)
  because Redis was down when they were sent. No sample when the database is down.

Celery workers (`connect_celery_signals()`, from werktop.celery):
- `werktop_celery_tasks_total{task, state}`, state success, failure or retry (task_success,
  task_failure and task_retry signals, in the process that runs the task).

**Multiprocess mode.** gunicorn runs several worker processes, each with its own counters.
With `PROMETHEUS_MULTIPROC_DIR` set (an empty, writable folder per container, emptied at
start by infra/docker/entrypoint.sh) every process writes its samples to files there and
`/metrics` adds them up with `prometheus_client.multiprocess.MultiProcessCollector`, whichever
process answers the scrape; gunicorn's `child_exit` hook calls `mark_process_dead`. Without
it, the default registry of the answering process is served (fine with one process, e.g.
runserver). Never share the folder between containers: file names carry process ids, which
repeat across containers. Celery workers have no web server of their own: with
`CELERY_METRICS_PORT` set, a worker serves its task counters (and, with
`PROMETHEUS_MULTIPROC_DIR` set in the worker's container too, those of its pool processes) on
that port at any path, without authentication: keep that port inside the cluster network.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

QUEUES = ("urgent", "default", "background")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
# kombu's Redis transport: one list per priority step, "<queue>\x06\x16<step>" (step 0: the
# bare name).
KOMBU_PRIORITY_STEPS = (0, 3, 6, 9)
KOMBU_SEPARATOR = "\x06\x16"
BROKER_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}

HTTP_REQUESTS = Counter(
    "werktop_http_requests", "HTTP requests by method, status and URL pattern.",
    ["method", "status", "route"])
HTTP_DURATION = Histogram(
    "werktop_http_request_duration_seconds", "Time to answer a request, by URL pattern.",
    ["route"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))
MUNICIPALITY_REQUESTS = Counter(
    "werktop_municipality_requests", "HTTP requests per municipality (schema name).",
    ["schema"])
CELERY_TASKS = Counter(
    "werktop_celery_tasks", "Celery tasks finished, by task name and state.",
    ["task", "state"])


# --- requests ----------------------------------------------------------------------------------

def route_label(request: Any) -> str:
    """The resolved URL pattern ("/werkplek/kandidaten/<int:pk>/"), or "unmatched"."""
    match = getattr(request, "resolver_match", None)
    route = getattr(match, "route", None) if match is not None else None
    return "/" + route if route is not None else UNMATCHED


def schema_label(request: Any) -> str | None:
    tenant = getattr(request, "tenant", None)
    return getattr(tenant, "schema_name", None)


class RequestMetricsMiddleware:
    """Counts and times every request that reaches the site (health probes do not: they are
    answered by tenants.health.HealthMiddleware, which comes first)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        started = time.perf_counter()
        response = self.get_response(request)
        observe_request(request, response.status_code, time.perf_counter() - started)
        return response


def observe_request(request: Any, status: int, seconds: float) -> None:
    route = route_label(request)
    method = request.method if request.method in METHODS else "other"
    HTTP_REQUESTS.labels(method=method, status=str(status), route=route).inc()
    HTTP_DURATION.labels(route=route).observe(seconds)
    schema = schema_label(request)
    if schema:
        MUNICIPALITY_REQUESTS.labels(schema=schema).inc()


# --- Celery ------------------------------------------------------------------------------------

def _task_name(sender: Any) -> str:
    return str(getattr(sender, "name", None) or "unknown")


def task_succeeded(sender: Any = None, **kwargs: Any) -> None:
    CELERY_TASKS.labels(task=_task_name(sender), state="success").inc()


def task_failed(sender: Any = None, **kwargs: Any) -> None:
    CELERY_TASKS.labels(task=_task_name(sender), state="failure").inc()


def task_retried(sender: Any = None, **kwargs: Any) -> None:
    CELERY_TASKS.labels(task=_task_name(sender), state="retry").inc()


def connect_celery_signals() -> None:
    """Idempotent; called from werktop.celery."""
    from celery.signals import task_failure, task_retry, task_success

    task_success.connect(task_succeeded, dispatch_uid="werktop-metrics-success", weak=False)
    task_failure.connect(task_failed, dispatch_uid="werktop-metrics-failure", weak=False)
    task_retry.connect(task_retried, dispatch_uid="werktop-metrics-retry", weak=False)


def start_worker_exporter() -> Any:
    """Serve this worker's task metrics on CELERY_METRICS_PORT (off when unset: None). Called
    once in the worker's main process (werktop.celery); returns the server (a daemon thread
    serves it)."""
    from prometheus_client import start_http_server

    port = os.environ.get("CELERY_METRICS_PORT", "").strip()
    if not port:
        return None
    server, _thread = start_http_server(int(port), registry=base_registry())
    return server


# --- scrape-time figures -----------------------------------------------------------------------

def queue_lengths() -> dict[str, int] | None:
    """Messages waiting per queue in the Redis broker; None when the broker does not answer."""
    import redis
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    prefix = options.get("global_keyprefix", "") or ""
    steps = options.get("priority_steps", KOMBU_PRIORITY_STEPS)
    separator = options.get("sep", KOMBU_SEPARATOR)
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    client = redis.Redis.from_url(url, **BROKER_TIMEOUTS)
    try:
        with client.pipeline(transaction=False) as pipe:
            for queue in QUEUES:
                for step in steps:
                    name = f"{queue}{separator}{step}" if step else queue
                    pipe.llen(prefix + name)
            sizes = pipe.execute()
    except (redis.exceptions.RedisError, OSError):
        return None
    finally:
        client.close()
    per_queue = len(steps)
    return {queue: int(sum(sizes[i * per_queue:(i + 1) * per_queue]))
            for i, queue in enumerate(QUEUES)}


def outbox_size() -> int | None:
    """Rows in werktop.OutboxTask (public schema); None when the database does not answer."""
    from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
    from django_tenants.utils import get_public_schema_name, schema_context

    # Not at the top: the Celery app imports this module before Django's apps are loaded.
    from .models import OutboxTask

    try:
        with schema_context(get_public_schema_name()):
            return OutboxTask.objects.count()
    except (OperationalError, InterfaceError):
        connections[DEFAULT_DB_ALIAS].close()
        return None


class ScrapeCollector(Collector):
    """Figures read at scrape time: broker queue lengths and the outbox."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        lengths = queue_lengths()
        up = GaugeMetricFamily("werktop_celery_broker_up",
                               "1 when the Celery broker (Redis) answered this scrape.")
        up.add_metric([], 0 if lengths is None else 1)
        yield up
        if lengths is not None:
            queue = GaugeMetricFamily("werktop_celery_queue_length",
                                      "Messages waiting in a Celery queue.", labels=["queue"])
            for name, length in lengths.items():
                queue.add_metric([name], length)
            yield queue
        size = outbox_size()
        if size is not None:
            yield GaugeMetricFamily(
                "werktop_outbox_tasks", "Tasks waiting in the outbox for the broker.",
                value=size)


# --- exposition --------------------------------------------------------------------------------

def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def base_registry() -> CollectorRegistry:
    """Every process's samples (multiprocess mode) or this process's default registry."""
    path = multiprocess_dir()
    if path is None:
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=path)
    return registry


def exposition() -> tuple[bytes, str]:
    """The body and content type of /metrics: the stored metrics, then the scrape-time ones."""
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(ScrapeCollector())
    return generate_latest(base_registry()) + generate_latest(scrape), CONTENT_TYPE_LATEST


__all__ = ["CELERY_TASKS", "HTTP_DURATION", "HTTP_REQUESTS", "MUNICIPALITY_REQUESTS",
           "RequestMetricsMiddleware", "ScrapeCollector", "connect_celery_signals",
           "exposition", "queue_lengths", "outbox_size", "start_worker_exporter"]
