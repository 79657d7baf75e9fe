"""The tenancy rulebook for Celery tasks (docs/architecture.md, "Tasks").

A task that works on one municipality's data is declared with `@municipality_task(name=...,
**options)` instead of `@shared_task(...)`: its body runs only in a municipality's schema (the
one it was sent from: tenant-schemas-celery), and raises RuntimeError in the public schema
(national site) or the template. Every other task of ours runs in the public schema and is
listed, with its reason, in tests/test_task_rules.py. Periodic work reaches the
municipalities through `tenants.fanout.fan_out`, which sends municipality tasks only."""

import functools
import inspect
from collections.abc import Callable
from typing import Any

from celery import shared_task

from .schemas import require_municipality_schema

# The attribute (a Celery task option, so a class attribute of the task) that marks one.
MARK = "municipality_task"


def municipality_task(*, name: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """`shared_task(name=name, **options)` whose body is refused outside a municipality's
    schema. The options are Celery's (`bind=True`, `acks_late`, `autoretry_for`, ...); the
    task keeps its function's signature, so Celery still checks the arguments when sending."""

    def decorate(fun: Callable[..., Any]) -> Any:
        @functools.wraps(fun)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            require_municipality_schema(name)
            return fun(*args, **kwargs)

        # Celery builds its argument check from the signature (not following __wrapped__).
        guarded.__signature__ = inspect.signature(fun)  # type: ignore[attr-defined]
        return shared_task(name=name, **{MARK: True}, **options)(guarded)

    return decorate


def is_municipality_task(task: Any) -> bool:
    """Declared with `municipality_task`."""
    return getattr(task, MARK, False) is True
