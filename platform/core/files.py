"""Private files: CVs, import spreadsheets, reports. They live OUTSIDE the public media folder,
under PRIVATE_MEDIA_ROOT/<schema>/, get unguessable names, and leave the server only through a
view that checked the permission for that object (`private_file_response`).

The public media route (`core.media`) serves MEDIA_ROOT only; it cannot name a file here,
whatever the path looks like: no prefix check on a raw path stands between them.
"""

import os
import secrets
import time
from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

from .schemas import current_schema, in_municipality_schema

_Response = TypeVar("_Response", bound=HttpResponseBase)

# Sent with every private file and every uploaded document: never rendered on our origin.
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    # Even if a browser rendered it, nothing in it may run or reach our origin.
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def private_root(schema: str) -> str:
    """PRIVATE_MEDIA_ROOT/<schema>/: one municipality's private files."""
    if not schema or "/" in schema or schema.startswith("."):
        raise ImproperlyConfigured(f"not a schema name: {schema!r}")
    return os.path.join(settings.PRIVATE_MEDIA_ROOT, schema)


class PrivateStorage(FileSystemStorage):
    """The municipality's private files, in the schema the connection is in. Read from the
    settings on every call (tests move the folder), and refused outside a municipality schema:
    the national site and the template have no private files."""

    @property
    def base_location(self) -> str:
        if not in_municipality_schema():
            raise ImproperlyConfigured("private files exist only in a municipality's schema")
        return private_root(current_schema())

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        """Private files have no public address: link to the view that checks permission."""
        raise NotImplementedError("private files are served by permission-checked views only")


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """For `FileField(storage=...)`: migrations record this function, not the instance."""
    return private_storage


@deconstructible
class UnguessableName:
    """`upload_to` for private files: `<folder>/<32 random hex digits><.ext>`. The name given at
    upload (e.g. "cv.pdf") never reaches the disk, so no name can be guessed or collide."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: object, filename: str) -> str:
        suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
        if not suffix[1:].isalnum() or len(suffix) > 6:
            suffix = ""
        return f"{self.folder}/{secrets.token_hex(16)}{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnguessableName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def add_download_headers(response: _Response) -> _Response:
    """Never sniffed, never cached, sandboxed: every download (file, export, document)."""
    for header, value in DOWNLOAD_HEADERS.items():
        response[header] = value
    return response


def as_download(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """Make an export (CSV, XLSX, JSON, PDF) a download with the same headers as a private
    file: attachment, never sniffed, never cached, sandboxed."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return add_download_headers(response)


def private_file_response(file, *, filename: str, content_type: str | None = None
                          ) -> FileResponse:
    """A private file as a download: attachment, never sniffed, never cached, sandboxed."""
    return add_download_headers(FileResponse(
        file.open("rb"), as_attachment=True, filename=filename,
        content_type=content_type or "application/octet-stream"))


def move_into_private_storage(apps, schema_editor, *, model: str, fields: tuple[str, ...],
                              folder: str) -> None:
    """Migrations: files stored before private storage existed (MEDIA_ROOT/<schema>/private/…,
    under their upload name) move to private storage under an unguessable name."""
    if not in_municipality_schema():
        return
    manager = apps.get_model(model)._base_manager
    public_root = os.path.join(settings.MEDIA_ROOT, current_schema())
    naming = UnguessableName(folder)
    for row in manager.iterator():
        changes = {}
        for field in fields:
            name = getattr(row, field).name
            old = os.path.join(public_root, name) if name else ""
            if not name or not os.path.isfile(old):
                continue
            with open(old, "rb") as handle:
                changes[field] = private_storage.save(naming(row, name), handle)
            os.remove(old)
        if changes:
            manager.filter(pk=row.pk).update(**changes)


def delete_after_commit(storage: FileSystemStorage, name: str) -> None:
    """Remove a stored file once the transaction that stopped referring to it has committed
    (a rollback keeps it)."""
    if not name:
        return
    path = storage.path(name)  # resolved now, in this schema: the callback may run elsewhere
    transaction.on_commit(lambda: _remove(path))


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def stored_names(folder: str, *, older_than: timedelta) -> list[str]:
    """Names of the files in a folder of the municipality's private storage, older than
    `older_than` (an upload whose transaction is still open is never counted)."""
    try:
        _dirs, files = private_storage.listdir(folder)
    except FileNotFoundError:
        return []
    cutoff = time.time() - older_than.total_seconds()
    names = [f"{folder}/{name}" for name in files]
    return [name for name in names if os.path.getmtime(private_storage.path(name)) < cutoff]


class _DownloadLink:
    """What the file widget's template shows of the current file: `.url` is the checked
    download view, `str()` a plain label (the stored name is unguessable and means nothing)."""

    def __init__(self, url: str, label: object) -> None:
        self.url = url
        self._label = label

    def __str__(self) -> str:
        return str(self._label)


class PrivateFileInput(forms.ClearableFileInput):
    """The file input of a private file field. Django's widget links the current file to its
    storage URL, which private files do not have (`PrivateStorage.url` raises): this one links
    to `download_url`, the view that checks permission for this object."""

    def __init__(self, *args: object, download_url: str = "", label: object = "",
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.download_url = download_url
        self.label = label

    def is_initial(self, value: object) -> bool:
        """A stored file (Django asks for its URL, which a private file does not have)."""
        return bool(value and getattr(value, "name", ""))

    def format_value(self, value: Any) -> Any:  # a stand-in for Django's FieldFile
        if self.is_initial(value):
            return _DownloadLink(self.download_url, self.label)
        return None
