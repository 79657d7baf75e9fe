"""Documents editors upload never run on our origin (issue 17, item 3).

An editor uploads through Wagtail's own admin form (single and multiple upload): every type
that a browser could execute (HTML, SVG with script, JavaScript, XHTML, XML) is refused, also
when renamed to an allowed extension, and so are polyglots whose bytes do not match their
name. What is accepted is served only as an attachment, with `nosniff` and a sandboxing CSP.
The browser half of the proof is tests/e2e/test_upload_execution.py.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from cms.documents import content_matches_extension
from tests.conftest import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db
SCRIPT = b"<script>fetch('/api/v1/kandidaten/').then(r=>r.text()).then(alert)</script>"
DANGEROUS = {
    "pagina.html": b"<!doctype html><html><body>" + SCRIPT + b"</body></html>",
    "pagina.htm": b"<html>" + SCRIPT + b"</html>",
    "beeld.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "code.js": b"fetch('/api/v1/kandidaten/')",
    "pagina.xhtml": b'<html xmlns="http://www.w3.org/1999/xhtml">' + SCRIPT + b"</html>",
    "data.xml": b'<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml"/>',
    "pagina.shtml": SCRIPT,
    # allowed names, other content: renamed markup and polyglots
    "verslag.pdf": b"<html>" + SCRIPT + b"</html>%PDF-1.4",
    "notities.txt": b"<!doctype html>" + SCRIPT,
    "lijst.csv": b"\xef\xbb\xbf<svg onload=alert(1)>",
    "foto.png": b"<html>" + SCRIPT,
    "foto.jpg": b"GIF89a/*" + SCRIPT,
    "brief.docx": b"PK\x03\x04" + SCRIPT,
    "brief.doc": SCRIPT,
}


@pytest.fixture
def editor_client(zoetermeer):
    editor = make_user(zoetermeer, Role.EDITOR, "redacteur@zoetermeer.example")
    client = client_for(zoetermeer)
    assert client.post("/account/login/", {"login": editor.email,
                                            "password": PASSWORD}).status_code == 302
    return client


def _documents(zoetermeer) -> list:
    from wagtail.documents.models import Document

    with tenant_context(zoetermeer):
        return list(Document.objects.all())


@pytest.mark.parametrize("name", sorted(DANGEROUS))
def test_the_admin_refuses_anything_that_could_run(name, zoetermeer, editor_client):
    upload = SimpleUploadedFile(name, DANGEROUS[name])
    single = editor_client.post("/cms-beheer/documents/add/", {
        "title": name, "file": upload, "collection": 1})
    assert single.status_code == 200  # the form again, with the error
    upload.seek(0)
    multiple = editor_client.post("/cms-beheer/documents/multiple/add/", {
        "title": name, "files[]": upload, "collection": 1},
        headers={"x-requested-with": "XMLHttpRequest"})
    assert b'"success": false' in multiple.content.replace(b'"success":false',
                                                           b'"success": false')
    assert _documents(zoetermeer) == []


def test_what_is_accepted_is_served_as_an_inert_attachment(zoetermeer, editor_client):
    pdf = b"%PDF-1.4\n" + SCRIPT + b"\n%%EOF"  # a real PDF header: accepted, and still inert
    response = editor_client.post("/cms-beheer/documents/add/", {
        "title": "Folder", "file": SimpleUploadedFile("folder.pdf", pdf), "collection": 1})
    assert response.status_code == 302
    (document,) = _documents(zoetermeer)
    served = client_for(zoetermeer).get(f"/documenten/{document.pk}/{document.filename}")
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"].startswith("sandbox")
    # and not under /media/, however written
    for path in (document.file.name, f"/{document.file.name}", f"./{document.file.name}"):
        assert client_for(zoetermeer).get(f"/media/gm0637/{path}").status_code == 404


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.binary(max_size=64),
       markup=st.sampled_from([b"<script>", b"<svg", b"<html", b"<!doctype html>", b"<?xml"]),
       extension=st.sampled_from(["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "doc",
                                  "xls", "ppt", "rtf", "txt", "csv", "png", "jpg", "jpeg"]))
def test_markup_never_passes_for_an_allowed_type(prefix, markup, extension):
    """Whatever comes before it, a file that starts with markup (after blanks) or has no valid
    signature for its extension is refused."""
    import io

    data = prefix.lstrip() if extension in ("txt", "csv") else prefix
    upload = io.BytesIO(markup + data if extension in ("txt", "csv") else data + markup)
    signature_ok = content_matches_extension(upload, extension)
    if extension in ("txt", "csv"):
        assert not signature_ok
    elif signature_ok:  # only when the random prefix happens to be a real signature
        upload.seek(0)
        head = upload.read(16)
        assert head.startswith((b"%PDF-", b"\xd0\xcf\x11\xe0", b"{\\rtf", b"\x89PNG",
                                b"\xff\xd8\xff", b"PK\x03\x04"))


@pytest.mark.parametrize(("name", "data"), [
    ("kapot.gif", b"GIF89a" + SCRIPT),
    ("half.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00"),
    ("nep.jpg", b"\xff\xd8\xff\xe0" + SCRIPT),
])
def test_an_unreadable_image_is_a_form_error_not_a_server_error(name, data, zoetermeer,
                                                                editor_client):
    """Found by the fresh-eyes attack: these gave a 500 (UnidentifiedImageError)."""
    editor_client.raise_request_exception = False
    response = editor_client.post("/cms-beheer/images/add/", {
        "title": name, "file": SimpleUploadedFile(name, data), "collection": 1})
    assert response.status_code == 200
    from wagtail.images.models import Image

    with tenant_context(zoetermeer):
        assert not Image.objects.exists()
