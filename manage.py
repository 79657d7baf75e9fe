#!/usr/bin/env python
"""Django's command-line utility. The repository root and platform/ are the import roots."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def main() -> None:
    # Append, never prepend: platform/ holds packages, it is not the package `platform`.
    for folder in (ROOT, ROOT / "platform"):
        if str(folder) not in sys.path:
            sys.path.append(str(folder))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werktop.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
