"""Self-service sign-up: the form, Stripe Checkout, provisioning in Celery, and everything
that must not happen twice."""

import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_exists, tenant_context

from billing import tasks
from billing.models import SignUp, Subscription
from tenants.models import Domain, Municipality
from tests.conftest import client_for

from .helpers import AMSTERDAM, complete_and_deliver, sign_up

pytestmark = pytest.mark.django_db


def checkout_calls(fake):
    return [c for c in fake.calls if c[:2] == ("POST", "/v1/checkout/sessions")]


def test_the_form_lists_only_municipalities_not_yet_on_the_platform(national, zoetermeer):
    page = client_for(national).get("/aanmelden/").content.decode()
    assert 'value="GM0363"' in page  # Amsterdam
    assert f'value="{zoetermeer.cbs_code}"' not in page


def test_full_sign_up_ends_in_a_provisioned_municipality(
        national, fake_stripe, django_capture_on_commit_callbacks):
    client = client_for(national)
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    record = SignUp.objects.get(cbs_code=AMSTERDAM)
    assert record.status == SignUp.Status.CHECKOUT
    _method, _path, params = checkout_calls(fake_stripe)[0]
    assert params["mode"] == "subscription" and params["client_reference_id"] == str(record.pk)
    assert params["subscription_data"]["trial_period_days"] == "30"
    assert params["line_items"]["0"]["price"] == "price_large_not_configured"

    record = complete_and_deliver(client, fake_stripe, record,
                                  django_capture_on_commit_callbacks)
    assert record.status == SignUp.Status.PROVISIONED
    municipality = record.municipality
    assert municipality.cbs_code == AMSTERDAM and schema_exists(municipality.schema_name)
    assert Domain.objects.filter(tenant=municipality, is_primary=True).exists()
    # The coordinator's name and address left the public schema.
    assert (record.coordinator_name, record.coordinator_email) == ("", "")
    subscription = Subscription.objects.get(municipality=municipality)
    assert subscription.status == "trialing" and subscription.trial_end is not None
    municipality.refresh_from_db()
    assert municipality.billing_status == "trialing"
    # Invoice payment switched on, with an idempotency key.
    updates = [c for c in fake_stripe.calls if c[0] == "POST" and c[1].startswith(
        "/v1/subscriptions/")]
    assert updates and updates[0][2]["collection_method"] == "send_invoice"
    with tenant_context(municipality):
        from accounts.models import User

        coordinator = User.objects.get(email="coord@amsterdam.nl")
        assert coordinator.has_perm("accounts.manage_subscription")
        assert not coordinator.has_usable_password()
    [welcome] = mail.outbox
    assert welcome.to == ["coord@amsterdam.nl"]
    assert "/account/password/reset/key/" in welcome.body and "/account/2fa/" in welcome.body
    connection.set_schema_to_public()
    page = client.get(f"/aanmelden/{record.pk}/status/").content.decode()
    assert "Amsterdam" in page and "klaar" in page


def test_coming_back_from_checkout_provisions_without_waiting_for_the_webhook(
        national, fake_stripe, django_capture_on_commit_callbacks):
    client = client_for(national)
    sign_up(client)
    record = SignUp.objects.get(cbs_code=AMSTERDAM)
    fake_stripe.complete_checkout(record.checkout_session_id)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(f"/aanmelden/{record.pk}/?betaald=1")
    assert page.status_code == 200
    record.refresh_from_db()
    assert record.status == SignUp.Status.PROVISIONED
    # The webhook that arrives afterwards changes nothing.
    from .conftest import post_event
    from .stripe_fakes import make_event

    session = fake_stripe.objects[record.checkout_session_id]
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(client, make_event("checkout.session.completed",
                                             session)).status_code == 200
    assert Municipality.objects.filter(cbs_code=AMSTERDAM).count() == 1


def test_a_double_clicked_sign_up_makes_one_sign_up_and_one_checkout_session(
        national, fake_stripe):
    client = client_for(national)
    first, second = sign_up(client), sign_up(client)
    assert first["Location"] == second["Location"]
    assert SignUp.objects.filter(cbs_code=AMSTERDAM).count() == 1
    keys = {c[2].get("client_reference_id") for c in checkout_calls(fake_stripe)}
    assert len(keys) == 1
    assert len({o for o in fake_stripe.objects if o.startswith("cs_")}) == 1


