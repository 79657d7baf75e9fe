"""Search engines and link previews: robots.txt and sitemap.xml per host, and the canonical
URL and Open Graph values of every page (the `seo_tags` template library uses them).

Every answer is built from the request's own host and schema: a municipality's sitemap lists
only its own live, public pages under its own host name.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page

# Pages behind a login: kept out of search engines (robots.txt) and marked noindex.
MUNICIPALITY_PRIVATE_PATHS = (
    "/werkplek/", "/cms-beheer/", "/account/", "/api/", "/mijn-bedrijf/",
    "/mijn-bijeenkomsten/", "/na-inloggen/", "/taal/",
)
NATIONAL_PRIVATE_PATHS = ("/ministerie/", "/beheer/", "/account/", "/na-inloggen/", "/taal/")
OG_LOCALE = "nl_NL"


def _is_municipality(request: HttpRequest) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is not None and tenant.is_municipality


def private_paths(request: HttpRequest) -> tuple[str, ...]:
    """The path prefixes of this kind of site that search engines should leave alone."""
    return MUNICIPALITY_PRIVATE_PATHS if _is_municipality(request) else NATIONAL_PRIVATE_PATHS


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt of this host: the portal is open, the logged-in parts are not; a
    municipality's file points to its own sitemap."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in private_paths(request)),
             "Allow: /"]
    if _is_municipality(request):
        lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """The municipality's live, public pages (Wagtail's sitemap of the request's site)."""
    return wagtail_sitemap(request)


# --- Values for the page head ---------------------------------------------------------------

def canonical_url(request: HttpRequest | None, page: Any = None) -> str:
    """The page's own full URL for a Wagtail page, else this address without query string."""
    if isinstance(page, Page):
        url = page.get_full_url(request)
        if url:
            return url
    if request is None:
        return ""
    return request.build_absolute_uri(request.path)


def is_private_path(request: HttpRequest | None) -> bool:
    return request is not None and request.path.startswith(private_paths(request))


def head_values(context: Any) -> dict[str, Any]:
    """Canonical URL, title, description, site name and robots flag for `werktop/base.html`."""
    request = context.get("request")
    page = context.get("page")
    is_page = isinstance(page, Page)
    municipality = context.get("municipality")
    site_name = context.get("site_name", "")
    if municipality is not None:
        site_name = gettext("Municipality of %(name)s") % {"name": municipality.name}
    return {
        "canonical_url": canonical_url(request, page),
        "title": (page.seo_title or page.title) if is_page else site_name,
        "description": page.search_description if is_page else "",
        "site_name": site_name,
        "locale": OG_LOCALE,
        "noindex": is_private_path(request),
    }
