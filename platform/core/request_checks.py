"""Refusing requests no page can answer: a NUL character in the path, the query string or a
cookie.

PostgreSQL refuses NUL in text ("PostgreSQL text fields cannot contain NUL (0x00) bytes"),
so any path segment, GET parameter or session cookie that reaches a query with one would end
in a 500 (`/ministerie/gemeente/GM%00/` did). No URL, parameter or cookie of ours ever holds
one, so the request is answered with 400 before any view, filter or session lookup runs,
whatever the view. (Form fields refuse NUL themselves: Django's ProhibitNullCharacters.)

The JSON APIs (/api/) check their own path and query (ministry: `ministry.api`; workspace:
integer ids) and answer in their documented error format (problem+json, described in the
OpenAPI document and fuzzed against it by tests/security/test_fuzz_api.py); only a cookie
with NUL is refused for them here. tests/security/test_null_bytes.py sends NUL and other odd
text to every URL pattern of both sites."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest, HttpResponse

NUL = "\x00"


API_PREFIX = "/api/"


def has_nul(request: HttpRequest) -> bool:
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return True
    if request.path_info.startswith(API_PREFIX):
        return False
    if NUL in request.path_info:
        return True
    return any(NUL in key or any(NUL in v for v in values) for key, values in request.GET.lists())


class RefuseNulCharactersMiddleware:
    """Also refuses a body over WERKTOP_MAX_REQUEST_MB (the Dutch 400 page). After the tenant
    middleware (the 400 page is the municipality's own), before the session middleware (a
    cookie with NUL would be looked up)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            raise BadRequest("NUL character in the request")
        if too_large(request):
            # Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams files of any
            # size to disk: no anonymous form may make the server read 30 MB.
            raise RequestDataTooBig("request body over WERKTOP_MAX_REQUEST_MB")
        return self.get_response(request)


def too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.WERKTOP_MAX_REQUEST_MB * 1024 * 1024
