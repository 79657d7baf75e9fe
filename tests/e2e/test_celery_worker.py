"""A real Celery worker, over the real Redis broker: a task sent inside a municipality's schema
runs in that schema, and the worker's `platform` is the standard library."""

import sys
import sysconfig
import time
from pathlib import Path

import pytest
from django_tenants.utils import schema_context, tenant_context

from core.tasks import describe_worker
from targets.models import TargetProgress
from targets.tasks import recount_all_target_progress, recount_target_progress
from tenants.models import Municipality
from tests.e2e.conftest import running
from werktop.celery import app

pytestmark = pytest.mark.e2e


@pytest.fixture
def worker(committed):
    args = [sys.executable, "-m", "celery", "-A", "werktop", "worker", "--pool", "solo",
            "-Q", "urgent,default,background", "--without-heartbeat", "--without-mingle",
            "--without-gossip", "--loglevel", "INFO"]
    app.conf.task_always_eager = False
    app.control.purge()
    try:
        with running(args, ready=lambda: bool(app.control.ping(timeout=0.5))) as proc:
            yield proc
    finally:
        app.conf.task_always_eager = True


def test_a_task_runs_in_its_municipality_on_a_real_worker(worker, committed):
    with committed():
        zoetermeer = Municipality.objects.get(cbs_code="GM0637")
        hilversum = Municipality.objects.get(cbs_code="GM0402")
        with tenant_context(zoetermeer):
            TargetProgress.objects.all().delete()
            described = describe_worker.delay().get(timeout=30)
            pk = recount_target_progress.delay().get(timeout=30)
        try:
            assert described["schema"] == "gm0637"
            stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
            assert Path(described["platform_module"]).resolve().parent == stdlib
            with tenant_context(zoetermeer):
                assert TargetProgress.objects.get(pk=pk).counted_in_schema == "gm0637"
            with tenant_context(hilversum):
                assert not TargetProgress.objects.exists()
        finally:
            with tenant_context(zoetermeer):
                TargetProgress.objects.all().delete()


def test_the_periodic_fan_out_reaches_every_municipality_on_a_real_worker(worker, committed):
    with committed():
        municipalities = list(Municipality.objects.participating())
        for municipality in municipalities:
            with tenant_context(municipality):
                TargetProgress.objects.all().delete()
        with schema_context("public"):
            assert recount_all_target_progress.delay().get(timeout=30) == len(municipalities)
        try:
            for municipality in municipalities:
                with tenant_context(municipality):
                    deadline = time.monotonic() + 30
                    while not TargetProgress.objects.exists() and time.monotonic() < deadline:
                        time.sleep(0.2)
                    progress = TargetProgress.objects.get()
                    assert progress.counted_in_schema == municipality.schema_name
        finally:
            for municipality in municipalities:
                with tenant_context(municipality):
                    TargetProgress.objects.all().delete()
