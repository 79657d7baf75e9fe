"""Tasks from the request path reach the worker, also when Redis (the broker) is down.

`send_after_commit(task, *args, ...)` is the way a web request (a view, a service, a signal)
sends a Celery task. After the current transaction commits it hands the task to the broker,
from the schema it was called in (tenant-schemas-celery stamps that schema on the task). When
the broker cannot be reached it stores the task in `werktop.OutboxTask` (public schema)
instead, and the request carries on: the registration, the sign-up, the Stripe webhook are
saved and answered as usual.

`relay()` sends the stored tasks, oldest first, and deletes each row once sent. It runs every
minute from beat (`werktop.relay_outbox`), when a worker starts (celery's `worker_ready`) and
from `manage.py relay_outbox`. Rows are taken with `SELECT ... FOR UPDATE SKIP LOCKED`, so two
relays never send one row twice; a relay that finds the broker still down stops and counts
the attempt on the row.

**Delivery** stays at least once, as everywhere in Werktop: a relay that sent a task and
crashed before its commit sends it again, and tasks are idempotent. A process that dies
between the commit and the hand-over loses the task, as before the outbox (the periodic
replays, such as `replay_stripe_events`, catch those). Tasks sent directly while older ones
wait in the outbox may run first.

After a broker failure, sends skip the broker for `BREAK_SECONDS` (a circuit breaker, per
process) and go straight to the outbox, so a request never waits on a connection time-out
more than once in that window. The Celery settings keep the one attempt short
(`CELERY_BROKER_TRANSPORT_OPTIONS`, `CELERY_TASK_PUBLISH_RETRY_POLICY`).

Arguments are primary keys and short codes, never personal data: the table is in the public
schema. They must be JSON values (the outbox is a JSON column).
"""

import hashlib
import json
import logging
import threading
import time
from typing import Any

from celery import Task, current_app
from django.db import transaction
from django.db.models import F
from django_tenants.utils import get_public_schema_name, get_tenant_model, schema_context
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .models import OutboxTask
from .schemas import current_schema

logger = logging.getLogger(__name__)

# What "the broker is unavailable" looks like when publishing to Redis through kombu.
BROKER_ERRORS = (OperationalError, RedisConnectionError, RedisTimeoutError, OSError)
# Seconds during which sends go straight to the outbox after a broker failure.
BREAK_SECONDS = 5.0
# Rows a relay locks and sends per transaction.
RELAY_BATCH = 100
_SCALARS = (str, int, float, bool, type(None))


class _BrokerCircuit:
    _lock = threading.Lock()
    open_until = 0.0

    @classmethod
    def is_open(cls) -> bool:
        return time.monotonic() < cls.open_until

    @classmethod
    def trip(cls) -> None:
        with cls._lock:
            cls.open_until = time.monotonic() + BREAK_SECONDS

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls.open_until = 0.0


def reset_circuit() -> None:
    """Try the broker again at the next send (tests; a relay that reached the broker)."""
    _BrokerCircuit.reset()


