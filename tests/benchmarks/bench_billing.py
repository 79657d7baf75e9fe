"""Billing benchmark: `make bench`. Prints figures for this machine; asserts only that every
event was processed exactly once.

1. Time from a `checkout.session.completed` webhook to a usable municipality (schema, portal
   home page answering 200 on its own host, the coordinator's account), median of 5. The
   webhook is POSTed to the national site (django.test.Client); the tasks run inline
   (Celery eager, as a worker would run them right after commit), so queue latency is not in it.
2. Webhook endpoint throughput: 1,000 signed deliveries, 200 of them duplicates of the other
   800, shuffled. First the endpoint alone (verify, store once, queue the task on Redis), then
   the processing of the queued events as the worker does it (each event re-retrieves its
   object from Stripe). Then: 800 stored, each processed once, the duplicates queued nothing.

Stripe is the offline stub of the tests (tests/billing/stripe_fakes.py) behind the real
`stripe` library. Own database (werktop_bench_billing) and Redis database (13).

    DJANGO_SETTINGS_MODULE=werktop.settings.test .venv/bin/python tests/benchmarks/bench_billing.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[len(sys.path):] = [str(REPO), str(REPO / "platform")]
os.environ["DJANGO_SETTINGS_MODULE"] = "werktop.settings.test"
PG_PORT = os.environ.get("WERKTOP_PG_PORT", "54329")
REDIS_PORT = os.environ.get("WERKTOP_REDIS_PORT", "63799")
BASE_URL = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:{PG_PORT}/werktop")
BENCH_DB = "werktop_bench_billing"
os.environ["DATABASE_URL"] = BASE_URL.rsplit("/", 1)[0] + "/" + BENCH_DB
os.environ["TEST_CELERY_BROKER_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/13"
os.environ["TEST_REDIS_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/14"
CODES = ["GM0363", "GM0518", "GM0599", "GM0344", "GM0014"]  # the five largest
EVENTS, DUPLICATES = 800, 200


def recreate_database() -> None:
    import psycopg

    admin_url = BASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def post(client, event: dict):
    from django.conf import settings

    from tests.billing.stripe_fakes import delivery

    body, signature = delivery(event, settings.STRIPE_WEBHOOK_SECRET)
    return client.post("/stripe/webhook/", body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=signature)


def webhook_to_municipality(client, fake, code: str) -> float:
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import schema_exists, tenant_context

    from accounts.models import User
    from billing.models import SignUp
    from billing.services.signup import open_checkout, start_sign_up
    from tests.billing.stripe_fakes import make_event

    record = start_sign_up(cbs_code=code, plan="large", coordinator_name="Bench Coördinator",
                           coordinator_email=f"coordinator@{code.lower()}.example")
    open_checkout(record, success_url="http://localhost/ok", cancel_url="http://localhost/no")
    record.refresh_from_db()
    session = fake.complete_checkout(record.checkout_session_id)
    connection.close()
    began = time.perf_counter()
    assert post(client, make_event("checkout.session.completed", session)).status_code == 200
    record = SignUp.objects.select_related("municipality").get(pk=record.pk)
    municipality = record.municipality
    assert record.status == SignUp.Status.PROVISIONED and schema_exists(
        municipality.schema_name)
    home = Client(HTTP_HOST=municipality.get_primary_domain().domain).get("/")
    assert home.status_code == 200, home.status_code
    with tenant_context(municipality):
        assert User.objects.filter(email=f"coordinator@{code.lower()}.example").exists()
    return time.perf_counter() - began


def main() -> None:
    recreate_database()
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.test import Client

    from billing import stripe_api
    from tenants.services import ensure_national_site, ensure_template_schema
    from tests.billing.stripe_fakes import FakeStripe

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_national_site()
    ensure_template_schema()
    fake = FakeStripe()
    stripe_api.set_http_client(fake)
    client = Client(HTTP_HOST="localhost")

    times = [webhook_to_municipality(client, fake, code) for code in CODES]
    print(f"Machine: {os.cpu_count()} cores")
    print("Webhook checkout.session.completed to usable municipality (schema, portal 200, "
          f"coordinator): median {statistics.median(times):.2f} s of {len(times)} "
          f"(min {min(times):.2f}, max {max(times):.2f}); target < 3 s")

    throughput(client, fake)


def throughput(client, fake) -> None:
    from billing.models import StripeEvent, Subscription
    from billing.services import events
    from tests.billing.stripe_fakes import make_event
    from werktop.celery import app

    app.conf.task_always_eager = False  # the endpoint queues on Redis, as in production
    app.control.purge()
    subscriptions = list(Subscription.objects.values_list("stripe_subscription_id", flat=True))
    rng = random.Random(7)
    unique = []
    for index in range(EVENTS):
        sub_id = rng.choice(subscriptions)
        kind = rng.random()
        if kind < 0.5:
            event = make_event("customer.subscription.updated", fake.objects[sub_id])
        elif kind < 0.8:
            event = make_event("invoice.paid", fake.add_invoice(sub_id, status="paid"))
        else:
            event = make_event("customer.updated", {"id": f"cus_{index}"})
        unique.append(event)
    deliveries = unique + rng.sample(unique, DUPLICATES)
    rng.shuffle(deliveries)
    before = StripeEvent.objects.count()

    latencies, duplicates = [], 0
    began = time.perf_counter()
    for event in deliveries:
        start = time.perf_counter()
        response = post(client, event)
        latencies.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        duplicates += response.json()["duplicate"]
    endpoint_seconds = time.perf_counter() - began
    queued = app.connection().default_channel.client.llen("default")
    app.control.purge()

    calls = []
    original = events.HANDLERS.copy()
    for name, handler in original.items():
        events.HANDLERS[name] = lambda event, handler=handler: calls.append(event.pk) or handler(
            event)
    began = time.perf_counter()
    pending = events.unprocessed_events()
    for pk in pending:
        events.process_event(pk)
    processing_seconds = time.perf_counter() - began
    for pk in pending:  # a task delivered twice by the broker: nothing happens
        events.process_event(pk)

    stored = StripeEvent.objects.count() - before
    processed_once = StripeEvent.objects.filter(
        event_id__in=[e["id"] for e in unique], attempts=1).exclude(processed_at=None).count()
    handled_types = sum(1 for e in unique if e["type"] in original)
    assert stored == EVENTS == processed_once and duplicates == DUPLICATES and queued == EVENTS
    assert len(calls) == len(set(calls)) == handled_types
    assert StripeEvent.objects.filter(processed_at=None).count() == 0
    latencies.sort()
    print(f"Webhook endpoint, {len(deliveries)} signed deliveries ({DUPLICATES} duplicates): "
          f"{len(deliveries) / endpoint_seconds:.0f} requests/s, median "
          f"{statistics.median(latencies):.1f} ms, p95 {latencies[int(len(latencies) * .95)]:.1f}"
          f" ms; {stored} events stored, {queued} tasks queued, {duplicates} answered as "
          "duplicates")
    print(f"Processing the {len(pending)} queued events (re-retrieving from Stripe): "
          f"{len(pending) / processing_seconds:.0f} events/s; handlers run {len(calls)} times "
          f"for {handled_types} handled events, {processed_once} events processed exactly once")


if __name__ == "__main__":
    try:
        main()
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database()  # leaves an empty database behind, not 5 schemas
