"""Base settings shared by every environment.

Every value that differs between machines is read once, here, from the environment
(see `.env.example` at the repository root for the full list).
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

# platform/werktop/settings/base.py -> repository root is three levels above platform/werktop.
PROJECT_DIR = Path(__file__).resolve().parent.parent  # platform/werktop
CORE_DIR = PROJECT_DIR.parent / "core"  # platform/core: templates that override, translations
REPO_DIR = PROJECT_DIR.parent.parent

env = environ.Env()
# A local .env (never committed) may override defaults during development.
environ.Env.read_env(REPO_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("SECRET_KEY", default="dev-insecure-secret-key-change-me")
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])  # rotation: infra/RUNBOOK.md
DEBUG = env.bool("DEBUG", default=False)

# The national site lives on this host; municipalities on <slug>.<PLATFORM_DOMAIN>.
PLATFORM_DOMAIN = env.str("PLATFORM_DOMAIN", default="localhost")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}"])

# --- Tenancy -----------------------------------------------------------------------------
# Public schema: the municipality registry, the national site's own users and sessions, and
# the beat schedule. Never personal data of candidates or employers.
SHARED_APPS = [
    "django_tenants",
    "tenants",
    # One content-type table for all schemas: ids stay identical everywhere, so Django's
    # per-process ContentType cache is correct whichever schema filled it.
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # the sitemap.xml template (wagtail.contrib.sitemaps uses it)
    "django_ratelimit",  # per-address limits on public forms (core.antispam); no models
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",  # a user sees and ends their other sessions (/account/sessions/)
    "django_celery_beat",
    "core.apps.CoreConfig",  # app label "werktop" (outbox table, migration history)
    "demo",  # manage.py load_demo: asks every feature for its demo part (core.demo)
    "ministry",  # rollups of every municipality, in the public schema (no personal data)
    "billing",  # subscriptions and Stripe events (public schema)
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
]

# Per municipality: its own users, sessions, portal and (later) relations.
TENANT_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "cms",
    "targets",
    "relations",
    "audit",
    "matching_events",
    "alerts",
    "reports",
    "django_htmx",
    "django_filters",
    # django-rules' template tags ({% has_perm %}); no models.
    "rules",
    "rest_framework",
]

# The API apps go last: an app listed earlier wins for translations, and Django REST framework
# would otherwise turn Wagtail's and Django's Dutch form messages into its own wording.
_LAST = ["rest_framework", "rest_framework.authtoken", "drf_spectacular"]
INSTALLED_APPS = [app for app in SHARED_APPS if app not in _LAST] + [
    app for app in TENANT_APPS if app not in SHARED_APPS and app not in _LAST] + _LAST

TENANT_MODEL = "tenants.Municipality"
TENANT_DOMAIN_MODEL = "tenants.Domain"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# New municipalities are cloned from this migrated template schema (~10x faster than
# migrating). tenants.services keeps it migrated and refuses to provision without it.
TENANT_BASE_SCHEMA = "werktop_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
DEFAULT_NOT_FOUND_TENANT_VIEW = "core.views.municipality_not_found"
PUBLIC_SCHEMA_URLCONF = "werktop.urls_public"
ROOT_URLCONF = "werktop.urls_tenant"
TENANT_COLOR_ADMIN_APPS = False
# Set the search path once per connection and schema switch, not before every query (it halves
# the round trips). django-tenants 4 forgets it on rollback, savepoint rollback and close, so a
# SET undone by PostgreSQL is issued again.
TENANT_LIMIT_SET_CALLS = True

# `make run` / `make test` start PostgreSQL and Redis on these loopback ports (see infra/dev).
PG_PORT = env.int("WERKTOP_PG_PORT", default=54329)
REDIS_PORT = env.int("WERKTOP_REDIS_PORT", default=63799)

DATABASES = {
    "default": {
        **env.db_url("DATABASE_URL", default=f"postgres://postgres@127.0.0.1:{PG_PORT}/werktop"),
        "ENGINE": "core.db",  # django-tenants backend, ContentType cache kept (see werktop/db)
        # With persistent connections (`?conn_max_age=` in DATABASE_URL) a connection is
        # checked before a request or task reuses it, so the first request after a database
        # restart gets a fresh connection instead of an error. While the database is down,
        # visitors get the 503 page (core.db_errors).
        "CONN_HEALTH_CHECKS": True,
    }
}
# A database host that does not answer at all fails a connection after this many seconds
# instead of the operating system's minutes (libpq's connect_timeout, at least 2): requests
# get the 503 page, and the readiness probe (tenants.health) answers 503, in bounded time.
# `?connect_timeout=N` in DATABASE_URL overrides it.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    # /health/live, /health/ready, /metrics and /health/tls, answered before anything else:
    # no https redirect, no ALLOWED_HOSTS check (probes come with the pod's IP address as
    # Host), no tenant lookup, no request log line (tenants.health).
    "tenants.health.HealthMiddleware",
    # Request counts and durations by URL pattern, per municipality (core.metrics).
    "core.metrics.RequestMetricsMiddleware",
    # Security headers wrap everything, also the unknown-host page the tenant middleware
    # answers by itself (see "Browser security" below); none of them needs a schema.
    "django.middleware.security.SecurityMiddleware",
    # django-csp with frame-ancestors 'self' for views that ask to be framed (core.csp).
    "core.csp.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # No database work of its own: turns a failed database connection anywhere below (the
    # tenant lookup included) into the 503 "try again in a moment" page (core.db_errors).
    "core.db_errors.DatabaseUnavailableMiddleware",
    # Picks the municipality from the host and sets the schema: before anything that needs one.
    "core.middleware.TenantMiddleware",
    # A NUL character in path, query or cookie: 400 before a query sees it (request_checks).
    "core.request_checks.RefuseNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private, no-store for signed-in people, the API and the staff paths.
    "core.private_responses.PrivateResponseMiddleware",
    # request_id, schema, actor and origin on every log line; one "request" line per response.
    "core.logging.RequestLogMiddleware",
    # Idle and absolute session time-outs (accounts.sessions).
    "accounts.sessions.SessionTimeoutMiddleware",
    # Refused pages go into the municipality's audit trail (audit.security_events).
    "audit.security_events.PermissionDeniedAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Unpaid or cancelled subscription: writes to the workspace refused (billing).
    "billing.middleware.ReadOnlyWorkspaceMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff roles must set up two-factor authentication first (accounts.two_factor).
    "accounts.two_factor.RequireTwoFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.TenantRedirectMiddleware",
    # Turns django-ratelimit's Ratelimited into the 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [CORE_DIR / "templates"],  # overrides (allauth layout, error pages)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tenants.context_processors.site",
                "billing.context_processors.billing",
            ],
        },
    }
]

WSGI_APPLICATION = "werktop.wsgi.application"

# --- Accounts ----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Object permissions (portfolios): see relations/rules.py.
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "after_login"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# Do not reveal whether an address has an account.
ACCOUNT_PREVENT_ENUMERATION = True
# Lock-out: after 5 failed logins for one address, that address cannot log in for 15 minutes
# (whatever the password); at most 10 failed logins a minute per client address. Counters
# live in the default cache, per schema.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/15m/key"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Authenticator app or security key (WebAuthn: a hardware key, a phone or a laptop's passkey).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Werktop"

# Cookies are host-only (no SESSION_COOKIE_DOMAIN): a session of one municipality is never
# sent to another municipality's host.
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (keys prefixed per schema by KEY_FUNCTION) and written
# through to the schema's own session table: one query less on every logged-in request, and
# nothing lost when Redis is flushed.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Time-outs (accounts.sessions): logged out after this many minutes without a request, and
# this many hours after logging in whatever the activity. The cookie lives as long as the
# absolute limit; the idle limit is checked on the server.
WERKTOP_SESSION_IDLE_MINUTES = env.int("WERKTOP_SESSION_IDLE_MINUTES", default=30)
WERKTOP_SESSION_MAX_HOURS = env.int("WERKTOP_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = WERKTOP_SESSION_MAX_HOURS * 60 * 60

# --- Browser security (CSP and headers) ----------------------------------------------------
# Content-Security-Policy (django-csp, core.csp.CSPMiddleware). No inline script and no
# eval anywhere: scripts come from our own host; the few inline scripts that must stay carry
# the request's nonce (nonce="{{ request.csp_nonce }}"). The Wagtail admin's inline
# initialisers are replaced by inert data elements that werktop/js/admin-init.js starts
# (cms/admin_csp.py). Styles only from stylesheets on our own host: no <style> blocks and no
# style="" attributes in our pages (e-mails are not pages; htmx's indicator styles are in
# layout.css and switched off in htmx-config); only the Wagtail admin, whose React widgets add
# <style> elements at run time, also allows inline styles (core/csp.py). Images: our own
# host (uploads under /media/)
# and data: URIs (icons in the Wagtail admin and the NL Design System CSS); the portal has no
# embeds, maps or video. Forms post to our own host; the sign-up and the subscription page
# redirect a POST to Stripe Checkout and Stripe's customer portal, and Chrome applies
# form-action to that redirect too. frame-ancestors 'none' (and X-Frame-Options DENY): only
# Wagtail's preview views, which send X-Frame-Options SAMEORIGIN for the editor's preview
# panel, get frame-ancestors 'self'. Violations are not reported anywhere.
from csp import constants as csp_constants  # noqa: E402 - kept with its section

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https://checkout.stripe.com", "https://billing.stripe.com"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin: no address (which may hold a record number) leaves the platform. Not
# no-referrer: under it browsers post with "Origin: null", which the CSRF check refuses.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HSTS only in production (production.py): development and the tests run on plain http.
# The Wagtail admin shows initials instead of asking gravatar.com for every editor's avatar
# (that would send a hash of their e-mail address to a third party, and img-src forbids it).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Cache, files, static ----------------------------------------------------------------
# core.cache: Django's Redis cache, but an unreachable Redis is an empty cache (reads miss,
# writes are dropped, short time-outs, a circuit breaker) instead of a 500 on every page.
CACHES = {
    "default": {
        "BACKEND": "core.cache.FaultTolerantRedisCache",
        "LOCATION": env.str("REDIS_URL", default=f"redis://127.0.0.1:{REDIS_PORT}/1"),
        # Every key is prefixed with the current schema: no entry leaks between municipalities.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="werktop"),
    }
}
# Wagtail looks image renditions up in this cache before asking the database. Same Redis, same
# per-schema keys; a rendition's key holds the file's hash, so entries never go stale.
CACHES["renditions"] = {**CACHES["default"], "TIMEOUT": 24 * 60 * 60}
# Anonymous portal pages are cached per municipality for this long and purged on publish
# (cms.caching); 0 switches the page cache off.
PORTAL_PAGE_CACHE_SECONDS = env.int("PORTAL_PAGE_CACHE_SECONDS", default=10 * 60)

# Public forms (core.antispam.public_form): counters in the default cache, so per schema.
RATELIMIT_USE_CACHE = "default"
# Redis down: the counters cannot be kept, and the forms stay open (see core.cache).
RATELIMIT_FAIL_OPEN = True
RATELIMIT_VIEW = "core.antispam.rate_limited"
# Behind a reverse proxy REMOTE_ADDR is the proxy's address, so every visitor would share one
# counter: name the request.META key in which the proxy puts the client's address (a header it
# overwrites, e.g. HTTP_X_REAL_IP). Empty: REMOTE_ADDR.
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="") or None

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(REPO_DIR / ".local" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(REPO_DIR / ".local" / "media")))
# Each municipality's public uploads (portal images) live under MEDIA_ROOT/<schema>/ and are
# only served on its host.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
# Private files (CVs, import spreadsheets, reports) live OUTSIDE MEDIA_ROOT, under
# PRIVATE_MEDIA_ROOT/<schema>/ (core.files): the public media route cannot reach them.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT",
                                  default=str(REPO_DIR / ".local" / "private-media")))
if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured("PRIVATE_MEDIA_ROOT must lie outside MEDIA_ROOT.")
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# The largest request body accepted at all (uploads included; the import takes at most 10 MB).
WERKTOP_MAX_REQUEST_MB = env.int("WERKTOP_MAX_REQUEST_MB", default=20)

# --- Language and time -------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [CORE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# --- Wagtail -----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Werktop"
# Dutch pages first; editors may add English translations (Wagtail's own i18n). Visitors who
# chose English with the language switch get the English page where there is one.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# No WAGTAILADMIN_BASE_URL: there is no single admin host. Wagtail then takes the root URL of
# the current schema's default Site, so notification e-mails link to the right municipality.
SILENCED_SYSTEM_CHECKS = [
    "wagtailadmin.W003",
    # django-ratelimit only knows django-redis by name; Django's own Redis cache increments
    # atomically (Redis INCR) too.
    "django_ratelimit.W001",
]
# Port in the Wagtail Site of each portal: 80 gives http:// URLs, 443 https:// (production).
PORTAL_PORT = env.int("PORTAL_PORT", default=80)
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# One login and safe uploads: settings/wagtail_security.py.
from .wagtail_security import *  # noqa: E402,F403 - kept with its section

# --- Celery ------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=f"redis://127.0.0.1:{REDIS_PORT}/0")
CELERY_RESULT_BACKEND = None
# A broker that is down costs a request milliseconds: one quick retry (a pooled connection
# gone stale after a Redis restart), short socket time-outs; the task then waits in the
# outbox (core.outbox). brpop_timeout (1 s) stays below socket_timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0,
                                    "interval_step": 0.1, "interval_max": 0.1}
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker runs again: tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis has no per-consumer acknowledgement: a message taken by a worker that dies without a
# warm shutdown (SIGKILL, out of memory, a lost node) goes back to its queue only after this
# many seconds (plus kombu's sweep, up to 100 s). kombu's default, an hour, holds the
# confirmation link someone is waiting for, or tomorrow's meetup reminders, for an hour. It
# must stay longer than the longest countdown (retry back-off: at most 10 minutes, see
# matching_events.tasks and billing.tasks) plus the longest task (an import: under a
# minute), or a message still waiting or running is handed out a second time. 15 minutes.
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=15 * 60)
CELERY_TASK_DEFAULT_QUEUE = "default"
# Queues by urgency: mail a person is waiting for, ordinary work, long-running reports.
CELERY_TASK_ROUTES = {
    "targets.*": {"queue": "background"},  # task names are "<app>.<task>", not module paths
    "relations.delete_*": {"queue": "background"},
    # Someone is watching the import's progress bar.
    "relations.validate_import": {"queue": "urgent"},
    "relations.run_import": {"queue": "urgent"},
    "alerts.*": {"queue": "background"},
    "ministry.*": {"queue": "background"},
    "reports.*": {"queue": "background"},  # "generate now" is sent to "default" explicitly
}
# Signals: a candidate without a contact moment for this many weeks is raised to their owner.
WERKTOP_NO_CONTACT_WEEKS = env.int("WERKTOP_NO_CONTACT_WEEKS", default=6)
# Two-factor authentication required for staff roles (accounts.two_factor). Production always.
WERKTOP_REQUIRE_MFA = env.bool("WERKTOP_REQUIRE_MFA", default=True)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Mail --------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Werktop <noreply@werktop.localhost>")

# --- Logging -----------------------------------------------------------------------------
# One JSON object per line on stdout, from structlog and the standard library alike, with
# personal data and secrets redacted (core/logging.py). LOG_FORMAT=console: readable lines.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"structured": {"()": "core.logging.formatter", "renderer": LOG_FORMAT}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured",
                             "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console and mail handlers off: its lines go to the root handler.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # runserver's access lines repeat the "request" line of core.logging (raw paths).
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # The stripe library logs every request at INFO; its errors reach us as exceptions.
        "stripe": {"level": "WARNING"},
    },
}
# Celery workers keep this configuration instead of installing their own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Operations: metrics and error reports ---------------------------------------------------
# /metrics (core.metrics) needs "Authorization: Bearer <METRICS_TOKEN>"; empty: /metrics is
# off (404). PROMETHEUS_MULTIPROC_DIR (read by prometheus_client from the environment): a
# writable folder shared by the gunicorn workers of one container, for multiprocess metrics.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Sentry (core.sentry): off while SENTRY_DSN is empty. Events carry no personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)

# --- API (relations, read-only) ----------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "UNAUTHENTICATED_USER": None,
    # OpenAPI documents by drf-spectacular (the ministry's API: /api/v1/schema/ on the national
    # site). The ministry's views set their own authentication, permissions and error format.
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Werktop open API (ministerie)",
    "DESCRIPTION": (
        "Aggregated Werktop results per municipality, without personal data. Counts below 5 "
        "that could point at a person are given as \"<5\". Authenticate with "
        "`Authorization: Token <token>`; errors are application/problem+json (RFC 7807)."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Subscriptions (billing, Stripe) -----------------------------------------------
# Test-mode keys from the Stripe dashboard (README: "Stripe in test mode"). Without them the
# sign-up says Stripe cannot be reached; the tests stub Stripe's HTTP client instead.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="sk_test_not_configured")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="whsec_not_configured")
# One yearly Price per plan (municipality size), created in the Stripe dashboard.
STRIPE_PRICES = {
    "small": env.str("STRIPE_PRICE_SMALL", default="price_small_not_configured"),
    "medium": env.str("STRIPE_PRICE_MEDIUM", default="price_medium_not_configured"),
    "large": env.str("STRIPE_PRICE_LARGE", default="price_large_not_configured"),
}
# Every call to Stripe gives up after this many seconds (connect and read), retried twice.
STRIPE_TIMEOUT_SECONDS = env.float("STRIPE_TIMEOUT_SECONDS", default=10.0)
# Webhook signatures older than this are refused (Stripe's own default tolerance).
STRIPE_WEBHOOK_TOLERANCE_SECONDS = env.int("STRIPE_WEBHOOK_TOLERANCE_SECONDS", default=300)
BILLING_TRIAL_DAYS = env.int("BILLING_TRIAL_DAYS", default=30)
# Invoices (payment by bank transfer) are due this many days after they are sent.
BILLING_INVOICE_DAYS_UNTIL_DUE = env.int("BILLING_INVOICE_DAYS_UNTIL_DUE", default=30)
# Past due for longer than this: the workspace becomes read-only (the portal stays up).
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=14)
# After cancellation the data stays this long for export; then an operator may remove it.
BILLING_EXPORT_DAYS = env.int("BILLING_EXPORT_DAYS", default=90)
# A sign-up that never reached payment is erased after this many hours (Checkout's lifetime).
BILLING_SIGN_UP_HOURS = env.int("BILLING_SIGN_UP_HOURS", default=24)
