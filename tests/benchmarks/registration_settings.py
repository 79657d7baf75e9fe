"""Settings of the registration benchmark's gunicorn server and process: the test settings,
DEBUG off, its own Redis databases, and Celery NOT eager: the web process only queues the
e-mails, as in production (no worker runs; the queue is flushed at the end)."""

from werktop.settings.test import *  # noqa: F403
from werktop.settings.test import CACHES, LOGGING, REDIS_PORT, env

DEBUG = False
CACHES["default"]["LOCATION"] = env.str(
    "BENCH_REDIS_URL", default=f"redis://127.0.0.1:{REDIS_PORT}/12")
CACHES["renditions"]["LOCATION"] = CACHES["default"]["LOCATION"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = env.str(
    "BENCH_BROKER_URL", default=f"redis://127.0.0.1:{REDIS_PORT}/11")
LOGGING["root"]["level"] = "WARNING"
RATELIMIT_ENABLE = False  # 300 people from one loopback address are not spam here
