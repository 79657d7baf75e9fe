"""`manage.py check --deploy` under the production settings prints only the warnings that
docs/deploy-check.md lists with their reasons (the test reads the IDs from that table)."""

import os
import re
import secrets
import subprocess
import sys

from tests.test_settings import REPO, STRIPE

DOCUMENTED = REPO / "docs" / "deploy-check.md"
CHECK_ID = re.compile(r"\(([a-z_]+\.[A-Z]\d{3})\)")
TABLE_ROW = re.compile(r"^\| `([a-z_]+\.[A-Z]\d{3})` \|")


def documented_ids() -> set[str]:
    return {match[1] for line in DOCUMENTED.read_text().splitlines()
            if (match := TABLE_ROW.match(line))}


def test_the_deploy_check_prints_only_documented_warnings():
    # Safe values for everything production refuses to start without (a real-looking random
    # key: Django warns about keys shorter than 50 characters or with few distinct ones).
    environment = {**os.environ, **STRIPE, "DJANGO_SETTINGS_MODULE": "werktop.settings.production",
                   "SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "false"}
    for name in ("METRICS_TOKEN", "EMAIL_URL", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT"):
        environment.pop(name, None)  # production's defaults, not this machine's
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=REPO, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    printed = set(CHECK_ID.findall(result.stdout + result.stderr))
    documented = documented_ids()
    assert documented, "docs/deploy-check.md lists no check"
    assert printed - documented == set(), f"undocumented: {result.stdout}{result.stderr}"
    assert documented - printed == set(), "documented, but no longer printed: remove the rows"
