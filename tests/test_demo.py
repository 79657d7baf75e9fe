from django.core.management import call_command
from django_tenants.utils import schema_context, tenant_context

from accounts.models import User
from matching_events.models import EmployerAccount, Meetup, Placement
from ministry.models import PeriodRollup
from targets.models import TargetProgress
from tenants.models import Municipality


def test_the_demo_loader_can_run_twice(db, capsys):
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "http://zaanstad.localhost:8000/" in out
    assert "werktop-demo-2026" in out
    demo = Municipality.objects.filter(cbs_code__in=["GM0637", "GM0402", "GM0479"])
    assert demo.count() == 3
    assert len({m.brand_colour for m in demo}) == 3
    for municipality in demo:
        with tenant_context(municipality):
            assert User.objects.filter(email__endswith=f"@{municipality.slug}.example").count() == 5
            assert TargetProgress.objects.filter(target_regular_jobs=40).exists()
            assert Meetup.objects.filter(status="published").exists()
            assert Placement.objects.count() == 2
            assert EmployerAccount.objects.filter(user__email__startswith="werkgever@").exists()
    with schema_context("public"):
        assert PeriodRollup.objects.filter(municipality__in=demo).count() == 3
        assert User.objects.filter(email__in=["analist@ministerie.example",
                                              "beheer@werktop.example"]).count() == 2
