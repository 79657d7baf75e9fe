"""Development: debug on, mail to the console, demo-friendly defaults."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", ".localhost", "127.0.0.1"])
# The demo accounts log in with a password only, unless .env says otherwise.
WERKTOP_REQUIRE_MFA = env.bool("WERKTOP_REQUIRE_MFA", default=False)
# Readable log lines instead of JSON, and security keys on http://*.localhost.
LOGGING["formatters"]["structured"]["renderer"] = env.str("LOG_FORMAT", default="console")  # noqa: F405
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
