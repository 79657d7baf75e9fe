"""The public media route: portal images, and nothing else.

`/media/<schema>/<folder>/<name>` answers only when <schema> is this host's municipality,
<folder> is one of Wagtail's image folders, <name> is a plain file name (no further folders, no
dots or slashes of any kind to normalise away) with a raster-image extension. Everything else is
404 without touching the disk: an allow-list of exact shapes, not a deny-list of prefixes on a
path that the file server would normalise afterwards.

Private files (CVs, reports, import spreadsheets) are not under MEDIA_ROOT at all
(`core.files`); Wagtail documents are served by Wagtail's permission-checking view at
/documenten/ (`cms.documents`).
"""

import re

from django.conf import settings
from django.http import Http404, HttpRequest
from django.views.static import serve

from .schemas import current_schema

# What a portal page needs from /media/: uploaded originals and their renditions.
PUBLIC_FOLDERS = ("original_images", "images")
IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
               "gif": "image/gif", "webp": "image/webp", "avif": "image/avif"}
# One plain name: starts with a letter or digit, then ASCII letters, digits, '_', '-', '.', and
# an image extension (any case: uploads keep theirs). No '/', '\\', '%', NUL, unicode
# look-alikes, or trailing dots.
_EXTENSIONS = "|".join(IMAGE_TYPES)
_NAME = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,200}}\.({_EXTENSIONS})",
                   re.IGNORECASE | re.ASCII)


def public_media_path(schema: str, path: str) -> str | None:
    """The path relative to MEDIA_ROOT/<schema>/ when the request may be served, else None."""
    if schema != current_schema():
        return None
    folder, slash, name = path.partition("/")
    if not slash or folder not in PUBLIC_FOLDERS:
        return None
    match = _NAME.fullmatch(name)
    if match is None or ".." in name:
        return None
    return f"{folder}/{name}"


def serve_tenant_media(request: HttpRequest, schema: str, path: str):
    """Serve an image of this municipality's portal; 404 for every other path."""
    relative = public_media_path(schema, path)
    if relative is None:
        raise Http404
    response = serve(request, relative, document_root=str(settings.MEDIA_ROOT / schema))
    response["Content-Type"] = IMAGE_TYPES[relative.rsplit(".", 1)[1].lower()]
    response["X-Content-Type-Options"] = "nosniff"
    # An image opened on its own can still not run anything on our origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
