"""Create a staff account with one role, for a first install or when sign-up is not used.

    manage.py create_staff_user --email beheer@example.nl --role operator
    manage.py create_staff_user --email coordinator@gemeente.nl --role coordinator --cbs GM0637

No password goes through the command line (it would stay in shell histories and process lists):
the account gets none, and the person sets one through "wachtwoord vergeten" on their own host,
then sets up two-factor authentication at the first login.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.forms import ValidationError
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import User
from accounts.roles import ROLES, Role
from accounts.services import create_user_with_role
from tenants.models import Municipality


class Command(BaseCommand):
    help = ("Create a staff account with a role: operator or ministry_analyst on the national "
            "site, or a municipal role with --cbs. No password: the person sets one by "
            "'wachtwoord vergeten'.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=[role.value for role in Role])
        parser.add_argument("--cbs", help="CBS code of the municipality, e.g. GM0637 "
                                          "(leave out for the national site)")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError("Not a valid e-mail address.") from None
        role = Role(options["role"])
        if options["cbs"]:
            municipality = Municipality.objects.filter(
                cbs_code=options["cbs"].upper()).exclude(
                schema_name=get_public_schema_name()).first()
            if municipality is None:
                raise CommandError(f"No municipality with CBS code {options['cbs']}.")
            schema, host = municipality.schema_name, municipality.get_primary_domain().domain
        else:
            schema = get_public_schema_name()
            national = Municipality.objects.filter(schema_name=schema).first()
            host = national.get_primary_domain().domain if national else settings.PLATFORM_DOMAIN
        if ROLES[role].national != (schema == get_public_schema_name()):
            where = ("the national site (no --cbs)" if ROLES[role].national
                     else "a municipality (--cbs)")
            raise CommandError(f"The role {role.value} exists only on {where}.")
        with schema_context(schema):
            if User.objects.filter(email__iexact=email).exists():
                raise CommandError("An account with this e-mail address already exists here.")
            create_user_with_role(email, None, role, first_name=options["first_name"],
                                  last_name=options["last_name"])
        self.stdout.write(self.style.SUCCESS(
            f"Account created ({role.value}). Ask the person to set a password at "
            f"https://{host}/account/password/reset/ and to set up two-factor authentication "
            f"at the first login."))
