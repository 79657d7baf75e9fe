"""Settings of the PostgreSQL-restart drill's gunicorn server and helper processes: the test
settings, DEBUG off, e-mails queued on the broker as in production (on a queue of the
drill's own, removed afterwards), cache keys apart from the tests', and each simulated person
counted by their own address (X-Real-IP), so the rate limit of the registration form stays
in force as it is."""

from werktop.settings.test import *  # noqa: F403
from werktop.settings.test import CACHES, LOGGING

DEBUG = False
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = "faults-drill"
CACHES["default"]["KEY_PREFIX"] = CACHES["renditions"]["KEY_PREFIX"] = "werktop-drill"
RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
LOGGING["root"]["level"] = "WARNING"
