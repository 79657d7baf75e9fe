from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from core.schedule import store_beat_schedule
from tenants import signals
from tenants.models import Municipality
from tenants.services import ensure_national_site, ensure_template_schema


class Command(BaseCommand):
    help = "Create or update the national site and the template schema. Safe to run again."

    def handle(self, *args, **options) -> None:
        ensure_national_site()
        ensure_template_schema(verbosity=options["verbosity"] - 1)
        store_beat_schedule()
        # Roles change with the code (new permissions): bring every municipality up to date
        # (`signals.code_updated`: accounts updates the role groups).
        for municipality in Municipality.objects.participating():
            with tenant_context(municipality):
                signals.code_updated.send(sender=Municipality)
        message = _("The national site, the template, the roles and the beat schedule are up "
                    "to date.")
        self.stdout.write(self.style.SUCCESS(message))
