"""Publishing rollups: after a change (debounced, per municipality) and nightly everywhere.
The fan-out runs in the public schema; each publish runs in its municipality's schema
(tenant-schemas-celery carries the schema in the task headers)."""

from celery import shared_task
from django.core.cache import cache

from core import outbox
from core.tenancy import municipality_task
from tenants.fanout import fan_out

from . import rollups

DEBOUNCE_SECONDS = 30
# The default cache prefixes every key with the current schema (django_tenants.cache.make_key),
# so this one key is per municipality.
DEBOUNCE_KEY = "ministry:publish-pending"


@municipality_task(name="ministry.publish_rollup")
def publish_rollup() -> int | None:
    """Publish the figures of the municipality the task was sent from."""
    rollup = rollups.publish_rollup()
    return rollup.pk if rollup else None


def request_publish() -> bool:
    """Send `ministry.publish_rollup` for the current municipality at most once per
    DEBOUNCE_SECONDS. The task runs at the end of the window, so changes made during the window
    are in it too (a trailing debounce: nothing is lost). True when a task was sent."""
    if not cache.add(DEBOUNCE_KEY, 1, timeout=DEBOUNCE_SECONDS):
        return False
    # Called on commit from signals: while Redis is down (no debounce: cache.add is always
    # True) one waiting publish per municipality in the outbox is enough.
    outbox.send(publish_rollup, countdown=DEBOUNCE_SECONDS, dedupe=True)
    return True


@shared_task(name="ministry.reconcile_rollups_everywhere")
def reconcile_rollups_everywhere() -> int:
    """Beat entry point (nightly): one publish per participating municipality, each sent from
    inside its own schema."""
    return fan_out(publish_rollup)
