"""The subscription's life in the workspace: past due (banner, e-mail), read-only (writes
refused, reads and the portal fine, nothing deleted), cancelled (export period, then an
operator's explicit removal); the coordinator's invoices; the operators' overview."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_exists, tenant_context

from accounts.roles import Role
from billing.access import Level, access_of
from billing.models import Subscription
from billing.services import lifecycle
from relations.models import Employer
from tenants.models import Municipality
from tenants.services import provision_municipality
from tests.conftest import PASSWORD, client_for, make_user
from tests.relations.test_views import EMPLOYER

pytestmark = pytest.mark.django_db


def logged_in(municipality, user):
    client = client_for(municipality)
    assert client.post("/account/login/", {"login": user.email,
                                            "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def subscription(zoetermeer, fake_stripe):
    """Zoetermeer on a subscription that Stripe knows as active."""
    fake_stripe.objects["sub_zoe"] = {
        "id": "sub_zoe", "object": "subscription", "customer": "cus_zoe", "status": "active",
        "collection_method": "send_invoice", "trial_end": None, "canceled_at": None,
        "metadata": {}, "items": {"data": [{"current_period_end": 1893456000}]}}
    record = Subscription.objects.create(
        municipality=zoetermeer, plan="medium", stripe_customer_id="cus_zoe",
        stripe_subscription_id="sub_zoe", status="active", status_since=timezone.now())
    lifecycle.sync_subscription("sub_zoe")
    return record


@pytest.fixture
def carol(zoetermeer):
    return make_user(zoetermeer, Role.COORDINATOR, "carol@zoetermeer.example")


@pytest.fixture
def alice(zoetermeer):
    return make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")


def set_status(fake_stripe, status: str, capture) -> None:
    fake_stripe.set_status("sub_zoe", status)
    with capture(execute=True):
        lifecycle.sync_subscription("sub_zoe")


def age_status(zoetermeer, days: int) -> None:
    since = timezone.now() - timedelta(days=days)
    Municipality.objects.filter(pk=zoetermeer.pk).update(billing_status_since=since)
    Subscription.objects.filter(municipality=zoetermeer).update(status_since=since)


def test_past_due_shows_a_banner_and_mails_the_coordinators_once(
        zoetermeer, subscription, carol, alice, fake_stripe,
        django_capture_on_commit_callbacks):
    set_status(fake_stripe, "past_due", django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["carol@zoetermeer.example"]]
    assert "achterstallig" in mail.outbox[0].subject.lower()
    set_status(fake_stripe, "past_due", django_capture_on_commit_callbacks)  # again: no mail
    assert len(mail.outbox) == 1
    page = logged_in(zoetermeer, alice).get("/werkplek/")
    assert page.status_code == 200
    assert "Een betaling voor Werktop staat open" in page.content.decode()
    # Within the grace period the workspace still accepts changes.
    response = logged_in(zoetermeer, alice).post("/werkplek/werkgevers/nieuw/",
                                                 {**EMPLOYER, "owner": alice.pk})
    assert response.status_code == 302


@pytest.mark.parametrize("how", ["past_due_beyond_grace", "unpaid"])
def test_an_unpaid_workspace_is_read_only_but_nothing_is_lost(
        zoetermeer, subscription, alice, fake_stripe, django_capture_on_commit_callbacks, how):
    with tenant_context(zoetermeer):
        Employer.objects.create(name="Bakkerij De Korenschoof", kvk_number="12345678",
                                owner=alice)
    if how == "unpaid":
        set_status(fake_stripe, "unpaid", django_capture_on_commit_callbacks)
    else:
        set_status(fake_stripe, "past_due", django_capture_on_commit_callbacks)
        age_status(zoetermeer, 15)
    zoetermeer.refresh_from_db()
    assert access_of(zoetermeer).level == Level.READ_ONLY
    client = logged_in(zoetermeer, alice)  # logging in still works
    refused = client.post("/werkplek/werkgevers/nieuw/", {**EMPLOYER, "name": "Nieuw BV",
                                                          "owner": alice.pk})
    assert refused.status_code == 403
    assert "alleen-lezen" in refused.content.decode()
    with tenant_context(zoetermeer):
        assert list(Employer.objects.values_list("name", flat=True)) == [
            "Bakkerij De Korenschoof"]
    listing = client.get("/werkplek/werkgevers/")
    assert listing.status_code == 200 and "Korenschoof" in listing.content.decode()
    assert client_for(zoetermeer).get("/").status_code == 200  # the public portal stays up


def test_cancelled_keeps_data_for_export_then_an_operator_removes_it(
        national, fake_stripe, django_capture_on_commit_callbacks):
    municipality = provision_municipality("GM0363")
    fake_stripe.objects["sub_ams"] = {
        "id": "sub_ams", "object": "subscription", "customer": "cus_ams", "status": "active",
        "collection_method": "send_invoice", "metadata": {}, "items": {"data": []}}
    record = Subscription.objects.create(
        municipality=municipality, plan="large", stripe_customer_id="cus_ams",
        stripe_subscription_id="sub_ams", status="active", status_since=timezone.now())
    fake_stripe.set_status("sub_ams", "canceled")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.sync_subscription("sub_ams")
    municipality.refresh_from_db()
    access = access_of(municipality)
    assert access.level == Level.CANCELLED and access.read_only
    operator = make_user(national, Role.OPERATOR, "ops@werktop.example")
    client = logged_in(national, operator)
    page = client.get("/beheer/abonnementen/").content.decode()
    assert "Amsterdam" in page
    url = f"/beheer/abonnementen/{record.pk}/verwijderen/"
    early = client.post(url, {"naam": "Amsterdam"})
    assert early.status_code == 400 and "exportperiode" in early.content.decode()
    assert schema_exists(municipality.schema_name)
    Municipality.objects.filter(pk=municipality.pk).update(
        billing_status_since=timezone.now() - timedelta(days=91))
    wrong = client.post(url, {"naam": "Amstelveen"})
    assert wrong.status_code == 400 and schema_exists(municipality.schema_name)
    # Provisioned and dropped in one test transaction: fire the deferred triggers first.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    done = client.post(url, {"naam": "amsterdam"})
    assert done.status_code == 302
    assert not Municipality.objects.filter(cbs_code="GM0363").exists()
    assert not schema_exists(municipality.schema_name)


def test_only_operators_see_the_subscriptions(national, subscription):
    analyst = make_user(national, Role.MINISTRY_ANALYST, "analist@ministerie.example")
    assert logged_in(national, analyst).get("/beheer/abonnementen/").status_code == 403
    operator = make_user(national, Role.OPERATOR, "ops@werktop.example")
    page = logged_in(national, operator).get("/beheer/abonnementen/").content.decode()
    assert "Zoetermeer" in page


def test_the_coordinator_sees_invoices_and_opens_stripes_portal(
        zoetermeer, subscription, carol, alice, fake_stripe):
    fake_stripe.add_invoice("sub_zoe", status="paid", amount=480000)
    client = logged_in(zoetermeer, carol)
    page = client.get("/werkplek/abonnement/")
    assert page.status_code == 200
    assert "4800,00" in page.content.decode() or "4.800,00" in page.content.decode()
    portal = client.post("/werkplek/abonnement/portaal/")
    assert portal.status_code == 302
    assert portal["Location"].startswith("https://billing.stripe.com/")
    assert logged_in(zoetermeer, alice).get("/werkplek/abonnement/").status_code == 403


def test_a_stripe_outage_on_the_subscription_page_gives_a_message(
        zoetermeer, subscription, carol, fake_stripe):
    fake_stripe.down = True
    client = logged_in(zoetermeer, carol)
    page = client.get("/werkplek/abonnement/")
    assert page.status_code == 200 and "niet bereikbaar" in page.content.decode()
    assert client.post("/werkplek/abonnement/portaal/").status_code == 503


def test_another_municipality_cannot_see_the_subscription(hilversum, subscription,
                                                          fake_stripe):
    invoice = fake_stripe.add_invoice("sub_zoe", status="paid")
    dirk = make_user(hilversum, Role.COORDINATOR, "dirk@hilversum.example")
    page = logged_in(hilversum, dirk).get("/werkplek/abonnement/").content.decode()
    assert invoice["number"] not in page and "geen abonnement" in page
