from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tenants.services import ensure_national_site, ensure_template_schema
from werktop.schedule import store_beat_schedule


class Command(BaseCommand):
    help = "Create or update the national site and the template schema. Safe to run again."

    def handle(self, *args, **options) -> None:
        ensure_national_site()
        ensure_template_schema(verbosity=options["verbosity"] - 1)
        store_beat_schedule()
        message = _("The national site, the template and the beat schedule are up to date.")
        self.stdout.write(self.style.SUCCESS(message))
