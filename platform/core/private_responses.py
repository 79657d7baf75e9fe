"""Nothing personal is kept by a browser, a proxy or a shared computer's cache.

Every answer to a signed-in person, to an API client and under the workspace, account, admin,
ministry and operator paths gets `Cache-Control: private, no-store` unless the view chose a
policy itself (the private file downloads set the same; portal images and public documents set
their own). Anonymous portal pages are left to `cms.caching`.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

PRIVATE_PREFIXES = ("/werkplek/", "/api/", "/account/", "/cms-beheer/", "/ministerie/",
                    "/beheer/", "/mijn-bedrijf/", "/mijn-bijeenkomsten/", "/na-inloggen/")
NO_STORE = "private, no-store"


def is_private(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated)
        or "HTTP_AUTHORIZATION" in request.META
        or request.path_info.startswith(PRIVATE_PREFIXES))


class PrivateResponseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response and is_private(request):
            response["Cache-Control"] = NO_STORE
            patch_vary_headers(response, ("Cookie",))
        return response
