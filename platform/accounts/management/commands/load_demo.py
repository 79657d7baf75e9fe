"""Demo data: three municipalities, a user per role in each, and national users.

Safe to run again: what exists is left alone."""

from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context, tenant_context

from accounts.models import User
from accounts.roles import ROLES, Role
from accounts.services import create_user_with_role
from alerts.services import raise_signals
from cms.services import set_branding
from matching_events.demo import link_demo_portal_users, load_demo_meetups
from ministry.rollups import publish_rollup
from relations.demo import load_demo_relations
from targets.services import recount_target_progress
from tenants.models import DEFAULT_BRAND_COLOUR, Municipality
from tenants.services import ensure_national_site, provision_municipality

DEMO_PASSWORD = "werktop-demo-2026"  # noqa: S105 - fictitious demo accounts, documented
# Zoetermeer, Hilversum, Zaanstad, each with a brand colour that keeps white text at AA contrast.
DEMO_MUNICIPALITIES = {"GM0637": "#00665e", "GM0402": "#7a2a6e", "GM0479": "#1f4e8c"}

# Fictitious people; e-mail addresses use the reserved .example domain.
MUNICIPAL_USERS = [
    (Role.COORDINATOR, "coordinator", "Anouk", "de Vries"),
    (Role.RELATIONSHIP_MANAGER, "relatiemanager", "Mohamed", "El Amrani"),
    (Role.EDITOR, "redacteur", "Sanne", "Jansen"),
    (Role.EMPLOYER, "werkgever", "Peter", "Bakker"),
    (Role.CANDIDATE, "kandidaat", "Fatma", "Yılmaz"),
]
NATIONAL_USERS = [
    (Role.MINISTRY_ANALYST, "analist@ministerie.example", "Jeroen", "Smit"),
    (Role.OPERATOR, "beheer@werktop.example", "Lotte", "Visser"),
]


def demo_email(prefix: str, municipality: Municipality) -> str:
    return f"{prefix}@{municipality.slug}.example"


class Command(BaseCommand):
    help = "Load demo municipalities, users per role and fictitious data (idempotent)."

    def handle(self, *args, **options) -> None:
        ensure_national_site()
        with schema_context("public"):
            for role, email, first, last in NATIONAL_USERS:
                self._user(email, role, first, last)
        for code in DEMO_MUNICIPALITIES:
            municipality = Municipality.objects.filter(cbs_code=code).first()
            if municipality is None:
                municipality = provision_municipality(code)
            with tenant_context(municipality):
                if municipality.brand_colour == DEFAULT_BRAND_COLOUR:  # keep a chosen colour
                    set_branding(brand_colour=DEMO_MUNICIPALITIES[code])
                for role, prefix, first, last in MUNICIPAL_USERS:
                    self._user(demo_email(prefix, municipality), role, first, last)
                manager = User.objects.get(email=demo_email("relatiemanager", municipality))
                coordinator = User.objects.get(email=demo_email("coordinator", municipality))
                load_demo_relations(manager, coordinator, municipality.slug)
                load_demo_meetups(manager, coordinator)
                link_demo_portal_users(
                    User.objects.get(email=demo_email("werkgever", municipality)),
                    User.objects.get(email=demo_email("kandidaat", municipality)))
                recount_target_progress()
                raise_signals()
                publish_rollup()  # the ministry dashboard shows the demo's figures
        self._print_summary()

    def _user(self, email: str, role: Role, first: str, last: str) -> None:
        if not User.objects.filter(email=email).exists():
            create_user_with_role(email, DEMO_PASSWORD, role, first_name=first, last_name=last)

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
