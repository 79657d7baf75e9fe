"""Route a custom host name to a municipality: manage.py add_domain GM0637 werk.zoetermeer.nl"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.domains import DomainError, add_domain
from tenants.models import Municipality


class Command(BaseCommand):
    help = ("Add a host name (e.g. a municipality's own werk.<gemeente>.nl, with a CNAME to the "
            "platform) to a municipality; --primary makes it the address used in links and mails.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("cbs", help="CBS code, e.g. GM0637")
        parser.add_argument("host", help="host name, e.g. werk.zoetermeer.nl")
        parser.add_argument("--primary", action="store_true")

    def handle(self, *args: Any, cbs: str, host: str, primary: bool, **options: Any) -> None:
        municipality = Municipality.objects.filter(cbs_code=cbs.upper()).first()
        if municipality is None:
            raise CommandError(f"No municipality with CBS code {cbs}.")
        try:
            domain = add_domain(municipality, host, primary=primary)
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(
            f"{domain.domain} now routes to {municipality.name}"
            + (" (primary address)." if domain.is_primary else ".")))
