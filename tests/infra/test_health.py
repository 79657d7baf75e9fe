"""Health endpoints (tenants.health): liveness without database or Redis, readiness with the
database, the TLS ask of the proxy, and none of them redirected, host-checked, tenant-routed
or logged per request."""

import json
import logging

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.test import Client, RequestFactory

from tenants import health
from tenants.models import Domain
from tests.conftest import host_of, query_budget

POD = "10.42.7.19:8000"  # how a Kubernetes probe addresses the pod


@pytest.fixture
def probe() -> Client:
    return Client(HTTP_HOST=POD)


def _no_redis(monkeypatch) -> None:
    import redis

    def refuse(*args, **kwargs):
        raise AssertionError("the liveness probe talked to Redis")

    monkeypatch.setattr(redis.Redis, "execute_command", refuse)


def test_live_answers_ok_without_database_or_redis(probe, db, django_assert_num_queries,
                                                   monkeypatch):
    _no_redis(monkeypatch)
    with django_assert_num_queries(0):
        response = probe.get("/health/live")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"


def test_live_works_while_the_database_is_unreachable(probe, monkeypatch):
    """No `db` fixture: any query would fail the test (pytest-django blocks it)."""
    _no_redis(monkeypatch)
    assert probe.get("/health/live").status_code == 200
    assert probe.head("/health/live").status_code == 200


def test_a_pod_ip_host_is_accepted_here_and_refused_elsewhere(probe):
    assert probe.get("/health/live").status_code == 200
    # The same host on any other path fails the ALLOWED_HOSTS check, which django-tenants
    # answers with an empty 404 before any tenant lookup (no `db` fixture: no query ran).
    refused = probe.get("/")
    assert (refused.status_code, refused.content) == (404, b"")


def test_probes_are_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    browser = Client(HTTP_HOST="localhost")
    assert browser.get("/health/live").status_code == 200
    redirected = browser.get("/")
    assert redirected.status_code == 301
    assert redirected["Location"].startswith("https://")


@pytest.mark.parametrize("path", ["/health/live/", "/health/liveness", "/healthz",
                                  "/metrics/", "/health/ready/", "/nl/health/live"])
def test_only_the_exact_paths_are_answered(path):
    passed_on = []

    def downstream(request):
        passed_on.append(request.path)
        return HttpResponse("site")

    middleware = health.HealthMiddleware(downstream)
    response = middleware(RequestFactory().get(path))
    assert passed_on == [path]
    assert response.content == b"site"


def test_other_methods_are_refused(probe):
    response = probe.post("/health/live")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_ready_with_database_and_redis(probe, db):
    response = probe.get("/health/ready")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "redis": "ok"}


def test_redis_down_is_reported_but_keeps_the_pod_ready(probe, db, settings):
    settings.CACHES = {**settings.CACHES, "default": {
        **settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}}
    response = probe.get("/health/ready")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok",
                                            "redis": "unavailable"}


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_down_makes_the_pod_unready_and_the_next_probe_reconnects(
        probe, db, monkeypatch, error):
    wrapper = type(connections["default"])
    closed = []

    def broken_cursor(self, *args, **kwargs):
        raise error("connection refused")

    monkeypatch.setattr(wrapper, "cursor", broken_cursor)
    # Record the close instead of really closing the test's connection (its transaction).
    monkeypatch.setattr(wrapper, "close", lambda self: closed.append(self.alias))
    response = probe.get("/health/ready")
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["database"] == "unavailable"
    assert closed == ["default"]  # so the next probe connects afresh

    monkeypatch.undo()
    assert probe.get("/health/ready").status_code == 200


def test_tls_ask_knows_the_municipalities_and_the_national_host(db, zoetermeer, settings):
    caddy = Client(HTTP_HOST="web:8000")
    host = host_of(zoetermeer)
    with query_budget(1):
        assert caddy.get("/health/tls", {"domain": host}).status_code == 200
    assert caddy.get("/health/tls", {"domain": host.upper() + ":443"}).status_code == 200
    assert caddy.get("/health/tls", {"domain": host + "."}).status_code == 200
    assert caddy.get("/health/tls", {"domain": settings.PLATFORM_DOMAIN}).status_code == 200


def test_tls_ask_knows_a_custom_domain(db, zoetermeer):
    Domain.objects.create(domain="werk.zoetermeer-voorbeeld.nl", tenant=zoetermeer,
                          is_primary=False)
    caddy = Client(HTTP_HOST="web:8000")
    assert caddy.get("/health/tls?domain=werk.zoetermeer-voorbeeld.nl").status_code == 200
    assert caddy.get("/health/tls?domain=zoetermeer-voorbeeld.nl").status_code == 404


@pytest.mark.parametrize("query", ["", "?domain=", "?domain=evil.example",
                                   "?domain=nergens.localhost", "?domain=a%20b.nl",
                                   "?domain=%5B::1%5D", "?domain=" + "a" * 300])
def test_tls_ask_refuses_everything_else(db, query):
    assert Client(HTTP_HOST="web:8000").get("/health/tls" + query).status_code == 404


def test_tls_ask_while_the_database_is_down(db, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "is_known_host", broken)
    monkeypatch.setattr(type(connections["default"]), "close", lambda self: None)
    response = Client(HTTP_HOST="web:8000").get("/health/tls?domain=example.nl")
    assert response.status_code == 503


def test_health_requests_write_no_request_log_line(probe, db, zoetermeer, caplog):
    with caplog.at_level(logging.INFO, logger="werktop.request"):
        probe.get("/health/live")
        probe.get("/health/ready")
        Client(HTTP_HOST="web:8000").get("/health/tls?domain=evil.example")
        assert [r for r in caplog.records if r.name == "werktop.request"] == []
        # An ordinary page does log its line (so the check above can fail).
        Client(HTTP_HOST=host_of(zoetermeer)).get("/werkplek/")
        assert [r for r in caplog.records if r.name == "werktop.request"] != []
    assert not [r for r in caplog.records if r.name == "django.request"]
