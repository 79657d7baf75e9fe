"""Import wizard views: upload, map columns, preview, import with progress."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
@permission_required("relations.import", raise_exception=True)
def import_start(request: HttpRequest) -> HttpResponse:
    return render(request, "relations/workspace_base.html")
