"""Stripe, offline: an HTTP client for the real `stripe` library that answers like Stripe's
API (objects shaped as Stripe documents them, errors in Stripe's error format, idempotency
keys honoured), and webhook deliveries signed the way Stripe signs them (HMAC-SHA256 over
"timestamp.payload"), so `stripe.Webhook.construct_event` verifies them for real.

Used by the tests (`tests/billing`) and the benchmark (`tests/benchmarks/bench_billing.py`).
"""

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe


def _nested(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding ("a[b][0][c]=v") back into dicts (lists stay dicts by index)."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        target = result
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return result


class FakeStripe(stripe.HTTPClient):
    """Keeps Stripe's objects in memory. `down = True`: every call fails to connect."""

    name = "fake-stripe"

    def __init__(self) -> None:
        super().__init__()
        self.objects: dict[str, dict[str, Any]] = {}
        self.idempotent: dict[str, tuple[str, int, dict[str, str]]] = {}
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.down = False
        self._ids = itertools.count(1)

    # --- the HTTP boundary ---------------------------------------------------------------
    def request(self, method: str, url: str, headers: Any, post_data: Any = None,
                **kwargs: Any) -> tuple[str, int, dict[str, str]]:
        if self.down:
            raise stripe.APIConnectionError("Could not connect to Stripe (test outage).")
        parts = urlsplit(url)
        params = _nested(parse_qsl(post_data or parts.query or "", keep_blank_values=True))
        self.calls.append((method.upper(), parts.path, params))
        key = (headers or {}).get("Idempotency-Key")
        if method.upper() == "POST" and key and key in self.idempotent:
            return self.idempotent[key]
        status, body = self._route(method.upper(), parts.path, params)
        response = (json.dumps(body), status, {"request-id": f"req_{next(self._ids)}"})
        if method.upper() == "POST" and key and status < 500:
            self.idempotent[key] = response
        return response

    def request_stream(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def _sleep_time_seconds(self, num_retries: int) -> float:
        return 0.0  # retries without waiting

    # --- Stripe's API, as far as the platform uses it ------------------------------------
    def _route(self, method: str, path: str, params: dict[str, Any]) -> tuple[int, Any]:
        segments = path.strip("/").split("/")[1:]  # without "v1"
        if segments == ["checkout", "sessions"] and method == "POST":
            return 200, self._create_session(params)
        if segments[:2] == ["checkout", "sessions"] and len(segments) == 3:
            return self._get(segments[2])
        if segments[0] == "subscriptions" and len(segments) == 2:
            if method == "POST":
                found = self.objects.get(segments[1])
                if found is None:
                    return self._missing(segments[1])
                found["collection_method"] = params.get("collection_method",
                                                        found["collection_method"])
                if "days_until_due" in params:
                    found["days_until_due"] = int(params["days_until_due"])
                return 200, found
            return self._get(segments[1])
        if segments == ["invoices"]:
            data = [o for o in self.objects.values() if o["object"] == "invoice"
                    and o["customer"] == params.get("customer")]
            return 200, {"object": "list", "data": sorted(data, key=lambda o: -o["created"]),
                         "has_more": False, "url": "/v1/invoices"}
        if segments[0] == "invoices" and len(segments) == 2:
            return self._get(segments[1])
        if segments == ["billing_portal", "sessions"] and method == "POST":
            return 200, {"id": f"bps_{next(self._ids)}", "object": "billing_portal.session",
                         "customer": params.get("customer"), "return_url": params.get(
                             "return_url"), "url": "https://billing.stripe.com/p/session/test"}
        return 404, {"error": {"type": "invalid_request_error",
                               "message": f"Unrecognized request URL ({method}: {path})."}}

    def _get(self, object_id: str) -> tuple[int, Any]:
        if object_id in self.objects:
            return 200, self.objects[object_id]
        return self._missing(object_id)

    @staticmethod
    def _missing(object_id: str) -> tuple[int, Any]:
        return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                               "message": f"No such object: '{object_id}'"}}

    def _create_session(self, params: dict[str, Any]) -> dict[str, Any]:
        session_id = f"cs_test_{next(self._ids)}"
        session = {
            "id": session_id, "object": "checkout.session", "mode": params.get("mode"),
            "status": "open", "payment_status": "unpaid",
            "client_reference_id": params.get("client_reference_id"),
            "customer": None, "subscription": None,
            "customer_email": params.get("customer_email"),
            "metadata": params.get("metadata", {}),
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            "success_url": params.get("success_url"), "cancel_url": params.get("cancel_url"),
            "created": int(time.time()), "livemode": False,
            "_subscription_data": params.get("subscription_data", {}),
        }
        self.objects[session_id] = session
        return session

    # --- what happens at Stripe's side (the customer pays, time passes) ------------------
    def complete_checkout(self, session_id: str) -> dict[str, Any]:
        """The visitor finished Checkout: a customer and a trialing subscription exist."""
        session = self.objects[session_id]
        if session["status"] == "complete":
            return session
        now = int(time.time())
        customer_id, subscription_id = f"cus_{next(self._ids)}", f"sub_{next(self._ids)}"
        self.objects[customer_id] = {"id": customer_id, "object": "customer",
                                     "email": session["customer_email"]}
        data = session["_subscription_data"]
        trial_end = now + int(data.get("trial_period_days", 30)) * 86400
        self.objects[subscription_id] = {
            "id": subscription_id, "object": "subscription", "customer": customer_id,
            "status": "trialing", "collection_method": "charge_automatically",
            "trial_end": trial_end, "canceled_at": None, "created": now,
            "metadata": data.get("metadata", {}),
            "items": {"object": "list", "data": [{
                "id": f"si_{next(self._ids)}", "object": "subscription_item",
                "current_period_start": now, "current_period_end": trial_end}]},
        }
        session.update(status="complete", payment_status="no_payment_required",
                       customer=customer_id, subscription=subscription_id)
        return session

    def set_status(self, subscription_id: str, status: str) -> dict[str, Any]:
        subscription = self.objects[subscription_id]
        subscription["status"] = status
        if status == "canceled":
            subscription["canceled_at"] = int(time.time())
        return subscription

    def add_invoice(self, subscription_id: str, status: str = "open",
                    amount: int = 250000) -> dict[str, Any]:
        subscription = self.objects[subscription_id]
        invoice_id = f"in_{next(self._ids)}"
        self.objects[invoice_id] = {
            "id": invoice_id, "object": "invoice", "customer": subscription["customer"],
            "subscription": subscription_id, "status": status, "amount_due": amount,
            "currency": "eur", "number": f"WT-{invoice_id[-4:]}", "created": int(time.time()),
            "hosted_invoice_url": f"https://invoice.stripe.com/i/{invoice_id}",
            "invoice_pdf": f"https://pay.stripe.com/invoice/{invoice_id}/pdf"}
        return self.objects[invoice_id]


# --- webhook deliveries ----------------------------------------------------------------------

_event_ids = itertools.count(1)


def make_event(event_type: str, data_object: dict[str, Any], *, event_id: str | None = None,
               created: int | None = None) -> dict[str, Any]:
    return {"id": event_id or f"evt_test_{next(_event_ids)}_{int(time.time() * 1000)}",
            "object": "event", "api_version": "2025-10-29.clover",
            "created": created or int(time.time()), "livemode": False, "type": event_type,
            "data": {"object": data_object}, "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None}}


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send for this body."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.{payload.decode()}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def delivery(event: dict[str, Any], secret: str, *,
             timestamp: int | None = None) -> tuple[bytes, str]:
    body = json.dumps(event).encode()
    return body, sign(body, secret, timestamp)
