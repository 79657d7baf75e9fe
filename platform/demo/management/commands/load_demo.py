"""Demo data: three municipalities, a user per role in each, and national users.

Safe to run again: what exists is left alone. Each feature loads its own part (its `demo.py`,
see `core.demo`); this command provisions the municipalities and runs the parts in order."""

from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context, tenant_context

from accounts.demo import MUNICIPAL_USERS, NATIONAL_USERS
from accounts.roles import ROLES
from core.demo import DEMO_PASSWORD, DemoPlace, demo_parts
from tenants.models import Municipality
from tenants.services import ensure_national_site, provision_municipality

# Zoetermeer, Hilversum, Zaanstad, each with a brand colour that keeps white text at AA contrast.
DEMO_MUNICIPALITIES = {"GM0637": "#00665e", "GM0402": "#7a2a6e", "GM0479": "#1f4e8c"}


class Command(BaseCommand):
    help = "Load demo municipalities, users per role and fictitious data (idempotent)."

    def handle(self, *args, **options) -> None:
        parts = demo_parts()
        ensure_national_site()
        with schema_context("public"):
            place = DemoPlace(national=True)
            for part in parts:
                part.load(place)
        for code, colour in DEMO_MUNICIPALITIES.items():
            municipality = Municipality.objects.filter(cbs_code=code).first()
            if municipality is None:
                municipality = provision_municipality(code)
            with tenant_context(municipality):
                place = DemoPlace(national=False, municipality=municipality, brand_colour=colour)
                for part in parts:
                    part.load(place)
        self._print_summary()

    def _print_summary(self) -> None:
        out = self.stdout.write
        out("")
        out(self.style.SUCCESS("Werktop draait met demodata:"))
        out("  Landelijke site:  http://localhost:8000/")
        for code in DEMO_MUNICIPALITIES:
            m = Municipality.objects.get(cbs_code=code)
            out(f"  {m.name + ':':17} http://{m.get_primary_domain()}:8000/")
        out("")
        out(f"Demo-logins (wachtwoord voor iedereen: {DEMO_PASSWORD}):")
        for role, email, _first, _last in NATIONAL_USERS:
            out(f"  {ROLES[role].group_name:20} {email}  (landelijke site)")
        for role, prefix, _first, _last in MUNICIPAL_USERS:
            out(f"  {ROLES[role].group_name:20} {prefix}@<gemeente>.example, "
                f"bijv. {prefix}@zoetermeer.example")
        out("")