def _check_json(args: tuple[Any, ...], kwargs: dict[str, Any], options: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if not isinstance(value, _SCALARS):
            raise TypeError(f"task arguments must be primary keys or short codes, not "
                            f"{type(value).__name__}")
    json.dumps(options)  # TypeError for what the outbox could not store


def send_after_commit(task: Task | str, *args: Any, kwargs: dict[str, Any] | None = None,
                      schema: str | None = None, dedupe: bool = False, robust: bool = False,
                      **options: Any) -> None:
    """Send `task(*args, **kwargs)` after the current transaction commits (at once outside a
    transaction), from `schema` (default: the current schema, taken now, not at the commit),
    with apply_async `options` (queue, countdown, ...). When the broker is unavailable the
    task waits in the outbox for `relay()`.

    `dedupe`: one waiting copy is enough (a debounced publish), so a second identical one is
    not stored. `robust`: another error while sending is logged instead of raised (Django's
    `on_commit(robust=True)`)."""
    kwargs = dict(kwargs or {})
    _check_json(args, kwargs, options)
    name = task if isinstance(task, str) else task.name
    schema_name = schema or current_schema()

    def after_commit() -> None:
        _send(name, list(args), kwargs, schema_name, options, dedupe=dedupe)

    transaction.on_commit(after_commit, robust=robust)


def send(task: Task | str, *args: Any, kwargs: dict[str, Any] | None = None,
         schema: str | None = None, dedupe: bool = False, **options: Any) -> bool:
    """Send now, for code that already runs after the commit (an on_commit callback): like
    `send_after_commit`, without waiting for a transaction. True when the broker took the
    task, False when it waits in the outbox."""
    kwargs = dict(kwargs or {})
    _check_json(args, kwargs, options)
    name = task if isinstance(task, str) else task.name
    return _send(name, list(args), kwargs, schema or current_schema(), options,
                 dedupe=dedupe)


def _send(name: str, args: list[Any], kwargs: dict[str, Any], schema_name: str,
          options: dict[str, Any], *, dedupe: bool = False) -> bool:
    if not _BrokerCircuit.is_open():
        try:
            _publish(name, args, kwargs, schema_name, options)
            return True
        except BROKER_ERRORS as error:
            _BrokerCircuit.trip()
            logger.warning("broker unavailable (%s); task %s from %s kept in the outbox",
                           type(error).__name__, name, schema_name)
    _store(name, args, kwargs, schema_name, options, dedupe=dedupe)
    return False


# Set once every task module of the project is registered in this process (see `_publish`).
_task_modules_imported = threading.Event()


def _publish(name: str, args: list[Any], kwargs: dict[str, Any], schema_name: str,
             options: dict[str, Any]) -> None:
    """apply_async from inside `schema_name`, so tenant-schemas-celery stamps that schema.
    Only what is given is passed on (a task without arguments is sent as `apply_async(
    **options)`, as the call sites always did)."""
    app = current_app  # the project's Celery app (werktop.celery)
    call = dict(options)
    if args:
        call["args"] = args
    if kwargs:
        call["kwargs"] = kwargs
    task = app.tasks.get(name)
    if task is None and not _task_modules_imported.is_set():
        # Services send tasks by name (a service never imports its app's tasks module): the
        # first such send in a process registers every task module, as a worker does, so the
        # task is applied as itself (eagerly in tests, with its options) and not only by name.
        app.loader.import_default_modules()
        _task_modules_imported.set()
        task = app.tasks.get(name)
    with schema_context(schema_name):
        if task is None:  # not one of ours: send it by name
            app.send_task(name, **call)
        else:
            task.apply_async(**call)


def _dedupe_key(name: str, args: list[Any], kwargs: dict[str, Any], schema_name: str) -> str:
    identity = json.dumps([name, schema_name, args, kwargs], sort_keys=True)
    return hashlib.sha256(identity.encode()).hexdigest()


def _store(name: str, args: list[Any], kwargs: dict[str, Any], schema_name: str,
           options: dict[str, Any], *, dedupe: bool) -> None:
    row = OutboxTask(task=name, args=args, kwargs=kwargs, options=options,
                     schema_name=schema_name,
                     dedupe_key=_dedupe_key(name, args, kwargs, schema_name) if dedupe else None)
    with schema_context(get_public_schema_name()):
        if dedupe:
            OutboxTask.objects.bulk_create([row], ignore_conflicts=True)
        else:
            row.save()


def pending() -> int:
    """How many tasks wait in the outbox."""
    with schema_context(get_public_schema_name()):
        return OutboxTask.objects.count()


def relay(*, batch_size: int = RELAY_BATCH) -> int:
    """Send the stored tasks, oldest first, deleting each row sent (in the same transaction
    as its lock). Stops at the first broker error: that row keeps its place and counts the
    attempt. Rows of a schema that no longer exists are dropped. The number sent."""
    current_app.loader.import_default_modules()  # every task registered, also in manage.py
    _task_modules_imported.set()
    sent = 0
    with schema_context(get_public_schema_name()):
        while True:
            sent_now, more = _relay_batch(batch_size)
            sent += sent_now
            if not more:
                break
    if sent:
        logger.info("outbox relay sent %s task(s)", sent)
    return sent


def _relay_batch(batch_size: int) -> tuple[int, bool]:
    """One transaction: lock up to `batch_size` rows no other relay holds, send them. The
    number sent and whether to go on (a full batch sent without a broker error)."""
    with transaction.atomic():
        rows = list(OutboxTask.objects.select_for_update(skip_locked=True)
                    .order_by("pk")[:batch_size])
        if not rows:
            return 0, False
        existing = set(get_tenant_model().objects
                       .filter(schema_name__in={row.schema_name for row in rows})
                       .values_list("schema_name", flat=True))
        done: list[int] = []
        sent, broker_down = 0, False
        for row in rows:
            if row.schema_name not in existing:
                logger.warning("outbox: dropped task %s of removed schema %s", row.task,
                               row.schema_name)
                done.append(row.pk)
                continue
            try:
                _publish(row.task, row.args, row.kwargs, row.schema_name, row.options)
            except BROKER_ERRORS as error:
                logger.warning("outbox relay: broker still unavailable (%s); %s task(s) wait",
                               type(error).__name__, len(rows) - len(done))
                OutboxTask.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
                broker_down = True
                break
            done.append(row.pk)
            sent += 1
        if done:
            OutboxTask.objects.filter(pk__in=done).delete()
    if sent:
        reset_circuit()
    return sent, not broker_down and len(rows) == batch_size
