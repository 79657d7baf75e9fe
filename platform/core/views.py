"""Site-wide views: error pages, the unknown-host page and the brand stylesheet."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from .colours import text_colour_on


def port_suffix(request: HttpRequest) -> str:
    """':8000' when the request came in on a non-default port, so links keep working in dev."""
    host = request.META.get("HTTP_HOST", "")
    return f":{host.rsplit(':', 1)[1]}" if ":" in host else ""


def municipality_not_found(request: HttpRequest) -> HttpResponse:
    """An unknown host: a friendly Dutch page with status 404, never a crash."""
    national_url = f"{request.scheme}://{settings.PLATFORM_DOMAIN}{port_suffix(request)}/"
    # The tenant middleware answers before the language middleware runs: choose Dutch here.
    with translation.override(settings.LANGUAGE_CODE):
        return render(request, "werktop/municipality_not_found.html",
                      {"national_url": national_url}, status=404)


def brand_css(request: HttpRequest) -> HttpResponse:
    """The municipality's colours as design tokens (a stylesheet, so no inline styles)."""
    colour = request.tenant.brand_colour
    css = (f".werktop-theme {{ --werktop-brand: {colour}; "
           f"--werktop-brand-text: {text_colour_on(colour)}; }}\n")
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 in Dutch, with the site's layout (Django's own renders the template without the
    request, so without the layout's context): a body over the size limit, too many fields,
    a malformed request."""
    return render(request, "400.html", status=400)
