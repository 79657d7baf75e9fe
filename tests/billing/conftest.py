import pytest
from django.conf import settings

from billing import stripe_api

from .stripe_fakes import FakeStripe, delivery, make_event


@pytest.fixture
def fake_stripe():
    """Stripe's API answered in memory, through the real stripe library."""
    fake = FakeStripe()
    stripe_api.set_http_client(fake)
    yield fake
    stripe_api.set_http_client(None)


def post_event(client, event: dict, *, timestamp: int | None = None):
    body, signature = delivery(event, settings.STRIPE_WEBHOOK_SECRET, timestamp=timestamp)
    return client.post("/stripe/webhook/", body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=signature)


__all__ = ["fake_stripe", "make_event", "post_event"]
