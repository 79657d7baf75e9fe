"""Restore one municipality from a backup folder, as a fresh schema (the current schema is
renamed aside, not dropped)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.backup import restore_municipality


class Command(BaseCommand):
    help = "Restore a municipality from a folder written by backup_municipality."

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", type=Path, help="the backup folder")

    def handle(self, *args: Any, backup: Path, **options: Any) -> None:
        if not (backup / "manifest.json").exists():
            raise CommandError(f"{backup} is not a backup folder (no manifest.json).")
        aside = restore_municipality(backup)
        self.stdout.write("Restored." + (f" The schema that was there is kept as {aside}; "
                                         "drop it once the restore is checked." if aside else ""))
