"""Steps shared by the billing tests: a sign-up taken through Checkout and provisioned."""

from django.test import Client

from billing.models import SignUp

from .conftest import post_event
from .stripe_fakes import make_event

AMSTERDAM = "GM0363"


def sign_up(client: Client, cbs_code: str = AMSTERDAM, email: str = "coord@amsterdam.nl",
            **extra):
    return client.post("/aanmelden/", {
        "cbs_code": cbs_code, "plan": "large", "coordinator_name": "Fatima El Amrani",
        "coordinator_email": email, "pay_by_invoice": "on", **extra})


def complete_and_deliver(client: Client, fake, record: SignUp,
                         capture) -> SignUp:
    """The visitor finishes Checkout; Stripe sends checkout.session.completed."""
    record.refresh_from_db()
    session = fake.complete_checkout(record.checkout_session_id)
    with capture(execute=True):
        response = post_event(client, make_event("checkout.session.completed", session))
    assert response.status_code == 200
    record.refresh_from_db()
    return record
