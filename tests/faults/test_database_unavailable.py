"""While the database cannot be reached, visitors get the Dutch 503 page with Retry-After,
wherever the request failed (the tenant lookup, a view); other errors stay a 500."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from django_tenants.middleware.main import TenantMainMiddleware

from cms.models import HomePage
from core import db_errors
from tests.conftest import host_of

pytestmark = pytest.mark.faults


def visitor(municipality, **cookies) -> Client:
    client = Client(HTTP_HOST=host_of(municipality), raise_request_exception=False)
    client.cookies.load(cookies)
    return client


def gone(*args, **kwargs):
    raise OperationalError("connection to server at \"127.0.0.1\" failed: Connection refused")


def test_database_down_at_the_tenant_lookup_is_a_503_page(zoetermeer, monkeypatch):
    monkeypatch.setattr(TenantMainMiddleware, "get_tenant", gone)
    response = visitor(zoetermeer).post("/bijeenkomsten/1/", {"first_name": "Jan"})
    assert response.status_code == 503
    assert response["Retry-After"] == str(db_errors.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert '<html lang="nl">' in page
    with translation.override("nl"):  # the Dutch catalogue's wording
        assert gettext("One moment, please") in page
    assert "Content-Security-Policy" in response  # the security middleware still wraps it


def test_database_down_in_a_view_is_a_503_page_in_the_chosen_language(zoetermeer, monkeypatch):
    monkeypatch.setattr(HomePage, "serve", gone)
    response = visitor(zoetermeer, django_language="en").get("/")
    assert response.status_code == 503
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_other_errors_stay_a_500(zoetermeer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(HomePage, "serve", broken)
    assert visitor(zoetermeer).get("/").status_code == 500


def test_with_debug_on_the_developer_keeps_the_error_page(zoetermeer, monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.setattr(HomePage, "serve", gone)
    response = visitor(zoetermeer).get("/")
    assert response.status_code == 500
    assert "OperationalError" in response.content.decode()
