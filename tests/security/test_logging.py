"""Structured logs: one JSON object per line with time, level, logger and event; requests
carry request id, schema, actor (id and role, never the e-mail) and origin (method, URL
pattern, client network); personal data and secrets are redacted wherever they appear;
security events are structured lines with actor, action, object, result, origin and time.

The lines are captured with a handler of our own (the formatter from settings.LOGGING), so the
tests do not depend on pytest's logging plugin (`-p no:logging`)."""

import io
import json
import logging
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
import structlog
from django.conf import settings
from django.contrib.auth.models import Group
from django_tenants.utils import tenant_context

from accounts.roles import Role
from core.logging import client_network, formatter, redact_text
from relations import privacy
from tests.conftest import PASSWORD, client_for, make_user
from tests.relations.conftest import new_candidate
from werktop.celery import app

pytestmark = pytest.mark.django_db

Lines = Callable[[], list[dict]]


@pytest.fixture
def log_lines() -> Iterator[Lines]:
    """Everything logged during the test, as rendered by the production formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    config = settings.LOGGING["formatters"]["structured"]
    handler.setFormatter(formatter(config.get("renderer", "json")))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]

    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


@pytest.fixture(autouse=True)
def _json(settings):
    settings.LOGGING["formatters"]["structured"]["renderer"] = "json"


def _login(client, email: str, password: str = PASSWORD):
    return client.post("/account/login/", {"login": email, "password": password})


def test_every_line_is_a_json_object_with_time_level_logger_and_event(log_lines):
    structlog.get_logger("werktop.test").info("structured", count=3)
    logging.getLogger("werktop.test.stdlib").warning("plain %s message", "old-style")
    first, second = log_lines()
    assert first["event"] == "structured" and first["count"] == 3
    assert second["event"] == "plain old-style message"
    for line in (first, second):
        assert {"time", "level", "logger", "event"} <= line.keys()
        assert datetime.fromisoformat(line["time"]).utcoffset().total_seconds() == 0
    assert (first["level"], second["level"]) == ("info", "warning")
    assert (first["logger"], second["logger"]) == ("werktop.test", "werktop.test.stdlib")


def test_a_request_line_has_the_actor_id_role_and_route_but_no_e_mail(zoetermeer, log_lines):
    alice = make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    with tenant_context(zoetermeer):
        candidate = new_candidate(alice)
    client = client_for(zoetermeer)
    assert _login(client, "alice@zoetermeer.example").status_code == 302
    response = client.get(f"/werkplek/kandidaten/{candidate.pk}/", REMOTE_ADDR="192.0.2.77")
    assert response.status_code == 200
    lines = log_lines()
    (line,) = [x for x in lines if x["event"] == "request"
               and x["origin"]["route"] == "/werkplek/kandidaten/<int:pk>/"]
    assert line["actor"] == {"id": alice.pk, "role": "relationship_manager"}
    assert line["schema"] == zoetermeer.schema_name
    assert line["origin"] == {"method": "GET", "route": "/werkplek/kandidaten/<int:pk>/",
                              "client": "192.0.2.0/24"}
    assert line["status"] == 200 and line["duration_ms"] >= 0
    assert response["X-Request-ID"] == line["request_id"]
    # The view of the candidate file is an audit line of the same request.
    (audit,) = [x for x in lines if x["event"] == "audit" and x["action"] == "view"]
    assert audit["request_id"] == line["request_id"]
    assert audit["object"] == {"type": "candidate", "id": str(candidate.pk)}
    everything = json.dumps(lines)
    assert "alice@zoetermeer.example" not in everything and "192.0.2.77" not in everything
    assert "Samira" not in everything and "Bouzid" not in everything
    assert f"/werkplek/kandidaten/{candidate.pk}/" not in everything  # the pattern only


def test_personal_data_and_secrets_are_redacted_everywhere(log_lines):
    link = "https://zoetermeer.localhost/bevestigen/MTIz:1tAbCd:x9YzQwErTy12/?token=s3cr3tT0k"
    structlog.get_logger("werktop.test").info(
        "note about jan.jansen@example.org, BSN 111222333, tel 06-12345678",
        iban="NL91ABNA0417164300", password="hunter2-geheim", url=link,
        nested={"contact": ["bel +31 6 87654321", "Dorpsstraat 1, 2711 AB 12"],
                "Authorization": "Token abcdef0123456789", "bsn_copy": "1112.22.333"},
        bsn=111222333)
    logging.getLogger("django.request").warning("Bad Request: %s", link)
    try:
        raise ValueError("duplicate key (email)=(piet@example.org) NL91 ABNA 0417 1643 00")
    except ValueError:
        logging.getLogger("werktop.test").exception("failed")
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in log_lines())
    for secret in ("jan.jansen@example.org", "111222333", "06-12345678", "NL91ABNA0417164300",
                   "hunter2-geheim", "MTIz:1tAbCd:x9YzQwErTy12", "s3cr3tT0k", "87654321",
                   "2711 AB", "abcdef0123456789", "1112.22.333", "piet@example.org",
                   "NL91 ABNA"):
        assert secret not in text, secret
    first, second, third = log_lines()
    assert first["password"] == first["iban"] == first["bsn"] == "[redacted]"
    assert first["event"] == "note about [e-mail], BSN [number], tel [phone]"
    assert first["nested"]["contact"] == ["bel [phone]", "Dorpsstraat 1, [postcode]"]
    assert first["url"].startswith("https://zoetermeer.localhost/bevestigen/[token]/?token=")
    assert "ValueError" in third["exception"] and "[e-mail]" in third["exception"]
    # What is not personal stays readable.
    assert redact_text("/werkplek/kandidaten/12/ kvk 27312152 v5.2.19") == (
        "/werkplek/kandidaten/12/ kvk 27312152 v5.2.19")


def test_client_addresses_are_cut_to_their_network():
    assert client_network("192.0.2.77") == "192.0.2.0/24"
    assert client_network("2001:db8:1:2:3:4:5:6") == "2001:db8:1::/48"
    assert client_network("not an address") is None and client_network(None) is None


def test_security_events_are_structured_lines(zoetermeer, log_lines):
    alice = make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    carol = make_user(zoetermeer, Role.COORDINATOR, "carol@zoetermeer.example")
    with tenant_context(zoetermeer):
        candidate = new_candidate(alice)
    client = client_for(zoetermeer)
    _login(client, "alice@zoetermeer.example", "wrong-password")
    _login(client, "alice@zoetermeer.example")
    assert client.get("/werkplek/doelen/periode/").status_code == 403
    assert client.get("/werkplek/kandidaten/?bestand=csv").status_code == 200
    with tenant_context(zoetermeer):
        alice.groups.add(Group.objects.get(name="Redacteur"))
        privacy.erase_candidate(candidate.pk, by=carol, reason="verzoek van Samira Bouzid")
    audit = [line for line in log_lines() if line["event"] == "audit"]
    by_action = {line["action"]: line for line in audit}
    assert {"login_failed", "login", "denied", "export", "role_change", "erase"} <= by_action.keys()
    for line in audit:
        assert {"time", "action", "object", "result", "actor"} <= line.keys(), line
    assert by_action["login_failed"]["result"] == "failure"
    assert by_action["login_failed"]["actor"] is None
    assert by_action["login"]["actor"] == {"id": alice.pk, "role": "relationship_manager"}
    assert by_action["login"]["origin"]["route"] == "/account/login/"
    assert by_action["denied"]["result"] == "denied"
    assert by_action["denied"]["origin"]["route"] == "/werkplek/doelen/periode/"
    summaries = [line["detail"] for line in audit if line["action"] == "export"
                 and line["object"] == {"type": "candidate", "id": None}]
    # and the per-candidate entries (written in bulk) as one line with their count
    assert "1 rijen, csv" in summaries and "1 x lijst, csv" in summaries
    assert by_action["role_change"]["object"] == {"type": "account", "id": str(alice.pk)}
    assert by_action["erase"]["object"] == {"type": "candidate", "id": str(candidate.pk)}
    assert by_action["erase"]["actor"] == {"id": carol.pk}
    assert "detail" not in by_action["erase"]  # typed by a person: never in the log
    text = json.dumps(audit)
    assert "zoetermeer.example" not in text and "Samira" not in text


def test_a_security_event_on_the_national_site_is_a_log_line(national, log_lines):
    make_user(national, Role.OPERATOR, "ops@werktop.example")
    _login(client_for(national), "ops@werktop.example")
    (line,) = [x for x in log_lines() if x["event"] == "audit"]
    assert line["action"] == "login" and line["schema"] == "public"
    assert "ops@werktop.example" not in json.dumps(line)


@app.task(name="tests.log_probe")
def _log_probe() -> None:
    structlog.get_logger("werktop.test").info("inside the task")


def test_task_lines_carry_the_task_and_the_municipality(zoetermeer, log_lines):
    with tenant_context(zoetermeer):
        _log_probe.delay()
    lines = [x for x in log_lines() if x.get("task") == "tests.log_probe"]
    (inside,) = [x for x in lines if x["event"] == "inside the task"]
    (done,) = [x for x in lines if x["event"] == "task"]
    assert inside["schema"] == zoetermeer.schema_name and inside["task_id"]
    assert inside["origin"] == {"task": "tests.log_probe"}
    assert done["event"] == "task" and done["state"] == "SUCCESS"
    structlog.get_logger("werktop.test").info("after")
    assert "task" not in log_lines()[-1]  # unbound again after the task
