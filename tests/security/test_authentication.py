"""Logging in: lock-out after repeated failures, and a password reset that does not tell
whether an address has an account."""

import pytest
from django.core import mail

from accounts.roles import Role
from tests.conftest import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db


def _login(client, email: str, password: str):
    return client.post("/account/login/", {"login": email, "password": password})


def test_five_failed_logins_lock_the_account_out(zoetermeer):
    make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    client = client_for(zoetermeer)
    for _ in range(5):
        assert _login(client, "alice@zoetermeer.example", "wrong-password").status_code == 200
    locked = _login(client, "alice@zoetermeer.example", PASSWORD)
    assert locked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Te veel" in locked.content.decode()


def test_the_lock_out_is_per_municipality(zoetermeer, hilversum):
    make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "same@example.org")
    make_user(hilversum, Role.RELATIONSHIP_MANAGER, "same@example.org")
    for _ in range(5):
        _login(client_for(zoetermeer), "same@example.org", "wrong-password")
    zoetermeer_client = client_for(zoetermeer)
    locked = _login(zoetermeer_client, "same@example.org", PASSWORD)
    assert "Te veel" in locked.content.decode()  # locked out in Zoetermeer
    assert "_auth_user_id" not in zoetermeer_client.session
    hilversum_client = client_for(hilversum)
    assert _login(hilversum_client, "same@example.org", PASSWORD).status_code == 302


def test_a_password_reset_does_not_reveal_whether_an_address_exists(zoetermeer):
    make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    client = client_for(zoetermeer)
    known = client.post("/account/password/reset/", {"email": "alice@zoetermeer.example"})
    unknown = client.post("/account/password/reset/", {"email": "niemand@zoetermeer.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    reset_mails = [m for m in mail.outbox if "alice@zoetermeer.example" in m.to]
    assert len(reset_mails) == 1


def test_a_user_sees_and_ends_their_other_sessions(zoetermeer):
    make_user(zoetermeer, Role.COORDINATOR, "carol@zoetermeer.example")
    laptop, phone = client_for(zoetermeer), client_for(zoetermeer)
    assert _login(laptop, "carol@zoetermeer.example", PASSWORD).status_code == 302
    assert _login(phone, "carol@zoetermeer.example", PASSWORD).status_code == 302
    page = laptop.get("/account/sessions/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("127.0.0.1") == 2 and "Elders uitloggen" in text  # both sessions
    ended = laptop.post("/account/sessions/", {"action": "logout"})
    assert ended.status_code == 302
    assert phone.get("/werkplek/").status_code == 302  # the phone is logged out
    assert laptop.get("/werkplek/").status_code == 200  # this session stays


def test_security_events_go_into_the_municipality_s_audit_trail(zoetermeer, national):
    from django.contrib.auth.models import Group
    from django_tenants.utils import tenant_context

    from audit.models import AuditEntry

    alice = make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "alice@zoetermeer.example")
    make_user(zoetermeer, Role.COORDINATOR, "carol@zoetermeer.example")
    client = client_for(zoetermeer)
    _login(client, "alice@zoetermeer.example", "wrong-password")
    _login(client, "alice@zoetermeer.example", PASSWORD)
    assert client.get("/werkplek/doelen/periode/").status_code == 403  # coordinators only
    with tenant_context(zoetermeer):
        alice.groups.add(Group.objects.get(name="Coördinator"))
        Group.objects.get(name="Redacteur").user_set.add(alice)  # the other direction
        entries = list(AuditEntry.objects.order_by("pk").values_list(
            "action", "actor_label", "detail"))
    actions = [entry[0] for entry in entries]
    # Creating the two users gave them their roles; then alice's session.
    assert actions == ["role_change", "role_change", "login_failed", "login", "denied",
                       "role_change", "role_change"], actions
    with tenant_context(zoetermeer):
        last = AuditEntry.objects.order_by("-pk").first()
    assert (last.object_id, last.detail) == (str(alice.pk), "+ Redacteur")
    assert entries[2][1] == ""  # the attempted address of a failed login is not kept
    assert not any("wrong-password" in str(entry) for entry in entries)
    assert entries[5][2] == "+ Coördinator"
    # The coordinator reads them in the audit log; nobody can edit them (no form, no admin).
    carol = client_for(zoetermeer)
    _login(carol, "carol@zoetermeer.example", PASSWORD)
    page = carol.get("/werkplek/logboek/").content.decode()
    assert "mislukte inlogpoging" in page and "geweigerd" in page
    # The national site has no audit table: a login there still works.
    make_user(national, Role.OPERATOR, "ops@werktop.example")
    assert _login(client_for(national), "ops@werktop.example", PASSWORD).status_code == 302
