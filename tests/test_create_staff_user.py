"""manage.py create_staff_user: the first operator of an install, or a coordinator by hand."""

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context, tenant_context

from accounts.models import User


def test_operator_on_the_national_site_without_password(national, capsys):
    call_command("create_staff_user", "--email", "Beheer@Example.nl", "--role", "operator")
    with schema_context("public"):
        user = User.objects.get(email="beheer@example.nl")
        assert not user.has_usable_password()
        assert user.has_perm("accounts.operate_platform")
    assert "/account/password/reset/" in capsys.readouterr().out


def test_coordinator_in_one_municipality_only(zoetermeer, hilversum):
    call_command("create_staff_user", "--email", "co@zoetermeer.nl", "--role", "coordinator",
                 "--cbs", zoetermeer.cbs_code)
    with tenant_context(zoetermeer):
        assert User.objects.get(email="co@zoetermeer.nl").has_perm("accounts.manage_targets")
    with tenant_context(hilversum):
        assert not User.objects.filter(email="co@zoetermeer.nl").exists()
    with schema_context("public"):
        assert not User.objects.filter(email="co@zoetermeer.nl").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--email", "x@example.nl", "--role", "coordinator"], "only on a municipality"),
    (["--email", "x@example.nl", "--role", "operator", "--cbs", "GM0637"], "only on the national"),
    (["--email", "geen-adres", "--role", "operator"], "valid e-mail"),
    (["--email", "x@example.nl", "--role", "coordinator", "--cbs", "GM9999"], "No municipality"),
])
def test_refuses_bad_input(zoetermeer, national, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_staff_user", *args)


def test_refuses_an_existing_account(national):
    call_command("create_staff_user", "--email", "a@example.nl", "--role", "ministry_analyst")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_staff_user", "--email", "A@example.nl", "--role", "operator")
