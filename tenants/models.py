"""The municipality registry. Lives in the public schema: no personal data here."""

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_tenants.clone import CloneSchema
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import get_creation_fakes_migrations, schema_exists

from .cbs import validate_cbs_code

DEFAULT_EMPLOYER_CONTACTS = 70
DEFAULT_REGULAR_JOBS = 40
DEFAULT_WORK_EXPERIENCE_PLACES = 20
DEFAULT_BRAND_COLOUR = "#154273"


class MunicipalityQuerySet(models.QuerySet):
    def participating(self) -> "MunicipalityQuerySet":
        """Real municipalities: not the national (public) row, not the template."""
        return self.filter(kind=Municipality.Kind.MUNICIPALITY)


class Municipality(TenantMixin):
    """A tenant. Besides the municipalities there is one row for the national site (the public
    schema) and one for the template schema new municipalities are cloned from."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        NATIONAL = "national", _("national site")
        TEMPLATE = "template", _("template")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY)
    cbs_code = models.CharField(
        _("CBS code"), max_length=6, unique=True, null=True, blank=True,
        validators=[validate_cbs_code],
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=63, unique=True)
    province = models.CharField(_("province"), max_length=50, blank=True)
    period_start = models.DateField(_("project period start"), null=True, blank=True)
    period_end = models.DateField(_("project period end"), null=True, blank=True)
    target_employer_contacts = models.PositiveIntegerField(
        _("target: new employer contacts"), default=DEFAULT_EMPLOYER_CONTACTS)
    target_regular_jobs = models.PositiveIntegerField(
        _("target: regular jobs"), default=DEFAULT_REGULAR_JOBS)
    target_work_experience_places = models.PositiveIntegerField(
        _("target: work-experience places"), default=DEFAULT_WORK_EXPERIENCE_PLACES)
    brand_colour = models.CharField(
        _("brand colour"), max_length=7, default=DEFAULT_BRAND_COLOUR,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #154273."))],
    )
    # Closed candidate files are deleted this many months after closing (nightly task).
    candidate_retention_months = models.PositiveSmallIntegerField(
        _("keep closed candidate files (months)"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("After this many months a closed candidate file is deleted."))
    created_at = models.DateTimeField(auto_now_add=True)
    # Mirrored from billing.Subscription (blank: no subscription, e.g. provisioned by
    # an operator), so every request knows the workspace's access without a query.
    billing_status = models.CharField(_("subscription status"), max_length=20, blank=True)
    billing_status_since = models.DateTimeField(_("subscription status since"), null=True,
                                                blank=True)

    objects = MunicipalityQuerySet.as_manager()

    # Schemas are created by cloning the template in tenants.services, never dropped by a
    # stray delete().
    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="municipality") | Q(cbs_code__isnull=False),
                name="municipality_has_cbs_code",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_end__isnull=True)
                | Q(period_end__gt=models.F("period_start")),
                name="period_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(target_employer_contacts__gte=0), name="targets_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_municipality(self) -> bool:
        return self.kind == self.Kind.MUNICIPALITY

    def create_schema(self, check_if_exists: bool = False, sync_schema: bool = True,
                      verbosity: int = 1) -> bool:
        """Clone the template without django-tenants' `migrate --fake` afterwards.

        The clone copies the template's `django_migrations` rows, so it already records exactly
        the migrations it has. Faking would add nothing for a current template, and for a stale
        one it would mark the missing migrations as applied; without it, the next
        `migrate_schemas` applies them for real. Saves about a quarter of the provisioning time.
        """
        base = self.get_base_schema() if get_creation_fakes_migrations() else False
        if not (sync_schema and base and base != self.schema_name and schema_exists(base)):
            return super().create_schema(check_if_exists, sync_schema, verbosity)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        CloneSchema().clone_schema(base, self.schema_name, self.clone_mode)
        connection.set_schema_to_public()
        return True

    def period_contains(self, day: date) -> bool:
        return bool(self.period_start and self.period_end
                    and self.period_start <= day <= self.period_end)


class Domain(DomainMixin):
    """A host name that routes to a municipality (or to the national site)."""

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.domain
