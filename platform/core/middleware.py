"""Request plumbing that must know which municipality a request belongs to."""

from django.conf import settings
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name
from wagtail.contrib.redirects.middleware import RedirectMiddleware

from .schemas import current_schema


class TenantMiddleware(TenantMainMiddleware):
    """Selects the schema from the host name. Templates and the template schema never get a
    host, so they can only be reached through the municipality's own domain."""


class TenantRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects exist only in municipality schemas: on the national (public) host
    its lookup would turn every 404 into a 500 (`relation "wagtailcore_site" does not
    exist`)."""

    def process_response(self, request, response):
        if current_schema() == get_public_schema_name():
            return response
        return super().process_response(request, response)


class LanguageMiddleware:
    """Dutch unless the visitor chose English with the language switch (a cookie). The
    browser's Accept-Language is ignored: a Dutch government site speaks Dutch first."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        if language not in self.available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # Threads are reused: the next request must not inherit this one's language.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
