"""Gunicorn settings for the Werktop web process (`infra/docker/entrypoint.sh web`).

Everything that differs per deployment comes from the environment: PORT, WEB_CONCURRENCY,
GUNICORN_THREADS, FORWARDED_ALLOW_IPS, GUNICORN_ACCESS_LOG, GUNICORN_CONTROL_SOCKET, LOG_LEVEL,
PROMETHEUS_MULTIPROC_DIR.
"""

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# Same import roots as manage.py: the repository and platform/, appended (never prepended:
# platform/ holds packages, it is not the standard library's `platform`). The installed project
# already has them on sys.path through a .pth file; this keeps a plain checkout working too.
for folder in (ROOT, ROOT / "platform"):
    if str(folder) not in sys.path:
        sys.path.append(str(folder))

chdir = str(ROOT)
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# Threads per process: requests mostly wait on PostgreSQL. Processes x threads is also the
# number of database connections one web container may hold.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

timeout = 60  # a request (a report, an import upload) that takes longer is a bug
graceful_timeout = 30  # after SIGTERM, running requests get this long to finish
keepalive = 10  # behind a reverse proxy that keeps connections open (Caddy, an ingress)
# Recycle processes now and then (a slow leak cannot grow without bound); the jitter keeps the
# processes from restarting all at once.
max_requests = 2000
max_requests_jitter = 200

# Addresses whose X-Forwarded-* headers gunicorn believes (the reverse proxy). "*" when the web
# container is reachable only through the proxy's private network (docker-compose, Kubernetes).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs: gunicorn's own lines on stderr; no access log by default, because the application logs
# one JSON "request" line per response (core.logging). GUNICORN_ACCESS_LOG=- switches it on.
errorlog = "-"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# gunicorn 25+ opens a control socket for `gunicornc` under $HOME, which is read-only in the
# image: off, unless GUNICORN_CONTROL_SOCKET names a writable path (e.g. /tmp/gunicorn.ctl).
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# The heartbeat file of each worker in memory, not on a (possibly slow, overlay) disk. A fixed
# system folder, not a predictable temporary file name.
SHARED_MEMORY = "/dev/shm"  # noqa: S108  # nosec B108
if os.path.isdir(SHARED_MEMORY):
    worker_tmp_dir = SHARED_MEMORY


def child_exit(server: Any, worker: Any) -> None:
    """A worker process ended: its live gauges leave the multiprocess Prometheus metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
