"""Delete every ministry rollup and rebuild them from the municipalities' own data."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django_tenants.utils import tenant_context

from ministry import overview_cache
from ministry.models import PeriodRollup, WeekRollup
from ministry.rollups import publish_rollup
from tenants.models import Municipality


class Command(BaseCommand):
    help = "Delete all ministry rollups and rebuild them, per municipality in its own schema."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            weeks, _ = WeekRollup.objects.all().delete()
            periods, _ = PeriodRollup.objects.all().delete()
            overview_cache.changed()
            published = 0
            for municipality in Municipality.objects.participating().order_by("schema_name"):
                with tenant_context(municipality):
                    published += publish_rollup() is not None
        self.stdout.write(f"Deleted {periods} period and {weeks} week rollups; "
                          f"published {published} municipalities.")
