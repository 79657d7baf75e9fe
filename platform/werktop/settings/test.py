"""Tests: the real PostgreSQL and Redis, fast hashing, mail kept in memory, tasks eager."""

from .base import *  # noqa: F403
from .base import CACHES, REDIS_PORT, env

DEBUG = False
ALLOWED_HOSTS = ["localhost", ".localhost", "testserver", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Always eager in the test process, whatever .env says (the e2e worker is a separate process).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# A separate Redis database so tests never see development cache entries.
# Broker and results on their own Redis databases: a test worker never takes development tasks.
CELERY_BROKER_URL = env.str("TEST_CELERY_BROKER_URL", default=f"redis://127.0.0.1:{REDIS_PORT}/7")
CELERY_RESULT_BACKEND = env.str("TEST_CELERY_RESULT_BACKEND", default=f"redis://127.0.0.1:{REDIS_PORT}/8")
CACHES["default"]["LOCATION"] = env.str("TEST_REDIS_URL", default=f"redis://127.0.0.1:{REDIS_PORT}/9")
CACHES["renditions"]["LOCATION"] = CACHES["default"]["LOCATION"]
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Most tests log staff in with a password only; tests/security/test_two_factor.py switches it on.
WERKTOP_REQUIRE_MFA = False
