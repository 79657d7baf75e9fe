"""Structured logs: one JSON object per line on stdout, from structlog and from the standard
library's loggers alike (Django, Celery, our own `logging.getLogger(__name__)`).

Every line carries `time` (ISO 8601, UTC), `level`, `logger` and `event`; inside a request also
`request_id`, `schema` (the municipality), `actor` and `origin`; inside a Celery task `task`,
`task_id` and `schema`. Audit events (`audit.services`) add `action`, `object` and `result`.

**Never personal data, secrets or BSN-like numbers.** `redact()` runs last on every line, over
every value (the message, exception text, nested dicts and lists): e-mail addresses, Dutch
phone numbers, BSN-like numbers (any run of 9 digits, and 8 or 9 digits grouped with dots or
spaces), IBANs, postcodes (with the house number after them), tokens in URLs, and the whole
value of keys such as password, token, secret, authorization, cookie, session, key, iban, bsn.
Actors are an id and a role, never an e-mail address or a name. The client address is cut to
its network: /24 for IPv4, /48 for IPv6 (enough to see a pattern, not to point at a household).
The path is the URL *pattern* (`werkplek/kandidaten/<int:pk>/`), never the path itself.

Settings: `LOGGING` uses `formatter()` below; LOG_FORMAT chooses "json" (default) or "console"
(readable, for development). Celery signals are connected in `AuditConfig.ready()`."""

from __future__ import annotations

import ipaddress
import re
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import structlog
from structlog.typing import EventDict, Processor

REDACTED = "[redacted]"

# Keys whose whole value is a secret or personal data, wherever they appear.
SECRET_KEY_PATTERN = re.compile(
    r"pass(word|wd)?|token|secret|authori[sz]ation|cookie|session|(^|[_\-.])key($|[_\-.])|"
    r"api_?key|iban|bsn|csrf|signature|credential|otp", re.IGNORECASE)
# Our own fields: never personal data, and their values (ids, times) must stay readable.
TRUSTED_KEYS = frozenset({"time", "level", "logger", "request_id", "task_id", "duration_ms",
                          "status"})

