"""In Chromium, with a staff session: nothing an editor uploads runs on our origin (issue 17,
item 3).

1. The editor uploads each dangerous type through the Wagtail admin (HTML, SVG with script,
   JavaScript, XHTML, and polyglots under allowed names): every one is refused on the page.
2. A PDF whose body carries the same script is accepted (it is a real PDF); a coordinator opens
   its link: the browser downloads it, the page never renders it.
3. The old hole: the same HTML and SVG placed straight into the municipality's media folder
   (documents/ and original_images/), opened by the coordinator under the path shapes the
   outside test used. None is served.

Each payload asks the candidates API and sets a marker in the page; the test fails if the API
is asked or a marker is set in any page.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.roles import Role
from tenants.models import Municipality
from tests.e2e.pages import log_in
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, web_server

pytestmark = pytest.mark.e2e
__all__ = ["web_server"]
DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("WERKTOP_SCREENSHOTS", tempfile.gettempdir()))
PAYLOAD = (b"<script>window.__pwned=1;document.title='PWNED';"
           b"fetch('/api/v1/kandidaten/')</script>")
REFUSED = {
    "pagina.html": b"<!doctype html><html><body>" + PAYLOAD + b"</body></html>",
    "beeld.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="fetch(\'/api/v1/kandidaten/\')">'
                 b"<script>fetch('/api/v1/kandidaten/')</script></svg>",
    "code.js": b"fetch('/api/v1/kandidaten/')",
    "pagina.xhtml": b'<html xmlns="http://www.w3.org/1999/xhtml"><body>' + PAYLOAD
                    + b"</body></html>",
    "polyglot.pdf": b"<html>" + PAYLOAD + b"</html>\n%PDF-1.4",
    "polyglot.txt": b"<!doctype html>" + PAYLOAD,
    "polyglot.jpg": b"GIF89a/*" + PAYLOAD,
}
ACCEPTED_PDF = b"%PDF-1.4\n" + PAYLOAD + b"\n%%EOF\n"


@pytest.mark.skipif(not shutil.which("chromium") and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install chromium)")
def test_nothing_an_editor_uploads_runs_with_a_staff_session(
        web_server, committed, committed_user, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with committed():
        zoetermeer = Municipality.objects.get(cbs_code="GM0637")
        committed_user(zoetermeer, Role.EDITOR, "upload-red@zoetermeer.example")
        committed_user(zoetermeer, Role.COORDINATOR, "upload-co@zoetermeer.example")
        connection.close()
    for name, data in {**REFUSED, "folder.pdf": ACCEPTED_PDF}.items():
        (tmp_path / name).write_bytes(data)
    # The old hole's files, as if an upload had landed in the public media folder.
    media = Path(settings.MEDIA_ROOT) / "gm0637"
    for folder in ("documents", "original_images"):
        (media / folder).mkdir(parents=True, exist_ok=True)
        (media / folder / "pagina.html").write_bytes(REFUSED["pagina.html"])
        (media / folder / "beeld.svg").write_bytes(REFUSED["beeld.svg"])

    base = f"http://zoetermeer.localhost:{web_server}"
    asked_api: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            editor = log_in(browser, DESKTOP, base, "upload-red@zoetermeer.example",
                            "/cms-beheer/")
            for name in REFUSED:
                editor.goto(base + "/cms-beheer/documents/add/")
                editor.locator("#id_title").fill(name)
                editor.locator("#id_file").set_input_files(str(tmp_path / name))
                editor.locator("main form button[type=submit]").last.click()
                expect(editor.locator(".w-field__errors .error-message").first).to_be_visible()
                assert editor.url == base + "/cms-beheer/documents/add/"
                if name == "pagina.html":
                    editor.screenshot(path=str(SHOTS / "upload-refused-desktop.png"))
            editor.goto(base + "/cms-beheer/documents/add/")
            editor.locator("#id_title").fill("Folder")
            editor.locator("#id_file").set_input_files(str(tmp_path / "folder.pdf"))
            editor.locator("main form button[type=submit]").last.click()
            editor.wait_for_url(base + "/cms-beheer/documents/")
            link = editor.locator("a[href^='/documenten/']").first
            href = link.get_attribute("href") if link.count() else None
            if href is None:  # the listing links to the edit page; open it for the URL
                editor.get_by_role("link", name="Folder").first.click()
                href = editor.locator("a[href^='/documenten/']").first.get_attribute("href")

            coordinator = log_in(browser, DESKTOP, base, "upload-co@zoetermeer.example",
                                 "/werkplek/")
            coordinator.on("request", lambda r: asked_api.append(r.url)
                           if "/api/v1/kandidaten" in r.url else None)
            with coordinator.expect_download() as download:
                coordinator.evaluate(f"window.location.href = {href!r}")
            assert download.value.suggested_filename.endswith(".pdf")
            coordinator.goto(base + "/werkplek/")
            for folder in ("documents", "original_images"):
                for name in ("pagina.html", "beeld.svg"):
                    for shape in ("/media/gm0637/{}/{}", "/media/gm0637//{}/{}",
                                  "/media/gm0637/./{}/{}", "/media/gm0637/%2e/{}/{}"):
                        response = coordinator.goto(base + shape.format(folder, name))
                        assert response.status == 404, shape.format(folder, name)
                        assert coordinator.evaluate("window.__pwned") is None
            assert coordinator.title() != "PWNED"
        finally:
            browser.close()
    assert asked_api == []
