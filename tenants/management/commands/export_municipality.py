"""The exit export of one municipality: every table of its schema and its shared rows as CSV,
its media files, a manifest with checksums and a Dutch LEESMIJ.txt, in one .zip."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tenants.cbs import normalise_cbs_code
from tenants.exit_export import DEFAULT_ACTOR, ExportError, export_municipality
from tenants.models import Municipality


class Command(BaseCommand):
    help = ("Write the exit export of one municipality (all its data in open formats) to a "
            "new .zip file, e.g. export_municipality GM0637 /exports/zoetermeer.zip")

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", help="CBS code, e.g. GM0637")
        parser.add_argument("output", type=Path, help="the .zip file to write (must not exist)")
        parser.add_argument("--actor", default=DEFAULT_ACTOR,
                            help="who makes the export, for the municipality's audit trail")

    def handle(self, *args: Any, code: str, output: Path, actor: str, **options: Any) -> None:
        municipality = Municipality.objects.participating().filter(
            cbs_code=normalise_cbs_code(code)).first()
        if municipality is None:
            raise CommandError(_("There is no municipality with CBS code %(code)s on the "
                                 "platform.") % {"code": code})
        try:
            result = export_municipality(municipality, output, actor=actor)
        except ExportError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        self.stdout.write(self.style.SUCCESS(
            _("Exported %(name)s to %(path)s: %(tables)s tables, %(rows)s rows, %(files)s "
              "files.") % {
                "name": municipality.name, "path": result.path,
                "tables": len(manifest["tables"]) + len(manifest["shared_tables"]),
                "rows": sum(t["rows"] for t in manifest["tables"].values())
                + sum(t["rows"] for t in manifest["shared_tables"].values()),
                "files": len(manifest["media"])}))
