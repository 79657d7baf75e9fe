"""Settings of the Celery worker the fault drills start and kill: the test settings, tasks
really queued (not eager), mails recorded across processes (`tests.faults.mail_backend`), and
a broker that hands a dead worker's messages out again after seconds instead of minutes."""

from werktop.settings.test import *  # noqa: F403
from werktop.settings.test import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "tests.faults.mail_backend.RecordingBackend"
# Production waits 15 minutes (settings/base.py); the drill cannot. kombu looks for
# abandoned messages every second here (default: every 100 s) and never waits long for a
# restore lock a killed worker may have held.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    "unacked_mutex_expire": 3,
}
