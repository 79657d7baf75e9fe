"""Issue 18 (start): one guard for per-municipality tasks and one fan-out helper, instead of
seven and six copies. The guard refuses the template schema too (the copies only refused the
public schema), and the fan-out sends once per participating municipality, from its schema."""

from unittest import mock

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from alerts.tasks import raise_signals
from matching_events.tasks import expire_unconfirmed_registrations, send_meetup_reminders
from ministry.tasks import publish_rollup
from relations.tasks import delete_abandoned_import_files, delete_expired_candidate_files
from reports.tasks import generate_report
from targets.tasks import recount_target_progress
from tenants.fanout import fan_out
from tenants.models import Municipality

GUARDED = [raise_signals, expire_unconfirmed_registrations, send_meetup_reminders,
           publish_rollup, delete_abandoned_import_files, delete_expired_candidate_files,
           recount_target_progress]


@pytest.mark.parametrize("task", GUARDED, ids=lambda task: task.name)
@pytest.mark.parametrize("schema", ["public", "werktop_template"])
def test_per_municipality_tasks_refuse_the_national_site_and_the_template(task, schema, db):
    with schema_context(schema), pytest.raises(RuntimeError, match="municipality schema"):
        task.run()


def test_a_task_with_arguments_is_guarded_too(db):
    with schema_context("werktop_template"), pytest.raises(RuntimeError):
        generate_report.run(1)


def test_the_fan_out_runs_once_inside_every_participating_municipality(zoetermeer, hilversum):
    seen = []
    with mock.patch.object(recount_target_progress, "apply_async",
                           side_effect=lambda *args, **kwargs: seen.append(connection.schema_name)):
        count = fan_out(recount_target_progress)
    expected = sorted(Municipality.objects.participating().values_list("schema_name", flat=True))
    assert count == len(expected) and sorted(seen) == expected
    assert "public" not in seen and "werktop_template" not in seen
