import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.utils import translation
from django_tenants.utils import schema_exists, tenant_context
from wagtail.models import Page, Site

from accounts.roles import ROLES, Role
from cms.models import HomePage
from tenants.models import Domain, Municipality
from tenants.services import (
    ProvisioningError,
    TemplateSchemaMissing,
    provision_municipality,
    template_is_current,
)
from tests.conftest import client_for

ZAANSTAD = "GM0479"


def test_provisioning_creates_a_working_municipality(db):
    zaanstad = provision_municipality(ZAANSTAD)

    assert (zaanstad.name, zaanstad.province) == ("Zaanstad", "Noord-Holland")
    assert zaanstad.schema_name == "gm0479" and schema_exists("gm0479")
    assert zaanstad.get_primary_domain().domain == "zaanstad.localhost"
    assert (zaanstad.target_employer_contacts, zaanstad.target_regular_jobs,
            zaanstad.target_work_experience_places) == (70, 40, 20)
    assert zaanstad.period_start < zaanstad.period_end
    with tenant_context(zaanstad):
        home = HomePage.objects.get()
        assert home.title == "Werk in Zaanstad" and home.live
        assert Site.objects.get().root_page_id == home.pk
        municipal_groups = {s.group_name for s in ROLES.values() if not s.national}
        assert set(Group.objects.values_list("name", flat=True)) == municipal_groups
        coordinator = Group.objects.get(name=ROLES[Role.COORDINATOR].group_name)
        assert coordinator.permissions.filter(codename="manage_targets").exists()

    response = client_for(zaanstad).get("/")
    assert response.status_code == 200
    assert "Werk in Zaanstad" in response.content.decode()


def test_a_cloned_municipality_records_every_migration_as_applied(db):
    zaanstad = provision_municipality(ZAANSTAD)
    with tenant_context(zaanstad):
        executor = MigrationExecutor(connection)
        assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def _snapshot(municipality):
    with tenant_context(municipality):
        return (list(Page.objects.values_list("id", "title", "path")),
                list(Site.objects.values_list("id", "hostname", "root_page_id")))


def test_provisioning_the_same_cbs_code_twice_is_refused_and_changes_nothing(zoetermeer):
    tenants_before = list(Municipality.objects.values_list("id", "schema_name", "name"))
    domains_before = list(Domain.objects.values_list("id", "domain", "tenant_id"))
    portal_before = _snapshot(zoetermeer)
    with translation.override("nl"), pytest.raises(ProvisioningError) as error:
        provision_municipality("gm0637")
    assert str(error.value) == "Zoetermeer (GM0637) is al aangesloten op het platform."
    assert list(Municipality.objects.values_list("id", "schema_name", "name")) == tenants_before
    assert list(Domain.objects.values_list("id", "domain", "tenant_id")) == domains_before
    assert _snapshot(zoetermeer) == portal_before


def test_a_schema_left_behind_is_never_reused(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA gm0479")
        cursor.execute("CREATE TABLE gm0479.old_data (id int)")
    with translation.override("nl"), pytest.raises(ProvisioningError) as error:
        provision_municipality(ZAANSTAD)
    assert "bestaat al" in str(error.value)
    assert not Municipality.objects.filter(cbs_code=ZAANSTAD).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables "
                       "WHERE table_schema = 'gm0479'")
        assert cursor.fetchone()[0] == 1


@pytest.mark.parametrize(("code", "message"), [
    ("GM9999", "Er is geen Nederlandse gemeente met CBS-code GM9999."),
    ("Zoetermeer", "“Zoetermeer” is geen CBS-gemeentecode: gebruik GM gevolgd door vier cijfers, "
                   "bijvoorbeeld GM0637."),
    ("", "“” is geen CBS-gemeentecode: gebruik GM gevolgd door vier cijfers, "
         "bijvoorbeeld GM0637."),
])
def test_an_invalid_cbs_code_is_refused_with_a_clear_message(db, code, message):
    before = Municipality.objects.count()
    with translation.override("nl"), pytest.raises(ProvisioningError) as error:
        provision_municipality(code)
    assert str(error.value) == message
    assert Municipality.objects.count() == before


def test_provisioning_without_the_template_fails_loudly(db):
    with override_settings(TENANT_BASE_SCHEMA="no_such_template"):
        with pytest.raises(TemplateSchemaMissing):
            provision_municipality(ZAANSTAD)
    assert not Municipality.objects.filter(cbs_code=ZAANSTAD).exists()
    assert not schema_exists("gm0479")


def test_the_template_is_kept_migrated(db):
    assert template_is_current()


def test_create_municipality_command(db, capsys):
    call_command("create_municipality", "--cbs", ZAANSTAD)
    assert "Zaanstad (GM0479)" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("create_municipality", "--cbs", ZAANSTAD)


def test_the_template_and_national_rows_are_not_participating_municipalities(zoetermeer):
    names = set(Municipality.objects.participating().values_list("name", flat=True))
    assert names == {"Zoetermeer", "Hilversum"}
