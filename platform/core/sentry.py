"""Error reporting to Sentry, switched on by an environment variable.

`init()` is called by the web server (werktop.wsgi, before Django loads) and by Celery
workers and beat (werktop.celery, on `celeryd_init` / `beat_init`), never by the tests or
management commands. It does nothing while `SENTRY_DSN` is empty (the default).

Settings (settings.base, from the environment):
- `SENTRY_DSN`: the project's DSN; empty = off.
- `SENTRY_ENVIRONMENT`: "production", "acceptance", ... (default "production").
- `SENTRY_TRACES_SAMPLE_RATE`: share of requests and tasks traced for performance (default 0:
  errors only). `SENTRY_RELEASE` is read by sentry_sdk itself.

What leaves the platform: the exception (type, message, stack trace without local variables),
the URL pattern as transaction name, the municipality's schema as tag `schema`, and request
metadata without cookies, authorisation headers, client address, user or body
(`send_default_pii=False`, `max_request_body_size="never"`, `include_local_variables=False`).
Only the Django and Celery integrations (plus sentry_sdk's defaults such as logging) are on:
`auto_enabling_integrations=False` keeps out the Redis integration, whose breadcrumbs hold
cache keys, and a cached session's key is the session cookie.
`scrub()` (before_send) then runs every remaining string through the log redaction of
core.logging: e-mail addresses, phone numbers, BSN-like numbers, IBANs, postcodes and
tokens in URLs are replaced, and values of keys such as password, token, cookie,
authorization, session, key are dropped whole.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_plus

from django.conf import settings

from .logging import REDACTED, SECRET_KEY_PATTERN, redact_text

# Keys of Sentry's own event structure whose values are ids, times or SDK data: kept as they
# are (a 9-digit run inside a trace id is not a BSN).
STRUCTURAL_KEYS = frozenset({
    "event_id", "trace_id", "span_id", "parent_span_id", "segment_id", "timestamp",
    "start_timestamp", "level", "platform", "sdk", "release", "environment", "type",
    "modules", "lineno", "colno", "in_app", "op", "status", "origin", "sampled"})

_lock = threading.Lock()
_initialised = False


def _scrub_value(key: str, value: Any) -> Any:
    if key in STRUCTURAL_KEYS:
        return value
    if key and SECRET_KEY_PATTERN.search(key) and value not in (None, "", [], {}):
        return REDACTED
    if key == "query_string" and isinstance(value, str):
        # "email=jan%40example.org": decoded, and with the "?" the URL patterns expect.
        return redact_text("?" + unquote_plus(value))[1:]
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: _scrub_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_value("", item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) == 9:
        return "[number]"
    return value


def current_schema() -> str | None:
    """The schema of this thread's database connection (set per request by the tenant
    middleware, per task by tenant-schemas-celery). No query."""
    try:
        from django.db import connection

        return getattr(connection, "schema_name", None)
    except Exception:  # noqa: BLE001 - reporting an error must not raise another
        return None


def scrub(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """before_send / before_send_transaction: personal data and secrets out, schema tag in."""
    cleaned = _scrub_value("", event)
    schema = current_schema()
    if schema:
        tags = cleaned.get("tags")
        if not isinstance(tags, dict):
            tags = {}
        cleaned["tags"] = {**tags, "schema": schema}
    return cleaned


def init(**overrides: Any) -> bool:
    """Start the Sentry SDK when SENTRY_DSN is set; True when it was started. Idempotent per
    process. `overrides` go to `sentry_sdk.init` (the tests pass a fake `transport`)."""
    global _initialised

    dsn = getattr(settings, "SENTRY_DSN", "") or ""
    if not dsn:
        return False
    with _lock:
        if _initialised:
            return True
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.django import DjangoIntegration
        from sentry_sdk.integrations.logging import ignore_logger

        options: dict[str, Any] = {
            "dsn": dsn,
            "environment": getattr(settings, "SENTRY_ENVIRONMENT", "production"),
            "traces_sample_rate": float(getattr(settings, "SENTRY_TRACES_SAMPLE_RATE", 0.0)),
            "integrations": [DjangoIntegration(transaction_style="url"), CeleryIntegration()],
            # No integrations switched on by what happens to be installed: the Redis one
            # records cache keys as breadcrumbs, and a session's key is its cookie value.
            "auto_enabling_integrations": False,
            "send_default_pii": False,
            "max_request_body_size": "never",
            "include_local_variables": False,
            "before_send": scrub,
            "before_send_transaction": scrub,
            **overrides,
        }
        sentry_sdk.init(**options)
        # Its ERROR line for a 500 repeats the exception Django's integration reports.
        ignore_logger("werktop.request")
        _initialised = True
    return True


__all__ = ["current_schema", "init", "scrub"]
