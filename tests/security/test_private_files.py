"""Private files are never reachable through the public media route (issue 17, item 1).

Every kind of private file of a municipality is made: a candidate's CV, the Friday report (PDF
and XLSX), an import spreadsheet, and a Wagtail document in a collection only logged-in users
may see. hypothesis then writes the paths an attacker would try (`//`, `/./`, `%2e`, `%2f`,
`%5c`, backslashes, unicode look-alikes of '/' and '.', trailing dots, mixed case, `..` out of
the image folders), both for where the file lives now and for where it used to live
(`private/…`, under its upload name), and asks for them anonymously and as every role without a
right to the file. None may answer 200, and no answer may contain the file's bytes.
"""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from relations.imports.models import ImportJob
from reports.models import Report
from tests.conftest import PASSWORD, client_for, make_user
from tests.relations.conftest import new_candidate

SECRET = b"%PDF-1.4 GEHEIM-BESTAND-"
LOOKALIKE_SLASHES = ["\uff0f", "\u2215", "\u2044", "%ef%bc%8f", "%e2%88%95"]
LOOKALIKE_DOTS = ["\u2024", "\uff0e", "%e2%80%a4"]


def _often(common: str, *rare: str) -> st.SearchStrategy[str]:
    """`common` about half the time, else one of `rare`: most variants stay close to a path
    that works, so a single odd part is what each example tries."""
    return st.one_of(st.just(common), st.sampled_from(rare))


SEPARATORS = _often("/", "//", "/./", "/%2e/", "%2f", "%2F", "%5c", "\\", "/.//", "%252f",
                    *LOOKALIKE_SLASHES)
PREFIXES = _often("", "/", "//", "./", "%2e/", "images/../", "original_images/../",
                  "images/%2e%2e/", "images/..%2f", "original_images\\..\\")
SUFFIXES = _often("", "/", ".", "..", "%2e", " ", "%20", "::$DATA", "%00", *LOOKALIKE_DOTS)
# The shapes the outside test used, tried for every file before hypothesis starts.
KNOWN = ["/{}", "//{}", "./{}", "%2e/{}", "images/../{}", "{}/"]


def _variant(path: str) -> st.SearchStrategy[str]:
    """One way of writing `path` (a file's name under the schema's folder) in a URL."""
    parts = path.split("/")

    @st.composite
    def build(draw) -> str:
        text = parts[0]
        for part in parts[1:]:
            text += draw(SEPARATORS) + part
        text = draw(PREFIXES) + text
        if draw(st.one_of(st.just(False), st.booleans())):
            text = "".join(c.upper() if draw(st.booleans()) else c for c in text)
        return text + draw(SUFFIXES)

    return build()


@pytest.fixture
def private_files(zoetermeer, settings):
    """Every kind of private file, made through the code that makes them in production."""
    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction

    owner = make_user(zoetermeer, Role.RELATIONSHIP_MANAGER, "eigenaar@zoetermeer.example")
    with tenant_context(zoetermeer):
        candidate = new_candidate(owner, cv=SimpleUploadedFile("cv.pdf", SECRET + b"cv"))
        report = Report.objects.create(week_start="2026-11-30", status=Report.Status.DONE)
        report.pdf.save("weekrapportage.pdf", ContentFile(SECRET + b"pdf"), save=False)
        report.xlsx.save("weekrapportage.xlsx", ContentFile(SECRET + b"xlsx"), save=False)
        report.save()
        job = ImportJob.objects.create(kind="candidates", created_by=owner)
        job.file.save("kandidaten.csv", ContentFile(SECRET + b"csv"))
        closed = Collection.get_first_root_node().add_child(name="Intern")
        CollectionViewRestriction.objects.create(
            collection=closed, restriction_type=CollectionViewRestriction.LOGIN)
        document = Document.objects.create(title="Intern verslag", collection=closed,
                                           file=ContentFile(SECRET + b"doc", name="intern.pdf"))
        files = [candidate.cv, report.pdf, report.xlsx, job.file, document.file]
        names = [file.name for file in files]
    return {"names": names, "upload_names": ["cv/cv.pdf", "reports/weekrapportage.pdf",
                                             "imports/kandidaten.csv"]}


def _clients(zoetermeer, hilversum):
    """Everyone without a right to these files, on Zoetermeer's host."""
    people = [("anonymous", None)]
    for role, email in [(Role.EDITOR, "redacteur@zoetermeer.example"),
                        (Role.RELATIONSHIP_MANAGER, "collega@zoetermeer.example")]:
        people.append((str(role), make_user(zoetermeer, role, email)))
    clients = []
    for label, user in people:
        client = client_for(zoetermeer)
        if user is not None:
            assert client.post("/account/login/", {"login": user.email,
                                                   "password": PASSWORD}).status_code == 302
        clients.append((label, client))
    # someone logged in at another municipality, with that cookie on Zoetermeer's host
    other = client_for(hilversum)
    charlie = make_user(hilversum, Role.COORDINATOR, "co@hilversum.example")
    assert other.post("/account/login/", {"login": charlie.email,
                                          "password": PASSWORD}).status_code == 302
    other.defaults["HTTP_HOST"] = client_for(zoetermeer).defaults["HTTP_HOST"]
    clients.append(("hilversum coordinator", other))
    return clients


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_private_files_live_outside_the_public_media_folder(private_files, settings):
    media = Path(settings.MEDIA_ROOT)
    for name in private_files["names"][:4]:
        assert not (media / "gm0637" / name).exists()
        assert not any(media.rglob(Path(name).name))
        # the upload's own name never reaches the disk: nobody can guess the stored name
        assert Path(name).stem not in {"cv", "weekrapportage", "kandidaten"}
        assert len(Path(name).stem) == 32


def test_no_way_of_writing_a_private_path_reaches_a_private_file(
        private_files, zoetermeer, hilversum):
    clients = _clients(zoetermeer, hilversum)
    paths = [*private_files["names"], *private_files["upload_names"],
             *[f"private/{name}" for name in private_files["names"]],
             *[f"private/{name}" for name in private_files["upload_names"]]]

    def ask(label: str, client, url: str) -> None:
        response = client.get(url)
        assert response.status_code != 200, (label, url)
        assert SECRET not in _body(response), (label, url)

    for path in paths:
        for shape in KNOWN:
            for label, client in clients:
                ask(label, client, "/media/gm0637/" + shape.format(path))

    @settings(max_examples=300, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(path=st.sampled_from(paths).flatmap(_variant),
           who=st.sampled_from(range(len(clients))), raw=st.booleans())
    def probe(path: str, who: int, raw: bool) -> None:
        label, client = clients[who]
        ask(label, client, "/media/gm0637/" + (path if raw else quote(path, safe="/%\\")))

    probe()


def test_a_portal_image_is_still_served_without_sniffing(zoetermeer, settings):
    from django.core.files.storage import default_storage

    with tenant_context(zoetermeer):
        name = default_storage.save("original_images/Foto.JPG", ContentFile(b"\xff\xd8\xffjpeg"))
    response = client_for(zoetermeer).get(f"/media/gm0637/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    # not an image, or not in an image folder: never, whatever its name
    with tenant_context(zoetermeer):
        for other in ("original_images/pagina.html", "original_images/x.svg", "verslag.txt",
                      "documents/a.pdf", "images/sub/a.png"):
            stored = default_storage.save(other, ContentFile(b"<script>alert(1)</script>"))
            assert client_for(zoetermeer).get(f"/media/gm0637/{stored}").status_code == 404
