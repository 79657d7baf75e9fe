"""django-tenants' PostgreSQL backend, minus one thing: it empties Django's ContentType cache
every time the schema changes (every request, every tenant_context), because in its default
set-up each schema has its own content-type table with its own ids. Here contenttypes is a
shared app only (one table in the public schema, see settings), so ids are the same in every
schema and the per-process cache stays right: keeping it saves two or three queries a request.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_tenants.postgresql_backend import base as tenant_base


class DatabaseWrapper(tenant_base.DatabaseWrapper):
    def __init__(self, *args, **kwargs) -> None:
        if "django.contrib.contenttypes" in getattr(settings, "TENANT_APPS", ()):
            raise ImproperlyConfigured(
                "werktop.db keeps the ContentType cache across schemas, which is only right "
                "when django.contrib.contenttypes is a shared app (not in TENANT_APPS).")
        super().__init__(*args, **kwargs)

    def set_tenant(self, tenant, include_public: bool = True) -> None:
        """As django-tenants' set_tenant, without ContentType.objects.clear_cache()."""
        self.tenant = tenant
        self.schema_name = tenant.schema_name
        self.include_public_schema = include_public
        self.set_settings_schema(self.schema_name)
        if tenant_base.EXTRA_SET_TENANT_METHOD:
            tenant_base.EXTRA_SET_TENANT_METHOD(self, tenant)
        self.search_path_set_schemas = None
