from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tenants.services import ProvisioningError, provision_municipality


class Command(BaseCommand):
    help = "Provision a municipality by CBS code, e.g. --cbs GM0637 (name from the CBS list)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cbs", required=True, help="CBS code, e.g. GM0637")
        parser.add_argument("--domain", help="host name (default: <slug>.<PLATFORM_DOMAIN>)")

    def handle(self, *args, **options) -> None:
        try:
            municipality = provision_municipality(options["cbs"], domain=options["domain"])
        except ProvisioningError as error:
            raise CommandError(str(error)) from None
        domain = municipality.get_primary_domain()
        self.stdout.write(self.style.SUCCESS(
            _("%(name)s (%(code)s) is ready at %(domain)s")
            % {"name": municipality.name, "code": municipality.cbs_code, "domain": domain}))
