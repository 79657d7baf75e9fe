"""Delete one municipality and everything of it, verify that nothing is left, and write the
deletion certificate the processor hands the municipality (tenants.deletion)."""

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from billing.access import Level, access_of
from tenants.cbs import normalise_cbs_code
from tenants.deletion import DeletionRefused, certificate, delete_municipality, verify_deleted
from tenants.models import Municipality

DEFAULT_ACTOR = "platformbeheer (manage.py delete_municipality)"


class Command(BaseCommand):
    help = ("Delete a municipality with all its data and verify it, e.g. delete_municipality "
            "GM0637 --confirm Zoetermeer --certificate /exports/gm0637-verwijderd.json")

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", help="CBS code, e.g. GM0637")
        parser.add_argument("--confirm", required=True, metavar="NAME",
                            help="the municipality's name, to confirm")
        parser.add_argument("--certificate", type=Path, dest="certificate_path",
                            help="write the deletion certificate (JSON) to this new file")
        parser.add_argument("--actor", default=DEFAULT_ACTOR,
                            help="who deletes, named in the certificate")

    def handle(self, *args: Any, code: str, confirm: str, certificate_path: Path | None,
               actor: str, **options: Any) -> None:
        code = normalise_cbs_code(code)
        municipality = Municipality.objects.participating().filter(cbs_code=code).first()
        if municipality is None:
            raise CommandError(_("There is no municipality with CBS code %(code)s on the "
                                 "platform.") % {"code": code})
        if confirm.strip().lower() != municipality.name.lower():
            raise CommandError(_("Refused: --confirm must be the municipality's name, "
                                 "%(name)s. Nothing has been deleted.")
                               % {"name": municipality.name})
        if municipality.billing_status and access_of(municipality).level != Level.CANCELLED:
            raise CommandError(_("Refused: %(name)s still has a running subscription; cancel "
                                 "it first. Nothing has been deleted.")
                               % {"name": municipality.name})
        if certificate_path is not None and certificate_path.exists():
            raise CommandError(_("%(path)s already exists; choose a new file name.")
                               % {"path": certificate_path})
        try:
            deletion = delete_municipality(code, actor=actor)
        except DeletionRefused as refused:
            raise CommandError(str(refused)) from None
        checks = verify_deleted(code, footprint=deletion.footprint)
        statement = certificate(deletion, checks)
        document = json.dumps(statement, indent=1, ensure_ascii=False)
        if certificate_path is not None:
            descriptor = os.open(certificate_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(document + "\n")
        else:
            self.stdout.write(document)
        for check in checks:
            self.stdout.write(f"{check.result:>14}  {check.name}  {check.detail}".rstrip())
        if not statement["complete"]:
            raise CommandError(_("The deletion of %(name)s is not complete: see the checks "
                                 "that failed.") % {"name": deletion.name})
        self.stdout.write(self.style.SUCCESS(statement["statement"]))
