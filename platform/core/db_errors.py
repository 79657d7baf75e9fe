"""While the database is unreachable (a restart, a fail-over, too many connections) a visitor
gets a friendly 503 "try again in a moment" page with `Retry-After`, never a bare 500.

Django turns an exception into a response inside the wrapper of the middleware it comes from,
so no middleware can catch the `OperationalError` of another (the tenant lookup in
`TenantMiddleware`, the session, the view). Instead:
- `_remember_database_error` (connected to `got_request_exception`, which Django sends before
  it renders the 500 page) marks the request when the exception is a database connection
  error (`OperationalError` or `InterfaceError`);
- `DatabaseUnavailableMiddleware`, the outermost middleware, replaces the 500 response of a
  marked request by the 503 page. It does no database work itself.

The page is rendered without a request context: context processors and the portal's template
tags would query the database again. Dutch unless the visitor chose English (the language
cookie), as `LanguageMiddleware` does. With DEBUG on the developer keeps Django's error page.
"""

import sys
from collections.abc import Callable

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

# Seconds a visitor (or a client) is told to wait: a PostgreSQL restart takes a few seconds.
RETRY_AFTER_SECONDS = 10
_MARK = "_werktop_database_unavailable"


def is_database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


@receiver(got_request_exception, dispatch_uid="core.db_errors")
def _remember_database_error(sender: object, request: HttpRequest | None = None,
                             **kwargs: object) -> None:
    if request is not None and is_database_unavailable(sys.exc_info()[1]):
        setattr(request, _MARK, True)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 page, in the visitor's language, never cached."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string("503.html", {"language": language})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """The 503 page instead of the 500 page when the request failed on the database
    connection. Must come before (outside) every middleware that may query the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False) and not (
                settings.DEBUG):
            return unavailable_response(request)
        return response
