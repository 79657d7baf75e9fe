from django.core.management.base import BaseCommand

from tenants.services import ensure_national_site, ensure_template_schema


class Command(BaseCommand):
    help = "Create or update the national site and the template schema. Safe to run again."

    def handle(self, *args, **options) -> None:
        ensure_national_site()
        ensure_template_schema(verbosity=options["verbosity"] - 1)
        self.stdout.write(self.style.SUCCESS("Landelijke site en sjabloon zijn bijgewerkt."))
