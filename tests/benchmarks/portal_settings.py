"""Settings of the portal benchmark (tests/benchmarks/bench_portal.py) for its gunicorn servers
and its own process: the test settings, DEBUG off, the benchmark's own Redis database, and a
URLconf with a minimal "hello" view in front of a municipality's URLs (the framework's floor,
through the same server, middleware and tenant lookup).

PORTAL_PAGE_CACHE_SECONDS (read from the environment by the base settings) switches the page
cache on or off per server."""

import warnings

from werktop.settings.test import *  # noqa: F403
from werktop.settings.test import CACHES, LOGGING, REDIS_PORT, env

DEBUG = False
ROOT_URLCONF = "tests.benchmarks.portal_urls"
# Database 13: never the development (1) or test (9) cache; flushed by the benchmark.
CACHES["default"]["LOCATION"] = env.str(
    "BENCH_REDIS_URL", default=f"redis://127.0.0.1:{REDIS_PORT}/13")
CACHES["renditions"]["LOCATION"] = CACHES["default"]["LOCATION"]
LOGGING["root"]["level"] = "WARNING"  # no log line per request in the measured time
# WhiteNoise warns once per worker that STATIC_ROOT (collectstatic) does not exist: no page
# here needs it.
warnings.filterwarnings("ignore", message="No directory at")
