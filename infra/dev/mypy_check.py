"""mypy (with django-stubs) on the core and the services, against a baseline that only shrinks.

Checked: platform/core and every `services.py` module and `services/` package of the project,
wherever it lives (found by walking the source folders, so a room that moves or a new
services module is checked without editing this file). The configuration is `[tool.mypy]` in
pyproject.toml; the django-stubs plugin imports the test settings only (no database, no Redis).

infra/dev/mypy_baseline.txt holds the errors of the day the check began, one a line, without
line numbers (`path: error: message [code]`; a line may repeat). The check fails when mypy
reports an error that is not in the baseline, and when the baseline holds an error mypy no
longer reports: then shrink it with `--shrink`, which keeps only the entries that still occur
and so can never add one.

    .venv/bin/python infra/dev/mypy_check.py            # make lint
    .venv/bin/python infra/dev/mypy_check.py --shrink   # after fixing errors
"""

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BASELINE = REPO / "infra" / "dev" / "mypy_baseline.txt"
ALWAYS = ["platform/core"]
# Folders that hold no first-party source, or whose code is not the services'.
SKIP = {".venv", ".tools", ".local", ".git", "node_modules", "tests", "migrations", "infra",
        "docs", "__pycache__"}
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+(?::\d+)?: error: (?P<message>.*)$")


def services_modules(root: Path = REPO) -> Iterator[str]:
    """Every services.py and services/ package below the repository, relative, sorted."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP and not d.startswith("."))
        here = Path(folder)
        if "services.py" in files:
            found.append(here / "services.py")
        if here.name == "services" and "__init__.py" in files:
            found.append(here)
            dirs[:] = []  # the package is checked as a whole
    yield from sorted(path.relative_to(root).as_posix() for path in found)


def targets() -> list[str]:
    return ALWAYS + [path for path in services_modules() if not path.startswith("platform/core/")]


def normalise(line: str) -> str | None:
    """`path:12: error: message  [code]` -> `path: error: message [code]`; None for notes."""
    match = ERROR.match(line.strip())
    if match is None:
        return None
    message = re.sub(r"\s+", " ", match["message"]).strip()
    return f"{match['path']}: error: {message}"


def run_mypy(paths: list[str]) -> tuple[list[str], int]:
    """The raw error lines and mypy's exit status (0 clean, 1 errors, 2 crash or bad usage)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "werktop.settings.test",
           "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "platform")])}
    result = subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [sys.executable, "-m", "mypy", "--no-error-summary", "--no-pretty", *paths],
        cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        sys.stderr.write(result.stdout + result.stderr)
    lines = [line for line in result.stdout.splitlines() if normalise(line)]
    return lines, result.returncode


def read_baseline() -> Counter[str]:
    if not BASELINE.exists():
        return Counter()
    return Counter(line for line in BASELINE.read_text().splitlines()
                   if line.strip() and not line.startswith("#"))


def write_baseline(entries: Counter[str]) -> None:
    header = ("# mypy errors accepted for now (infra/dev/mypy_check.py): this list only shrinks.\n"
              "# Rewrite after fixing errors: .venv/bin/python infra/dev/mypy_check.py --shrink\n")
    BASELINE.write_text(header + "".join(f"{line}\n" for line in sorted(entries.elements())))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shrink", action="store_true",
                        help="drop the baseline entries mypy no longer reports (never adds one)")
    options = parser.parse_args()

    paths = targets()
    lines, status = run_mypy(paths)
    if status not in (0, 1):
        print(f"mypy failed to run (exit status {status})")
        return 2
    current = Counter(normalise(line) for line in lines)
    baseline = read_baseline()
    if options.shrink:
        kept = (current & baseline) if BASELINE.exists() else current
        write_baseline(kept)
        print(f"mypy baseline: {sum(kept.values())} entries (was {sum(baseline.values())})")
        baseline = kept

    new = current - baseline
    gone = baseline - current
    if new:
        print("mypy: errors that are not in infra/dev/mypy_baseline.txt (fix them):")
        extra = Counter(new)
        for line in lines:
            key = normalise(line)
            if extra[key] > 0:
                print("  " + line)
                extra[key] -= 1
    if gone:
        print("mypy: fixed, but still in infra/dev/mypy_baseline.txt (shrink the baseline with "
              "`.venv/bin/python infra/dev/mypy_check.py --shrink`):")
        for entry in sorted(gone.elements()):
            print("  " + entry)
    if new or gone:
        return 1
    print(f"mypy: {len(paths)} targets, {sum(current.values())} known errors "
          f"(baseline), no new ones")
    return 0


if __name__ == "__main__":
    sys.exit(main())
