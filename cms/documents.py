"""Documents editors upload to the portal: never something that runs on our origin.

- Only the types a portal needs (settings.WAGTAILDOCS_EXTENSIONS: PDF, office formats, plain
  text, images), and the content must be what the extension says (`SafeDocumentForm`): an
  .html renamed .pdf, an SVG or XHTML renamed .txt, a script: refused at upload.
- Served by Wagtail's view (which checks the collection's privacy) wrapped by
  `serve_document`: always as an attachment, `nosniff`, a sandboxing CSP, not cached. The
  public media route never serves documents (core.media).
"""

import zipfile
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.documents.views.serve import serve

from core.files import add_download_headers

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "doc": (OLE2,), "xls": (OLE2,), "ppt": (OLE2,),
    "rtf": (b"{\\rtf",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
}
OOXML = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ODF = {"odt": b"application/vnd.oasis.opendocument.text",
       "ods": b"application/vnd.oasis.opendocument.spreadsheet",
       "odp": b"application/vnd.oasis.opendocument.presentation"}
TEXT = {"txt", "csv"}
# What a browser could take for markup, whatever the file is called.
MARKUP_STARTS = (b"<", b"\xef\xbb\xbf<")


def _head(upload: Any, size: int = 4096) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _zip_names(upload: Any) -> list[str] | None:
    try:
        with zipfile.ZipFile(upload) as archive:  # reads the central directory only
            return archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)


def _odf_mimetype(upload: Any) -> bytes:
    try:
        with zipfile.ZipFile(upload) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                return b""
            return archive.read(info).strip()
    except (KeyError, zipfile.BadZipFile, OSError):
        return b""
    finally:
        upload.seek(0)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head or head.lstrip().startswith(MARKUP_STARTS):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut off at the end
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def content_matches_extension(upload: Any, extension: str) -> bool:
    """Whether the file's bytes are the kind of file its extension names."""
    extension = extension.lower()
    head = _head(upload)
    if extension in SIGNATURES:
        return head.startswith(SIGNATURES[extension])
    if extension in OOXML:
        names = _zip_names(upload)
        return bool(names) and "[Content_Types].xml" in names and any(
            name.startswith(OOXML[extension]) for name in names)
    if extension in ODF:
        return head.startswith(b"PK\x03\x04") and _odf_mimetype(upload) == ODF[extension]
    if extension in TEXT:
        return _looks_like_text(head)
    return False


class SafeDocumentForm(BaseDocumentForm):
    """Wagtail's document form (single and multiple upload) with a check of the content."""

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            name = getattr(upload, "name", "") or ""
            extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            allowed = extension in settings.WAGTAILDOCS_EXTENSIONS  # else Wagtail says so
            if allowed and not content_matches_extension(upload, extension):
                raise forms.ValidationError(_(
                    "The content of this file does not match its extension. Upload a PDF, "
                    "an office document, plain text or an image."), code="content_mismatch")
        return upload


def serve_document(request: HttpRequest, document_id: int, document_filename: str
                   ) -> HttpResponse:
    """Wagtail's serve view (privacy of the collection, the document_served signal; always an
    attachment: WAGTAILDOCS_INLINE_CONTENT_TYPES is empty), with the headers that keep a
    document from ever running on our origin."""
    response = serve(request, document_id, document_filename)
    if response.status_code == 200:
        add_download_headers(response)
    return response
