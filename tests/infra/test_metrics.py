"""Prometheus metrics (core.metrics) at /metrics: token, labels without ids, counts per
municipality, broker queue lengths, the outbox, Celery task counters, multiprocess mode."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from celery.signals import task_retry
from django.test import Client
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from core.models import OutboxTask
from tests.conftest import host_of
from werktop.celery import app as celery_app

TOKEN = "metrics-test-token-0123456789"
REPO = Path(__file__).resolve().parents[2]


@celery_app.task(name="tests.infra.metrics_probe")
def metrics_probe(fail: bool = False) -> str:
    if fail:
        raise RuntimeError("probe failed")
    return "done"


@pytest.fixture
def scrape(settings):
    """GET /metrics with the right token, as Prometheus does; the parsed families."""
    settings.METRICS_TOKEN = TOKEN

    def get() -> dict[str, list]:
        response = Client(HTTP_HOST="10.42.7.19:8000").get(
            "/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200, response.content
        text = response.content.decode()
        get.text = text
        return {family.name: family.samples for family in text_string_to_metric_families(text)}

    return get


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


# --- the endpoint ------------------------------------------------------------------------------

def test_metrics_are_off_without_a_token(settings):
    settings.METRICS_TOKEN = ""
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert Client().get("/metrics").status_code == 404


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer wrong-token",
                                           f"Basic {TOKEN}", f"Bearer {TOKEN}x",
                                           f"Bearer {TOKEN[:-1]}"])
def test_metrics_refuse_a_missing_or_wrong_token(settings, authorization):
    settings.METRICS_TOKEN = TOKEN
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = Client(HTTP_HOST="10.42.7.19:8000").get("/metrics", **headers)
    assert response.status_code == 403
    assert b"werktop" not in response.content


def test_metrics_with_the_token(db, scrape):
    families = scrape()
    assert "werktop_http_requests" in families
    assert "werktop_celery_broker_up" in families
    assert "process_cpu_seconds" in families or "python_info" in families


# --- requests ----------------------------------------------------------------------------------

def test_routes_are_url_patterns_never_paths(db, zoetermeer, national, scrape):
    route = "/werkplek/kandidaten/<int:pk>/"
    before = _value("werktop_http_requests_total", method="GET", status="302", route=route)
    timed = _value("werktop_http_request_duration_seconds_count", route=route)
    response = Client(HTTP_HOST=host_of(zoetermeer)).get("/werkplek/kandidaten/987654/")
    assert response.status_code == 302  # anonymous: to the login page
    assert _value("werktop_http_requests_total", method="GET", status="302",
                  route=route) == before + 1
    assert _value("werktop_http_request_duration_seconds_count", route=route) == timed + 1

    unmatched = _value("werktop_http_requests_total", method="GET", status="404",
                       route="unmatched")
    lost = Client(HTTP_HOST=host_of(national)).get("/bestaat-niet/jan.jansen@example.org/")
    assert lost.status_code == 404
    assert _value("werktop_http_requests_total", method="GET", status="404",
                  route="unmatched") == unmatched + 1

    scrape()
    for raw in ("987654", "bestaat-niet", "jansen", "example.org"):
        assert raw not in scrape.text


def _samples(name: str) -> list:
    return [sample for family in REGISTRY.collect() for sample in family.samples
            if sample.name == name]


def test_unknown_methods_and_hosts_stay_bounded(db, national):
    def others() -> float:
        return sum(s.value for s in _samples("werktop_http_requests_total")
                   if s.labels["method"] == "other")

    before = others()
    Client(HTTP_HOST=host_of(national)).generic("BREW", "/koffie/")
    assert others() == before + 1
    assert not [s for s in _samples("werktop_http_requests_total")
                if s.labels["method"] == "BREW"]

    schemas = {s.labels["schema"] for s in _samples("werktop_municipality_requests_total")}
    assert Client(HTTP_HOST="nergens.localhost").get("/").status_code == 404
    after = {s.labels["schema"] for s in _samples("werktop_municipality_requests_total")}
    assert after == schemas  # an unknown host is no municipality


def test_requests_are_counted_per_municipality(db, zoetermeer, hilversum, national):
    def count(municipality) -> float:
        return _value("werktop_municipality_requests_total", schema=municipality.schema_name)

    before = {m.schema_name: count(m) for m in (zoetermeer, hilversum, national)}
    assert Client(HTTP_HOST=host_of(zoetermeer)).get("/").status_code == 200
    hilversum_browser = Client(HTTP_HOST=host_of(hilversum))
    assert hilversum_browser.get("/").status_code == 200
    assert hilversum_browser.get("/werkplek/").status_code == 302
    Client(HTTP_HOST=host_of(national)).get("/")
    assert count(zoetermeer) == before[zoetermeer.schema_name] + 1
    assert count(hilversum) == before[hilversum.schema_name] + 2
    assert national.schema_name == "public"
    assert count(national) == before["public"] + 1


def test_health_probes_are_not_counted(db):
    before = _value("werktop_http_requests_total", method="GET", status="200",
                    route="unmatched")
    Client(HTTP_HOST="10.42.7.19:8000").get("/health/live")
    Client(HTTP_HOST="10.42.7.19:8000").get("/health/ready")
    assert _value("werktop_http_requests_total", method="GET", status="200",
                  route="unmatched") == before


# --- scrape-time figures -----------------------------------------------------------------------

@pytest.fixture
def broker_prefix(settings):
    """Queue keys of this test only (kombu's global_keyprefix), removed afterwards."""
    prefix = f"metrics-test-{uuid.uuid4().hex[:8]}:"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": prefix}
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    yield prefix, client
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_queue_lengths_come_from_the_broker(db, scrape, broker_prefix):
    prefix, client = broker_prefix
    client.lpush(f"{prefix}urgent", "m1", "m2", "m3")
    client.lpush(f"{prefix}urgent\x06\x169", "high-priority")  # kombu's priority list
    client.lpush(f"{prefix}background", "m4")
    client.lpush(f"{prefix}elsewhere", "not ours")
    families = scrape()
    lengths = {s.labels["queue"]: s.value for s in families["werktop_celery_queue_length"]}
    assert lengths == {"urgent": 4, "default": 0, "background": 1}
    assert families["werktop_celery_broker_up"][0].value == 1


def test_broker_down_is_a_gauge_not_an_error(db, scrape, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    families = scrape()
    assert families["werktop_celery_broker_up"][0].value == 0
    assert "werktop_celery_queue_length" not in families


def test_the_outbox_size(db, scrape):
    waiting = OutboxTask.objects.count()
    for number in range(3):
        OutboxTask.objects.create(task="werktop.relay_outbox", args=[number],
                                  schema_name="public")
    families = scrape()
    assert families["werktop_outbox_tasks"][0].value == waiting + 3


# --- Celery ------------------------------------------------------------------------------------

def test_task_counters_by_name_and_state():
    name = "tests.infra.metrics_probe"
    success = _value("werktop_celery_tasks_total", task=name, state="success")
    failure = _value("werktop_celery_tasks_total", task=name, state="failure")
    retry = _value("werktop_celery_tasks_total", task=name, state="retry")
    assert metrics_probe.apply().successful()
    # throw=False: with eager propagation celery raises before it signals the failure.
    assert metrics_probe.apply(kwargs={"fail": True}, throw=False).failed()
    task_retry.send(sender=metrics_probe, request=None, reason="broker busy", einfo=None)
    assert _value("werktop_celery_tasks_total", task=name, state="success") == success + 1
    assert _value("werktop_celery_tasks_total", task=name, state="failure") == failure + 1
    assert _value("werktop_celery_tasks_total", task=name, state="retry") == retry + 1


def test_a_worker_serves_its_task_counters_on_its_own_port(monkeypatch):
    import socket
    import urllib.request

    from core import metrics

    monkeypatch.delenv("CELERY_METRICS_PORT", raising=False)
    assert metrics.start_worker_exporter() is None  # off by default
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("CELERY_METRICS_PORT", str(port))
    server = metrics.start_worker_exporter()
    try:
        metrics_probe.apply()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
            text = answer.read().decode()
    finally:
        server.shutdown()
        server.server_close()
    samples = [s for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == "werktop_celery_tasks_total"]
    assert {"task": "tests.infra.metrics_probe", "state": "success"} in [
        s.labels for s in samples]


# --- multiprocess mode -------------------------------------------------------------------------

_CHILD = """
from core import metrics
metrics.CELERY_TASKS.labels(task="tests.infra.multiprocess", state="success").inc()
metrics.HTTP_REQUESTS.labels(method="GET", status="200", route="/multiprocess/").inc()
"""


def test_multiprocess_mode_adds_up_every_process(db, scrape, tmp_path, monkeypatch):
    """Two other processes count into PROMETHEUS_MULTIPROC_DIR; /metrics, answered by this
    one, reports their sum."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder),
           "DJANGO_SETTINGS_MODULE": "werktop.settings.test"}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", _CHILD], cwd=REPO, env=env, check=True,
                       timeout=120)
    assert len(list(folder.glob("*.db"))) >= 2
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    families = scrape()
    tasks = [s for s in families["werktop_celery_tasks"]
             if s.labels.get("task") == "tests.infra.multiprocess"
             and s.name.endswith("_total")]
    assert [s.value for s in tasks] == [2.0]
    requests = [s for s in families["werktop_http_requests"]
                if s.labels.get("route") == "/multiprocess/" and s.name.endswith("_total")]
    assert [s.value for s in requests] == [2.0]
    assert "werktop_celery_broker_up" in families  # the scrape-time figures are there too
