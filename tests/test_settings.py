"""Production settings refuse to start when misconfigured."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 50
# What a real installation sets; production refuses the shipped placeholders (issue 17).
STRIPE = {"STRIPE_SECRET_KEY": "sk_live_" + "a1" * 20,
          "STRIPE_WEBHOOK_SECRET": "whsec_" + "b2" * 16,
          "STRIPE_PRICE_SMALL": "price_1Small", "STRIPE_PRICE_MEDIUM": "price_1Medium",
          "STRIPE_PRICE_LARGE": "price_1Large"}


def _load_production(**env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "werktop.settings.production",
                   **STRIPE, **env}
    if "DEBUG" not in env:
        environment.pop("DEBUG", None)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
         "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
         "settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME,"
         "settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE)"],
        cwd=REPO, env=environment, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize(("env", "message"), [
    ({"DEBUG": "true", "SECRET_KEY": GOOD_KEY}, "DEBUG must be off"),
    ({"SECRET_KEY": "dev-insecure-secret-key-change-me"}, "SECRET_KEY"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    # the values shipped in .env.example and infra/compose/.env.example
    ({"SECRET_KEY": GOOD_KEY, "STRIPE_WEBHOOK_SECRET": "whsec_not_configured"},
     "STRIPE_WEBHOOK_SECRET"),
    ({"SECRET_KEY": GOOD_KEY, "STRIPE_WEBHOOK_SECRET": ""}, "STRIPE_WEBHOOK_SECRET"),
    ({"SECRET_KEY": GOOD_KEY, "STRIPE_SECRET_KEY": "sk_live_not_configured"},
     "STRIPE_SECRET_KEY"),
    ({"SECRET_KEY": GOOD_KEY, "STRIPE_PRICE_LARGE": "price_large_not_configured"},
     "STRIPE_PRICE_LARGE"),
    ({"SECRET_KEY": GOOD_KEY, "METRICS_TOKEN": "change-me"}, "METRICS_TOKEN"),
    ({"SECRET_KEY": GOOD_KEY, "METRICS_TOKEN": "short"}, "METRICS_TOKEN"),
    ({"SECRET_KEY": GOOD_KEY,
      "EMAIL_URL": "smtp+tls://werktop:change-me@smtp.werktop.example:587"}, "EMAIL_URL"),
])
def test_production_refuses_unsafe_settings(env, message):
    result = _load_production(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_safe_settings_and_secure_cookies():
    result = _load_production(SECRET_KEY=GOOD_KEY, DEBUG="false")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True __Host-sessionid __Host-csrftoken True Lax"


def test_every_environment_variable_is_documented():
    documented = {
        line.split("=", 1)[0]
        for line in (REPO / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    settings_dir = REPO / "platform" / "werktop" / "settings"
    used = set()
    for path in settings_dir.glob("*.py"):
        used |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', path.read_text()))
    assert used - documented == set()
