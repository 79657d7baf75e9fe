"""Shared fixtures. The test database gets, once per session and committed: the national
site, the template schema and two municipalities (Zoetermeer and Hilversum). Tests run in
transactions on top of that, so whatever a test provisions is rolled back."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context, tenant_context

from accounts.roles import Role
from accounts.services import create_user_with_role
from tenants.models import Municipality
from tenants.services import ensure_national_site, ensure_template_schema, provision_municipality

PASSWORD = "correct-horse-battery"  # noqa: S105
ZOETERMEER, HILVERSUM = "GM0637", "GM0402"


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """Always create the test database, also when only end-to-end tests are collected
    (pytest-django's own fixture creates it only for tests that ask for `db`, and the e2e tests
    must not: their data has to be committed for the web server and the worker to see it)."""
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=verbosity, interactive=False, aliases={"default"})
        assert connection.settings_dict["NAME"].startswith("test_")
        ensure_national_site()
        ensure_template_schema()
        for code in (ZOETERMEER, HILVERSUM):
            provision_municipality(code)
        cache.clear()
    yield
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        teardown_databases(config, verbosity=verbosity)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: no rate-limit counters (allauth counts logins
    per address in the cache) or cached pages from an earlier test."""
    cache.clear()


@pytest.fixture(autouse=True)
def _temporary_media(settings, tmp_path, tmp_path_factory):
    """Uploads of a test go to its own temporary folders (public media, and private files
    outside it), never to the real media folder.
    django-tenants' storage caches its root and does not forget it when MEDIA_ROOT changes,
    so the storages are rebuilt before and after."""
    from django.core.files.storage import default_storage, storages
    from django.utils.functional import empty

    def rebuild() -> None:
        storages._storages.clear()
        default_storage._wrapped = empty

    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private-media")
    rebuild()
    yield
    rebuild()


@pytest.fixture(autouse=True)
def _back_to_public_schema():
    """A request through the tenant middleware leaves the connection in that tenant's schema;
    every test starts and ends in the public schema."""
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


@pytest.fixture
def zoetermeer(db) -> Municipality:
    return Municipality.objects.get(cbs_code=ZOETERMEER)


@pytest.fixture
def hilversum(db) -> Municipality:
    return Municipality.objects.get(cbs_code=HILVERSUM)


@pytest.fixture
def national(db) -> Municipality:
    return Municipality.objects.get(schema_name="public")


def host_of(municipality: Municipality) -> str:
    return municipality.get_primary_domain().domain


def client_for(municipality: Municipality) -> Client:
    """A browser pointed at the municipality's (or the national site's) host."""
    return Client(HTTP_HOST=host_of(municipality))


def make_user(municipality: Municipality, role: Role, email: str):
    """A user with a role, created in the municipality's (or the national) schema."""
    if municipality.schema_name == "public":
        with schema_context("public"):
            return create_user_with_role(email, PASSWORD, role)
    with tenant_context(municipality):
        return create_user_with_role(email, PASSWORD, role)


@contextmanager
def query_budget(limit: int) -> Iterator[None]:
    """At most `limit` queries, not counting django-tenants' `SET search_path` statements."""
    with CaptureQueriesContext(connection) as captured:
        yield
    queries = [q["sql"] for q in captured.captured_queries
               if not q["sql"].startswith("SET search_path")]
    assert len(queries) <= limit, f"{len(queries)} queries:\n" + "\n".join(queries)


# Every test in these folders carries the folder's marker (pyproject.toml), also the files added
# later; `make test-fast` leaves them out, and the files that set `pytestmark = pytest.mark.slow`.
FOLDER_MARKERS = {"tests/e2e": "e2e", "tests/faults": "faults"}
# Whole-site sweeps and real processes: each takes seconds (the slowest in `--durations`);
# `make test` runs them, the quick loop does not.
SLOW_FILES = {
    "tests/security/test_tenant_isolation_suite.py",  # every URL pattern of two municipalities
    "tests/security/test_headers.py",  # every page of both sites
    "tests/security/test_one_login.py",  # a password POSTed to every URL pattern
    "tests/security/test_private_files.py",  # hypothesis over request paths
    "tests/security/test_exit.py",  # a full export and deletion
    "tests/security/test_backup.py",  # pg_dump and a restore
    "tests/matching_events/test_meetup_visibility.py",  # every meetup page for every role
    "tests/infra/test_sentry.py",  # a real Sentry envelope round trip
    "tests/infra/test_deploy_check.py",  # manage.py check --deploy in a subprocess
    "tests/test_settings.py",  # production settings started in subprocesses
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        path = item.nodeid.split("::")[0]
        folder = "/".join(path.split("/")[:2])
        if folder in FOLDER_MARKERS:
            item.add_marker(FOLDER_MARKERS[folder])
        if path in SLOW_FILES:
            item.add_marker("slow")
