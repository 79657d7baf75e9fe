"""Sentry (core.sentry): off without SENTRY_DSN; with it, an exception in a request is
captured with the municipality's schema as tag and without personal data or secrets.

The capture runs in a child process (this file run as a script) with a fake transport in
place of the HTTP client: sentry_sdk's integrations patch Django for the rest of a process's
life, and the test process must stay as the other tests expect it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import sentry_sdk
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django_tenants.utils import schema_context
from sentry_sdk.transport import Transport

REPO = Path(__file__).resolve().parents[2]
DSN = "https://public-key@sentry.invalid/42"  # never reached: the transport is replaced
PERSONAL = ["jan.jansen@example.org", "123456789", "06-12345678", "NL91ABNA0417164300",
            "2711 AB", "geheime-sessie-waarde", "s3cr3t-bearer-token", "Pietersen",
            "Klaassen", "pieter%40example.org", "pieter@example.org"]


class RecordingTransport(Transport):
    """Keeps what would have been sent to Sentry."""

    envelopes: list = []

    def capture_envelope(self, envelope) -> None:
        RecordingTransport.envelopes.append(envelope)


# --- the view the child process breaks -------------------------------------------------------

def boom(request: HttpRequest) -> HttpResponse:
    # A local variable (built here, so the source line sent as context does not hold it).
    candidate_name = "".join(["Piet ", "Pieter", "sen"])
    raise ValueError(f"import failed for jan.jansen@example.org (BSN 123456789, tel "
                     f"06-12345678, IBAN NL91ABNA0417164300, 2711 AB 12) of {len(candidate_name)}")


urlpatterns = [path("boom/", boom)]


# --- in the test process -------------------------------------------------------------------------

def test_nothing_is_started_or_sent_without_a_dsn(settings):
    from core import sentry

    settings.SENTRY_DSN = ""
    RecordingTransport.envelopes = []
    assert sentry.init(transport=RecordingTransport) is False
    assert not sentry_sdk.get_client().is_active()
    try:
        raise ValueError("jan.jansen@example.org")
    except ValueError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush()
    assert RecordingTransport.envelopes == []


def test_the_web_server_worker_and_beat_start_it(monkeypatch):
    import importlib

    from celery.signals import beat_init, celeryd_init

    from core import sentry

    calls = []
    monkeypatch.setattr(sentry, "init", lambda **kwargs: calls.append("init") or False)
    sys.modules.pop("werktop.wsgi", None)
    importlib.import_module("werktop.wsgi")
    assert calls == ["init"]
    celeryd_init.send(sender="worker@test", instance=None, conf=None, options={})
    beat_init.send(sender=None)
    assert calls == ["init"] * 3


def test_scrub_removes_personal_data_and_secrets_and_tags_the_schema(db, zoetermeer):
    from core.sentry import scrub

    event = {
        "event_id": "a987654321bcdef0a987654321bcdef0",
        "level": "error",
        "message": "mail to jan.jansen@example.org failed",
        "exception": {"values": [{"type": "ValueError", "value": "BSN 123456789",
                                  "stacktrace": {"frames": [{"lineno": 12, "function": "f"}]}}]},
        "request": {"url": "https://zoetermeer.example/werkplek/kandidaten/5/",
                    "query_string": "email=pieter%40example.org&pagina=2",
                    "headers": {"Authorization": "Bearer s3cr3t-bearer-token",
                                "Cookie": "sessionid=geheime-sessie-waarde",
                                "User-Agent": "probe"}},
        "extra": {"password": "hunter2-geheim", "phone": "06-12345678", "count": 123456789,
                  "iban": "NL91ABNA0417164300", "address": "Dorpsstraat, 2711 AB 12"},
        # Ids are kept as they are, also where they hold a run of 9 digits.
        "contexts": {"trace": {"trace_id": "0987654321abcdef0987654321abcdef",
                               "span_id": "a987654321bcdef0"}},
        "tags": {"queue": "default"},
    }
    with schema_context(zoetermeer.schema_name):
        cleaned = scrub(event, {})
    text = json.dumps(cleaned)
    for value in PERSONAL + ["hunter2-geheim"]:
        assert value not in text, value
    assert cleaned["event_id"] == event["event_id"]
    assert cleaned["contexts"]["trace"] == event["contexts"]["trace"]
    assert cleaned["exception"]["values"][0]["type"] == "ValueError"
    assert cleaned["exception"]["values"][0]["stacktrace"]["frames"][0]["lineno"] == 12
    assert cleaned["request"]["headers"]["User-Agent"] == "probe"
    assert "pagina=2" in cleaned["request"]["query_string"]
    assert cleaned["tags"] == {"queue": "default", "schema": zoetermeer.schema_name}
    assert connection.schema_name == "public"


def test_an_exception_is_captured_redacted_and_tagged(django_db_setup, zoetermeer, tmp_path):
    db = connection.settings_dict
    out = tmp_path / "sentry.json"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "werktop.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "SENTRY_DSN": DSN, "SENTRY_ENVIRONMENT": "drill", "SENTRY_TRACES_SAMPLE_RATE": "0",
           "LOG_LEVEL": "CRITICAL"}
    host = zoetermeer.get_primary_domain().domain
    done = subprocess.run([sys.executable, __file__, host, str(out)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["status"] == 500
    events = result["events"]
    assert events, "nothing captured"
    errors = [e for e in events if e.get("exception")]
    assert [v["type"] for e in errors for v in e["exception"]["values"]] == ["ValueError"]
    (event,) = errors
    assert event["environment"] == "drill"
    assert event["tags"]["schema"] == zoetermeer.schema_name
    assert "[e-mail]" in event["exception"]["values"][0]["value"]
    assert "user" not in event or not event["user"].get("ip_address")
    for value in PERSONAL:
        assert value not in result["raw"], value


# --- the child process ---------------------------------------------------------------------------

def _child(host: str, out: str) -> None:
    import django

    sys.path[:0] = [str(REPO), str(REPO / "platform")]
    django.setup()
    from django.test import Client, override_settings

    from core import sentry

    assert sentry.init(transport=RecordingTransport) is True
    assert sentry.init(transport=RecordingTransport) is True  # idempotent
    with override_settings(ROOT_URLCONF="tests.infra.test_sentry"):
        browser = Client(HTTP_HOST=host, raise_request_exception=False)
        browser.cookies["sessionid"] = "geheime-sessie-waarde"
        response = browser.post(
            "/boom/?email=pieter%40example.org", {"naam": "Klaassen", "bsn": "123456789"},
            HTTP_AUTHORIZATION="Bearer s3cr3t-bearer-token")
    sentry_sdk.flush(timeout=10)
    events, raw = [], []
    for envelope in RecordingTransport.envelopes:
        raw.append(envelope.serialize().decode("utf-8", "replace"))
        events += [item.payload.json for item in envelope.items if item.type == "event"]
    Path(out).write_text(json.dumps({"status": response.status_code, "events": events,
                                     "raw": "\n".join(raw)}))


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2])