_OPAQUE_CHARS = r"[A-Za-z0-9_\-:.=%]"
PATTERNS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    # Values of secret query parameters: ?token=…, &key=…, &code=…
    (re.compile(r"(?i)([?&;](?:token|key|code|signature|sig|secret|password|session|state|"
                r"email|e-mail|bsn|iban)=)[^&;#\s\"']+"), r"\1" + REDACTED),
    (re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"), "[e-mail]"),
    # IBAN: two letters, two check digits, 11 to 30 letters and digits (grouped by four).
    (re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"), "[iban]"),
    # Dutch phone numbers: 06-12345678, 010 123 4567, +31 6 12345678, 0031612345678.
    (re.compile(r"(?<![\w+])(?:\+31|0031|0)(?:[ \-]?\(0\))?[ \-]?[1-9](?:[ \-]?\d){8}(?!\d)"),
     "[phone]"),
    # BSN-like: any run of exactly 9 digits; 8 or 9 digits in groups with dots or spaces.
    (re.compile(r"(?<!\d)\d{9}(?!\d)"), "[number]"),
    (re.compile(r"(?<![\d.])\d{1,4}(?:[. ]\d{2,4}){1,3}(?![\d.])"),
     lambda m: "[number]" if len(re.sub(r"\D", "", m[0])) in (8, 9) else m[0]),
    # Postcode with an optional house number (and addition): 2711 AB 12-a.
    (re.compile(r"\b[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}\b"
                r"(?:,? ?\d{1,5}(?: ?-? ?[A-Za-z0-9]{1,4}\b)?)?"), "[postcode]"),
    # Opaque tokens in URL paths (signed links, reset keys): long, and letters mixed with digits.
    (re.compile(rf"(?<=/){_OPAQUE_CHARS}{{16,}}(?=[/?#\s\"']|$)"),
     lambda m: "[token]" if _looks_like_token(m[0]) else m[0]),
]


def _looks_like_token(text: str) -> bool:
    if not (re.search(r"\d", text) and re.search(r"[A-Za-z]", text)):
        return False
    return (":" in text or re.search(r"[0-9a-f]{12,}", text) is not None
            or (re.search(r"[A-Z]", text) is not None and re.search(r"[a-z]", text) is not None)
            or "-" not in text)


def redact_text(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {key: _redact_item(str(key), item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_redact_value(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) == 9:
        return "[number]"
    if isinstance(value, bool | int | float) or value is None:
        return value
    return redact_text(str(value))


def _redact_item(key: str, value: Any) -> Any:
    if key in TRUSTED_KEYS:
        return value
    if SECRET_KEY_PATTERN.search(key) and value not in (None, "", [], {}):
        return REDACTED
    return _redact_value(value)


def redact(logger: Any, method_name: str, event_dict: EventDict) -> EventDict:
    """structlog processor: personal data and secrets out of every value of the event."""
    return {key: _redact_item(key, value) for key, value in event_dict.items()}


# --- configuration ---------------------------------------------------------------------------

_TIMESTAMPER = structlog.processors.TimeStamper(fmt="iso", utc=True, key="time")
# Added to lines of both kinds before the formatter renders them.
_COMMON: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.processors.add_log_level,
    _TIMESTAMPER,
]


def configure_structlog() -> None:
    """structlog's own loggers hand their event dict to the standard library, whose handler
    (with `formatter()`) renders it: one pipeline, one format. Idempotent."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_COMMON,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def formatter(renderer: str = "json") -> structlog.stdlib.ProcessorFormatter:
    """The `()` factory of the LOGGING formatter: "json" or "console"."""
    configure_structlog()
    final: Processor
    if renderer == "console":
        final = structlog.dev.ConsoleRenderer(colors=False)
    else:
        final = structlog.processors.JSONRenderer(ensure_ascii=False, default=str)
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_COMMON,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,  # before redact: exception texts too
            redact,
            final,
        ],
    )


def get_logger(name: str) -> Any:
    return structlog.stdlib.get_logger(name)


# --- actors and origins ----------------------------------------------------------------------

# Set at login by accounts (`accounts.roles.remember_roles`): the roles for the log lines.
ROLES_SESSION_KEY = "werktop_roles"


def actor_of(user: Any, request: Any = None) -> dict[str, Any] | None:
    """{"id": 12, "role": "coordinator"}: the role remembered in the session at login (no
    query per request). Never the e-mail address."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    actor: dict[str, Any] = {"id": user.pk}
    session = getattr(request, "session", None)
    request_user = getattr(request, "user", None)
    if session is not None and getattr(request_user, "pk", None) == user.pk:
        roles = session.get(ROLES_SESSION_KEY)
        if roles is not None:
            actor["role"] = ",".join(roles) or "none"
    return actor


def client_network(address: str | None) -> str | None:
    """The client's network, not its address: 192.0.2.0/24, 2001:db8:1::/48."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def client_address(request: Any) -> str | None:
    """The same address the rate limits use: RATELIMIT_IP_META_KEY behind a proxy, else
    REMOTE_ADDR."""
    from django.conf import settings

    key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    return request.META.get(key) or None


def route_of(request: Any) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    return "/" + match.route if match.route is not None else None


_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class RequestLogMiddleware:
    """Binds request_id, schema, actor and origin for every line logged during the request,
    and logs one "request" line per response (status, duration). The request id comes from
    the proxy's X-Request-ID when it looks like one, and goes back in the response."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response
        self.logger = get_logger("werktop.request")

    def __call__(self, request: Any) -> Any:
        from django.db import connection

        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            request_id=request_id, schema=connection.schema_name,
            actor=actor_of(request.user, request),
            origin={"method": request.method, "route": None,
                    "client": client_network(client_address(request))})
        try:
            response = self.get_response(request)
            route = route_of(request)
            origin = {"method": request.method, "route": route,
                      "client": client_network(client_address(request))}
            fields: dict[str, Any] = {}
            if route is None:
                fields["path"] = request.path[:200]  # no pattern (404): redacted like the rest
            structlog.contextvars.bind_contextvars(
                origin=origin, actor=actor_of(request.user, request))
            duration = round((time.perf_counter() - started) * 1000, 1)
            log = self.logger.error if response.status_code >= 500 else self.logger.info
            log("request", status=response.status_code, duration_ms=duration, **fields)
            response.headers.setdefault("X-Request-ID", request_id)
            return response
        finally:
            structlog.contextvars.clear_contextvars()

    def process_view(self, request: Any, view_func: Any, view_args: Any,
                     view_kwargs: Any) -> None:
        """The URL is resolved now: lines logged by the view carry its pattern."""
        structlog.contextvars.bind_contextvars(origin={
            "method": request.method, "route": route_of(request),
            "client": client_network(client_address(request))})


# --- Celery ----------------------------------------------------------------------------------

_task_tokens: dict[str, tuple[Mapping[str, Any], float]] = {}


def task_started(sender: Any = None, task_id: str | None = None, task: Any = None,
                 **kwargs: Any) -> None:
    from django.db import connection

    try:
        from tenant_schemas_celery.app import get_schema_name_from_task

        schema = get_schema_name_from_task(task, kwargs.get("kwargs")) or connection.schema_name
    except Exception:  # noqa: BLE001 - a log field must never break a task
        schema = connection.schema_name
    name = getattr(task, "name", None)
    tokens = structlog.contextvars.bind_contextvars(
        task=name, task_id=task_id, schema=schema, origin={"task": name})
    if task_id is not None:
        _task_tokens[task_id] = (tokens, time.perf_counter())


def task_finished(sender: Any = None, task_id: str | None = None, task: Any = None,
                  state: str | None = None, **kwargs: Any) -> None:
    tokens, started = _task_tokens.pop(task_id, ({}, None)) if task_id else ({}, None)
    fields: dict[str, Any] = {"state": state}
    if started is not None:
        fields["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
    get_logger("werktop.task").info("task", **fields)
    # Back to what was bound before (an eager task inside a request keeps the request's).
    structlog.contextvars.reset_contextvars(**tokens)


def connect() -> None:
    """Called from `AuditConfig.ready()`."""
    from celery.signals import task_postrun, task_prerun

    configure_structlog()
    task_prerun.connect(task_started, dispatch_uid="werktop-logging-task-prerun", weak=False)
    task_postrun.connect(task_finished, dispatch_uid="werktop-logging-task-postrun", weak=False)


__all__ = ["RequestLogMiddleware", "actor_of", "client_network", "configure_structlog",
           "connect", "formatter", "get_logger", "redact", "redact_text"]
