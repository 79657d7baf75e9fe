"""Back up one municipality: its schema (pg_dump -n) and its rows in the shared tables."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.backup import backup_municipality
from tenants.cbs import normalise_cbs_code
from tenants.models import Municipality


class Command(BaseCommand):
    help = "Write a backup folder of one municipality (schema dump, shared rows, manifest)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cbs", required=True, help="CBS code, e.g. GM0637")
        parser.add_argument("--to", required=True, type=Path, help="folder for the backup")

    def handle(self, *args: Any, cbs: str, to: Path, **options: Any) -> None:
        municipality = Municipality.objects.participating().filter(
            cbs_code=normalise_cbs_code(cbs)).first()
        if municipality is None:
            raise CommandError(f"No municipality with CBS code {cbs} on the platform.")
        self.stdout.write(str(backup_municipality(municipality, to)))
