"""Production: refuses to start when misconfigured."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CONTENT_SECURITY_POLICY,
    DEBUG,
    EMAIL_CONFIG,
    METRICS_TOKEN,
    SECRET_KEY,
    SPECTACULAR_SETTINGS,
    STRIPE_PRICES,
    STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET,
    env,
)

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (set DEBUG=false).")
if SECRET_KEY.startswith("dev-insecure") or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production.")

# A value shipped in an example file is public: production refuses to start with one. A
# webhook secret anyone can read lets anyone forge Stripe's events (mark a municipality paid).
PLACEHOLDER_MARKS = ("not_configured", "not-configured", "change-me", "changeme", "placeholder",
                     "example", "insecure", "xxx")


def _refuse_placeholder(name: str, value: str, prefixes: tuple[str, ...] = ()) -> None:
    lowered = value.lower()
    if not value or any(mark in lowered for mark in PLACEHOLDER_MARKS) or (
            prefixes and not value.startswith(prefixes)):
        raise ImproperlyConfigured(
            f"Set {name} to the real value in production (it is empty or a placeholder).")


_refuse_placeholder("STRIPE_SECRET_KEY", STRIPE_SECRET_KEY, ("sk_live_", "sk_test_", "rk_"))
_refuse_placeholder("STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET, ("whsec_",))
for _plan, _price in STRIPE_PRICES.items():
    _refuse_placeholder(f"STRIPE_PRICE_{_plan.upper()}", _price, ("price_",))
if METRICS_TOKEN:  # empty: /metrics is off
    _refuse_placeholder("METRICS_TOKEN", METRICS_TOKEN)
    if len(METRICS_TOKEN) < 32:
        raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 random characters.")
if EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD"):
    _refuse_placeholder("the password in EMAIL_URL", EMAIL_CONFIG["EMAIL_HOST_PASSWORD"])

WERKTOP_REQUIRE_MFA = True  # not negotiable in production
PORTAL_PORT = env.int("PORTAL_PORT", default=443)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# "__Host-": the browser accepts the cookie only from a secure origin, for this exact host
# (no Domain attribute) and path "/": no other municipality's host can set or read it.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# HTTPS only, for a year, on every municipality's host too (they are subdomains). nosniff,
# Referrer-Policy, X-Frame-Options and the Content-Security-Policy come from base.py.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Any http:// address left in content (a pasted image or link) is fetched over https.
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True},
}
# drf-spectacular's deploy check builds the schema of ROOT_URLCONF (a municipality's URLs: the
# workspace API and Wagtail's admin API, published nowhere, some needing a database), not of
# the open API it publishes (werktop.urls_public, validated by tests/ministry/test_api.py).
SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, "ENABLE_DJANGO_DEPLOY_CHECK": False}
