"""Settings of the mixed-load benchmark (tests/benchmarks/bench_load.py) for its gunicorn server,
its Celery worker and its own process: the test settings, DEBUG off, Celery NOT eager (the web
process queues the e-mails on Redis and a real worker sends them), its own Redis databases, and
no per-address rate limit (every simulated visitor comes from 127.0.0.1)."""

from werktop.settings.test import *  # noqa: F403
from werktop.settings.test import CACHES, REDIS_PORT, env

DEBUG = False
CACHES["default"]["LOCATION"] = env.str(
    "BENCH_REDIS_URL", default=f"redis://127.0.0.1:{REDIS_PORT}/3")
CACHES["renditions"]["LOCATION"] = CACHES["default"]["LOCATION"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = env.str("BENCH_BROKER_URL", default=f"redis://127.0.0.1:{REDIS_PORT}/4")
CELERY_RESULT_BACKEND = None
RATELIMIT_ENABLE = False
