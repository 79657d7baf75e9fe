"""django-tenants' PostgreSQL backend, with two changes.

1. It does not empty Django's ContentType cache every time the schema changes (every request,
   every tenant_context). In django-tenants' default set-up each schema has its own
   content-type table with its own ids; here contenttypes is a shared app only (one table in
   the public schema, see settings), so ids are the same in every schema and the per-process
   cache stays right: keeping it saves two or three queries a request.
2. Transaction pooling (PgBouncer `pool_mode = transaction`), switched on with `POOL_MODE:
   "transaction"` in the DATABASES entry or `DATABASE_POOL_MODE=transaction`: no session-level
   `SET search_path`; every statement carries `SET LOCAL search_path` in the same message
   (core/db/pooling.py). Off by default: then the backend behaves as django-tenants'.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_tenants.postgresql_backend import base as tenant_base

from core.db import pooling


class DatabaseWrapper(tenant_base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "django.contrib.contenttypes" in getattr(settings, "TENANT_APPS", ()):
            raise ImproperlyConfigured(
                "core.db keeps the ContentType cache across schemas, which is only right "
                "when django.contrib.contenttypes is a shared app (not in TENANT_APPS).")
        self._local_search_path: tuple[tuple[str | None, bool] | None, str] = (None, "")
        super().__init__(*args, **kwargs)
        self.pool_mode = pooling.configure(self.settings_dict)
        self.transaction_pooling = self.pool_mode == pooling.TRANSACTION
        if self.transaction_pooling:
            self.introspection = pooling.PooledIntrospection(self)

    def set_tenant(self, tenant, include_public: bool = True) -> None:
        """As django-tenants' set_tenant, without ContentType.objects.clear_cache()."""
        self.tenant = tenant
        self.schema_name = tenant.schema_name
        self.include_public_schema = include_public
        self.set_settings_schema(self.schema_name)
        if tenant_base.EXTRA_SET_TENANT_METHOD:
            tenant_base.EXTRA_SET_TENANT_METHOD(self, tenant)
        self.search_path_set_schemas = None

    # --- transaction pooling (all no-ops in session mode) ----------------------------------

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        if self.transaction_pooling:
            params["cursor_factory"] = pooling.TransactionPooledCursor
        return params

    def create_cursor(self, name: str | None = None) -> Any:
        if self.transaction_pooling and name:  # DISABLE_SERVER_SIDE_CURSORS: Django never asks
            raise ImproperlyConfigured("No server-side cursors with transaction pooling.")
        cursor = super().create_cursor(name)
        if self.transaction_pooling:
            cursor.werktop_db = self
        return cursor

    def _handle_search_path(self, cursor=None) -> None:
        """Session mode: django-tenants' session-level SET. Transaction mode: nothing is sent;
        the schema is checked here (as django-tenants does) and each statement carries it."""
        if not self.transaction_pooling:
            return super()._handle_search_path(cursor)
        self.local_search_path_statement()

    def local_search_path_statement(self) -> str:
        """`SET LOCAL search_path = ...` for the current schema (built once per schema)."""
        key = (self.schema_name, self.include_public_schema)
        if self._local_search_path[0] != key:
            if not self.schema_name:
                raise ImproperlyConfigured("Database schema not set. Did you forget "
                                           "to call set_schema() or set_tenant()?")
            statement = pooling.search_path_statement(self._get_cursor_search_paths())
            self._local_search_path = (key, statement)
        return self._local_search_path[1]
