"""The one place that talks to Stripe: a `stripe.StripeClient` with time-outs and retries.

Every call that creates something passes an idempotency key derived from our own ids, so a
retried task, a double click or a repeated request never creates a second object at Stripe.
Tests replace the HTTP client (`set_http_client`) with a stub that answers like Stripe's API;
the `stripe` library itself (requests, errors, objects, webhook signatures) is the real one.
"""

from typing import Any

import stripe
from django.conf import settings

_http_client: stripe.HTTPClient | None = None
_client: stripe.StripeClient | None = None


class StripeUnavailable(Exception):
    """Stripe could not be reached or answered with an error; nothing was changed here."""


class StripeNotFound(Exception):
    """Stripe answered 404: the object does not exist (for this account and mode)."""


def set_http_client(client: stripe.HTTPClient | None) -> None:
    """Use `client` for every call (tests, benchmarks); None: the default requests client."""
    global _http_client, _client
    _http_client, _client = client, None


def client() -> stripe.StripeClient:
    """One client per process: its HTTP sessions (and their connections) are reused."""
    global _client
    if _client is None:
        http_client = _http_client or stripe.RequestsClient(timeout=(
            min(settings.STRIPE_TIMEOUT_SECONDS, 5.0), settings.STRIPE_TIMEOUT_SECONDS))
        _client = stripe.StripeClient(settings.STRIPE_SECRET_KEY, http_client=http_client,
                                      max_network_retries=2)
    return _client


def price_for(plan: str) -> str:
    return settings.STRIPE_PRICES[plan]


def call(method: Any, *args: Any, idempotency_key: str | None = None,
         **params: Any) -> dict[str, Any]:
    """`method(*args, params=..., options=...)`, the answer as plain dicts and lists, with
    Stripe's errors turned into StripeUnavailable (a connection failure, a time-out, or an
    error answer); a 404 becomes StripeNotFound."""
    options = {"idempotency_key": idempotency_key} if idempotency_key else {}
    try:
        result = method(*args, params=params or None, options=options or None)
    except stripe.InvalidRequestError as error:
        if error.http_status == 404:
            raise StripeNotFound(str(error.code or "resource_missing")) from error
        raise StripeUnavailable(type(error).__name__) from error
    except stripe.StripeError as error:
        raise StripeUnavailable(type(error).__name__) from error
    return result.to_dict()


def construct_event(payload: bytes, signature: str) -> dict[str, Any]:
    """Verify Stripe's signature over the raw body; the event as plain dicts. Raises
    ValueError (not JSON) or stripe.SignatureVerificationError (missing, wrong or stale
    signature)."""
    try:
        return stripe.Webhook.construct_event(
            payload.decode("utf-8"), signature, settings.STRIPE_WEBHOOK_SECRET,
            tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS).to_dict()
    except (AttributeError, TypeError):  # signed, but JSON that is not an object ([], null)
        raise ValueError("not a Stripe event") from None
