"""The container image's Dockerfile (infra/docker/Dockerfile), read as text: no Docker needed.

Multi-stage, locked dependencies, static files collected at build time, a non-root numeric
user, the shared entrypoint, a health check, and no secret in the runtime stage."""

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "infra" / "docker" / "Dockerfile"
ENTRYPOINT = "/app/infra/docker/entrypoint.sh"
SECRET_NAMES = re.compile(r"(SECRET|PASSWORD|TOKEN|DSN|API_KEY|PRIVATE_KEY)", re.IGNORECASE)


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def of(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse(text: str) -> list[Stage]:
    """Stages of a Dockerfile: continuation lines joined, comments dropped."""
    lines: list[str] = []
    current = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not current):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1].rstrip() + " "
            continue
        lines.append((current + stripped).strip())
        current = ""
    if current.strip():
        lines.append(current.strip())
    stages: list[Stage] = []
    for line in lines:
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = args.split()
            words = [w for w in words if not w.startswith("--")]
            name = words[2] if len(words) > 2 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=name))
        elif stages:
            stages[-1].instructions.append((keyword, args.strip()))
    return stages


def env_keys(args: str) -> dict[str, str]:
    """ENV KEY=VALUE KEY2=VALUE2 (or the legacy ENV KEY VALUE)."""
    words = shlex.split(args)
    if words and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    return dict(word.split("=", 1) for word in words)


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse(DOCKERFILE.read_text())


@pytest.fixture(scope="module")
def final(stages) -> Stage:
    return stages[-1]


def test_the_parser_reads_stages_and_joined_lines():
    stages = parse("FROM a AS one\n# note\nRUN x \\\n    && y\nFROM b\nUSER 1\n")
    assert [(s.base, s.name) for s in stages] == [("a", "one"), ("b", None)]
    assert stages[0].of("RUN") == ["x && y"]
    assert stages[1].of("USER") == ["1"]


def test_multi_stage_build_on_python_311_slim(stages, final):
    assert len(stages) >= 2
    assert stages[0].name == "builder"
    text = DOCKERFILE.read_text()
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in text
    assert all(stage.base == "${PYTHON_IMAGE}" for stage in stages)
    # The runtime stage takes the built application from the builder, not from the context.
    copies = final.of("COPY")
    assert any("--from=builder" in copy and copy.endswith("/app /app") for copy in copies)
    assert not [copy for copy in copies if "--from" not in copy]


def test_locked_dependencies_installed_before_the_source(stages):
    builder = stages[0]
    runs = builder.of("RUN")
    assert any(re.search(r"uv sync --frozen --no-dev --no-install-project", run) for run in runs)
    assert any(re.search(r"uv sync --frozen --no-dev\s*$", run) for run in runs)
    order = [kw + " " + args for kw, args in builder.instructions]
    deps = next(i for i, line in enumerate(order) if "--no-install-project" in line)
    source = next(i for i, line in enumerate(order) if line.startswith("COPY . /app"))
    assert deps < source, "dependencies must be a layer of their own, before the source"
    # uv itself is pinned to a version, never :latest.
    uv = next(copy for copy in builder.of("COPY") if "astral-sh/uv" in copy)
    assert re.search(r"astral-sh/uv:\d+\.\d+\.\d+ ", uv)


def test_messages_compiled_and_static_files_collected_at_build_time(stages):
    runs = " ".join(stages[0].of("RUN"))
    assert "manage.py compilemessages" in runs
    assert "manage.py collectstatic --noinput" in runs
    assert "DJANGO_SETTINGS_MODULE=werktop.settings.production" in runs


def test_runtime_runs_as_a_non_root_numeric_user(final):
    users = final.of("USER")
    assert users, "the runtime stage must switch user"
    uid, _, gid = users[-1].partition(":")
    assert uid.isdigit() and int(uid) >= 1000
    assert not gid or (gid.isdigit() and int(gid) > 0)
    runs = " ".join(final.of("RUN"))
    assert f"--uid {uid}" in runs
    # The only writable places: uploads and the metrics folder.
    assert "chown werktop:werktop /data/media /tmp/prometheus" in runs


def test_entrypoint_command_port_and_volume(final):
    assert json.loads(final.of("ENTRYPOINT")[-1]) == [ENTRYPOINT]
    assert json.loads(final.of("CMD")[-1]) == ["web"]
    assert (ROOT / ENTRYPOINT.removeprefix("/app/")).exists()
    assert final.of("EXPOSE") == ["8000"]
    assert json.loads(final.of("VOLUME")[-1]) == ["/data/media"]
    env: dict[str, str] = {}
    for args in final.of("ENV"):
        env |= env_keys(args)
    assert env["DJANGO_SETTINGS_MODULE"] == "werktop.settings.production"
    assert env["MEDIA_ROOT"] == "/data/media"
    assert env["PROMETHEUS_MULTIPROC_DIR"] == "/tmp/prometheus"  # noqa: S108
    assert env["PATH"].startswith("/app/.venv/bin:")
    # platform/ must not become a package, nor be put in front of the standard library.
    assert "PYTHONPATH" not in env


def test_health_check_uses_python_on_the_liveness_endpoint(final):
    checks = final.of("HEALTHCHECK")
    assert len(checks) == 1
    check = checks[0]
    assert "/health/live" in check
    command = json.loads(check[check.index("CMD") + 3:].strip())
    assert command[0] == "python"
    assert "curl" not in check and "wget" not in check


def test_no_secret_in_the_runtime_stage(final):
    for args in final.of("ENV") + final.of("ARG"):
        keys = env_keys(args) if "=" in args else {args: ""}
        for key in keys:
            assert not SECRET_NAMES.search(key), f"{key} baked into the image"
    # The build-only key lives in the builder stage and is not an ENV anywhere.
    assert "SECRET_KEY" not in " ".join(a for s in parse(DOCKERFILE.read_text())
                                        for a in s.of("ENV"))


def test_the_secret_check_catches_a_baked_key():
    broken = parse("FROM a AS builder\nFROM b\nENV SECRET_KEY=abc DEBUG=false\n")[-1]
    keys = [key for args in broken.of("ENV") for key in env_keys(args)]
    assert any(SECRET_NAMES.search(key) for key in keys)


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_build_context():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".env", ".venv", ".git", ".local", "**/__pycache__"} <= ignored
    # What the image needs must not be ignored.
    for needed in ("pyproject.toml", "uv.lock", "manage.py", "README.md", "platform",
                   "infra/docker"):
        assert needed not in ignored
