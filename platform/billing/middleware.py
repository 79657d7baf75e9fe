"""Read-only workspace for an unpaid or cancelled subscription.

Writes (any method but GET, HEAD, OPTIONS) to the workspace, the municipality's API and the
Wagtail admin are refused with a clear Dutch page (403). Reading stays possible, the public
portal (pages, meetup registration, the employer and candidate pages) stays up, and so does the
subscription page (to pay). No data is deleted for non-payment. No query: the status is on
the municipality's row, which the tenant middleware has already loaded."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import access_of

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PROTECTED = ("/werkplek/", "/api/", "/cms-beheer/")
ALWAYS_ALLOWED = ("/werkplek/abonnement/",)


class ReadOnlyWorkspaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        if (request.method not in SAFE_METHODS and tenant is not None
                and tenant.is_municipality and request.path.startswith(PROTECTED)
                and not request.path.startswith(ALWAYS_ALLOWED)):
            access = access_of(tenant)
            if access.read_only:
                return render(request, "billing/read_only.html", {"access": access},
                              status=403)
        return self.get_response(request)
