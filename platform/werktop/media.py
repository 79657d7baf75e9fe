"""Uploaded files are served only on their own municipality's host."""

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest
from django.views.static import serve


def serve_tenant_media(request: HttpRequest, schema: str, path: str):
    """Serve MEDIA_ROOT/<schema>/<path> only when <schema> is this host's municipality.

    In production a reverse proxy with the same rule (X-Accel-Redirect) takes over; Django's
    static serve is fine for development and tests."""
    if schema != connection.schema_name:
        raise Http404
    # Documents go through Wagtail's serve view, which applies privacy and collection rules.
    if path.startswith("documents/"):
        raise Http404
    # Personal files (a candidate's CV) only through their permission-checked views.
    if path.startswith("private/"):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT / schema)
