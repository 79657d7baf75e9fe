"""Provisioning: the only code that creates municipalities, their schemas and domains."""

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tenants.utils import (
    get_public_schema_name,
    schema_context,
    schema_exists,
    tenant_context,
)

from . import cbs, signals
from .models import Domain, Municipality

logger = logging.getLogger(__name__)

NATIONAL_NAME = "Werktop Nederland"


class ProvisioningError(Exception):
    """Provisioning refused; `str(error)` is a message for people (Dutch)."""


class TemplateSchemaMissing(ProvisioningError):
    """The migrated template schema that new municipalities are cloned from is missing."""


def template_schema_name() -> str:
    return settings.TENANT_BASE_SCHEMA


def ensure_national_site(domain: str | None = None) -> Municipality:
    """Create (once) the tenant row and domain of the national site, and its roles
    (`signals.national_site_ready`: accounts makes the role groups)."""
    domain = domain or settings.PLATFORM_DOMAIN
    national, _created = Municipality.objects.get_or_create(
        schema_name=get_public_schema_name(),
        defaults={"kind": Municipality.Kind.NATIONAL, "name": NATIONAL_NAME, "slug": "landelijk"},
    )
    Domain.objects.get_or_create(domain=domain, defaults={"tenant": national, "is_primary": True})
    with schema_context(get_public_schema_name()):
        signals.national_site_ready.send(sender=Municipality)
    return national


def ensure_template_schema(*, verbosity: int = 0) -> Municipality:
    """Create the template schema, or bring it up to date, so clones start fully migrated.

    The template is a tenant row without a domain, so every `migrate_schemas` migrates it too.
    """
    name = template_schema_name()
    template = Municipality.objects.filter(schema_name=name).first()
    if template is None:
        template = Municipality(
            schema_name=name, kind=Municipality.Kind.TEMPLATE, name="Sjabloon", slug=name,
        )
        template.save(verbosity=verbosity)  # creates the schema by running all migrations
    elif not schema_exists(name):
        template.create_schema(check_if_exists=True, verbosity=verbosity)
    elif not template_is_current():
        call_command("migrate_schemas", schema_name=name, tenant=True, interactive=False,
                     verbosity=verbosity)
    with tenant_context(template):
        prepare_fresh_schema()
    return template


def template_is_current() -> bool:
    """True when the template schema has every migration applied."""
    with schema_context(template_schema_name()):
        executor = MigrationExecutor(connection)
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def prepare_fresh_schema() -> None:
    """What every clone should start with: roles, and none of Wagtail's sample content
    (`signals.fresh_schema`: accounts keeps only the role groups, cms removes the sample
    site and pages)."""
    signals.fresh_schema.send(sender=Municipality)


def require_current_template() -> None:
    """Fail loudly when the template is missing: django-tenants would silently migrate from
    scratch. Migrate it first when it is behind: a clone of a stale template would start
    without the newest migrations."""
    name = template_schema_name()
    if not name or not schema_exists(name):
        raise TemplateSchemaMissing(
            _("The template schema “%(name)s” is missing. Run “manage.py setup_platform” first.")
            % {"name": name}
        )
    if not template_is_current():
        logger.warning("Template schema %s is behind; migrating it before cloning", name)
        ensure_template_schema()


def default_period(today: date | None = None) -> tuple[date, date]:
    """A project period of one year from today, until the coordinator sets the real one."""
    start = today or timezone.localdate()
    try:
        end = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + 1, day=28)
    return start, end


def set_brand_colour(municipality: Municipality, colour: str) -> Municipality:
    """Change a municipality's brand colour (validated; the portal's CMS issue adds the AA
    contrast check for editors)."""
    municipality.brand_colour = colour
    municipality.full_clean(validate_unique=False, validate_constraints=False)
    municipality.save(update_fields=["brand_colour"])
    return municipality


def set_candidate_retention(municipality: Municipality, months: int) -> Municipality:
    """How long closed candidate files are kept (the nightly task deletes them after)."""
    municipality.candidate_retention_months = months
    municipality.full_clean(validate_unique=False, validate_constraints=False)
    municipality.save(update_fields=["candidate_retention_months"])
    return municipality


def provision_municipality(
    cbs_code: str, *, domain: str | None = None, verbosity: int = 0
) -> Municipality:
    """Create a complete municipality: schema (cloned from the template), domain, portal
    with a Dutch home page, roles and default targets. All or nothing
    (`signals.municipality_provisioned`: cms builds the portal)."""

    try:
        info = cbs.lookup(cbs_code)
    except ValidationError as error:
        raise ProvisioningError(error.messages[0]) from None
    if Municipality.objects.filter(cbs_code=info.cbs_code).exists():
        raise ProvisioningError(
            _("%(name)s (%(code)s) is already on the platform.")
            % {"name": info.name, "code": info.cbs_code}
        )
    slug = slugify(info.name)
    schema_name = info.cbs_code.lower()
    domain = (domain or f"{slug}.{settings.PLATFORM_DOMAIN}").lower()
    if Domain.objects.filter(domain=domain).exists():
        raise ProvisioningError(
            _("The host name %(domain)s is already in use.") % {"domain": domain})
    if schema_exists(schema_name):
        # Left behind by a removed municipality: its data is never reused or overwritten here.
        raise ProvisioningError(
            _("A database schema %(schema)s already exists from an earlier registration of "
              "%(name)s. An operator must archive or remove it first.")
            % {"schema": schema_name, "name": info.name})
    require_current_template()

    start, end = default_period()
    try:
        with transaction.atomic():
            municipality = Municipality(
                kind=Municipality.Kind.MUNICIPALITY, cbs_code=info.cbs_code, name=info.name,
                province=info.province, slug=slug, schema_name=schema_name,
                period_start=start, period_end=end,
            )
            municipality.save(verbosity=verbosity)  # clones the template schema
            Domain.objects.create(domain=domain, tenant=municipality, is_primary=True)
            with tenant_context(municipality):
                signals.municipality_provisioned.send(
                    sender=Municipality, municipality=municipality, hostname=domain)
    except IntegrityError:
        # Someone provisioned the same municipality at the same moment; theirs stands.
        raise ProvisioningError(
            _("%(name)s (%(code)s) is already on the platform.")
            % {"name": info.name, "code": info.cbs_code}) from None
    logger.info("Provisioned municipality %s (%s)", info.name, info.cbs_code)
    return municipality