def test_someone_else_cannot_start_a_second_sign_up_for_the_same_municipality(
        national, fake_stripe):
    client = client_for(national)
    sign_up(client)
    response = sign_up(client, email="iemand.anders@amsterdam.nl")
    assert response.status_code == 400
    assert "is al begonnen met aanmelden" in response.content.decode()
    assert SignUp.objects.filter(cbs_code=AMSTERDAM).count() == 1


def test_a_municipality_already_on_the_platform_cannot_sign_up(national, zoetermeer,
                                                               fake_stripe):
    response = sign_up(client_for(national), cbs_code=zoetermeer.cbs_code)
    assert response.status_code == 400
    assert "Kies uw gemeente uit de lijst" in response.content.decode()
    assert not SignUp.objects.exists() and not fake_stripe.calls


@pytest.mark.parametrize("email", ["geen-adres", "a@b", ""])
def test_an_invalid_e_mail_address_gets_a_dutch_message(national, fake_stripe, email):
    response = sign_up(client_for(national), email=email)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vul een e-mailadres in" in page or "Dit is een verplicht veld" in page
    assert not SignUp.objects.exists()


def test_a_stripe_outage_during_sign_up_loses_nothing(national, fake_stripe):
    client = client_for(national)
    fake_stripe.down = True
    response = sign_up(client)
    assert response.status_code == 503
    assert "niet bereikbaar" in response.content.decode()
    record = SignUp.objects.get(cbs_code=AMSTERDAM)
    assert record.status == SignUp.Status.NEW and record.coordinator_email
    fake_stripe.down = False
    retry = client.post(f"/aanmelden/{record.pk}/betalen/")
    assert retry.status_code == 302 and "checkout.stripe.com" in retry["Location"]
    record.refresh_from_db()
    assert record.status == SignUp.Status.CHECKOUT


def test_provisioning_is_idempotent(national, fake_stripe, django_capture_on_commit_callbacks):
    client = client_for(national)
    sign_up(client)
    record = SignUp.objects.get(cbs_code=AMSTERDAM)
    record = complete_and_deliver(client, fake_stripe, record,
                                  django_capture_on_commit_callbacks)
    first = record.municipality
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.provision_sign_up.delay(str(record.pk)).get() == first.pk
    assert Municipality.objects.filter(cbs_code=AMSTERDAM).count() == 1
    assert Subscription.objects.filter(municipality=first).count() == 1
    assert len(mail.outbox) == 1


def test_a_crash_during_provisioning_leaves_nothing_and_the_retry_succeeds(
        national, fake_stripe, django_capture_on_commit_callbacks, monkeypatch):
    from billing.services import lifecycle

    client = client_for(national)
    sign_up(client)
    record = SignUp.objects.get(cbs_code=AMSTERDAM)
    original = lifecycle.create_coordinator

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(lifecycle, "create_coordinator", crash)
    with pytest.raises(RuntimeError):
        complete_and_deliver(client, fake_stripe, record, django_capture_on_commit_callbacks)
    connection.set_schema_to_public()
    record.refresh_from_db()
    assert record.status == SignUp.Status.PAID
    assert not Municipality.objects.filter(cbs_code=AMSTERDAM).exists()
    assert not schema_exists("gm0363")
    monkeypatch.setattr(lifecycle, "create_coordinator", original)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.provision_sign_up.delay(str(record.pk))
    record.refresh_from_db()
    assert record.status == SignUp.Status.PROVISIONED and schema_exists("gm0363")


def test_an_abandoned_sign_up_expires_erases_the_coordinator_and_frees_the_municipality(
        national, fake_stripe):
    from datetime import timedelta

    from django.utils import timezone

    client = client_for(national)
    sign_up(client)
    SignUp.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert tasks.expire_abandoned_sign_ups.delay().get() == 1
    expired = SignUp.objects.get()
    assert expired.status == SignUp.Status.EXPIRED
    assert (expired.coordinator_name, expired.coordinator_email) == ("", "")
    again = sign_up(client, email="nieuwe.coordinator@amsterdam.nl")
    assert again.status_code == 302
    assert SignUp.objects.filter(cbs_code=AMSTERDAM, status=SignUp.Status.CHECKOUT).count() == 1
