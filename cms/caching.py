"""Cache of anonymous portal pages, per municipality, purged on publish.

Only Wagtail's page view is wrapped (`cached_wagtail_urls()` replaces it in the tenant URLs);
the workspace, the admin and the accounts pages are never cached here.

- **Per municipality**: every key goes through the default cache, whose KEY_FUNCTION
  (`django_tenants.cache.make_key`) prefixes the schema name; the key also holds the scheme,
  host, language and path.
- **Purge per municipality**: each schema has a *generation* token in the cache that is part
  of every page key. Publishing, unpublishing, moving or deleting a page (and saving a site,
  a setting, an image or any other portal model; a meetup, a participating employer or an
  opportunity of `matching_events`) replaces that token, so all of that
  municipality's cached pages are unreachable at once and expire on their own. Never
  `cache.clear()`: all municipalities share one Redis database.
- **Only what is the same for every anonymous visitor**: GET/HEAD without a query string, no
  logged-in user, no session data (e.g. a page password entered), no pending messages; and
  only 200 responses that set no cookie, use no CSRF token (no form), are not private and
  belong to a page without view restrictions.

The header `X-Werktop-Cache` says `hit`, `miss` or `bypass`.
"""

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.cache import get_max_age
from django.utils.translation import get_language
from django_tenants.utils import schema_context
from wagtail import urls as wagtail_urls
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.views import serve

from core.schemas import current_schema
from matching_events.models import Meetup, MeetupEmployer, Opportunity
from tenants.models import Municipality

CACHE_HEADER = "X-Werktop-Cache"
GENERATION_KEY = "portal-pages:generation"
PAGE_KEY = "portal-pages:{generation}:{digest}"
# Responses whose Cache-Control contains one of these are never stored.
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")
# A page saved with only these fields is a draft (save_revision) or a lock: nothing visible.
DRAFT_FIELDS = frozenset({
    "latest_revision", "latest_revision_created_at", "draft_title", "has_unpublished_changes",
    "wagtail_admin_comments", "locked", "locked_at", "locked_by",
})


def page_cache_seconds() -> int:
    """How long an anonymous page stays cached (PORTAL_PAGE_CACHE_SECONDS; 0 switches it off)."""
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 0))


# --- Generations (purging) ----------------------------------------------------------------

def current_generation() -> str:
    """The current municipality's generation token (created when missing or evicted)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def purge_portal_pages() -> None:
    """Forget every cached page of the municipality whose schema the connection is in.

    A fresh random token (not a counter) cannot collide with an older generation whose
    pages are still in the cache after the token itself was evicted."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def purge_portal_pages_of(schema_name: str) -> None:
    """Purge the cached pages of another municipality (e.g. from the public schema)."""
    with schema_context(schema_name):
        purge_portal_pages()


# --- The cached view ----------------------------------------------------------------------

def _may_use_cache(request: HttpRequest) -> bool:
    if page_cache_seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if request.META.get("QUERY_STRING") or getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.session_key and dict(session.items()):
        return False  # e.g. a page password entered, a login in progress
    return not len(messages.get_messages(request))


def _page_key(request: HttpRequest) -> str:
    identity = "\n".join([request.scheme, request.get_host(), get_language() or "",
                          request.path])
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return PAGE_KEY.format(generation=current_generation(), digest=digest)


def _has_view_restrictions(request: HttpRequest) -> bool:
    route = getattr(request, "_wagtail_route_for_request", None)
    if not route:
        return True  # not a routed page: do not store
    page = route[0]
    return page.get_view_restrictions().exists()


def _may_store(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in PRIVATE_DIRECTIVES):
        return False
    if get_max_age(response) == 0:
        return False
    # The page used a CSRF token (a form): it is tied to this visitor's cookie.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or b"csrfmiddlewaretoken" in response.content:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    return not _has_view_restrictions(request)


def _from_entry(entry: tuple[int, list[tuple[str, str]], bytes]) -> HttpResponse:
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def cached_serve(request: HttpRequest, path: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
    """Wagtail's `serve`, answered from the municipality's page cache when possible."""
    if not _may_use_cache(request):
        response = serve(request, path, *args, **kwargs)
        response[CACHE_HEADER] = "bypass"
        return response

    key = _page_key(request)
    entry = cache.get(key)
    if entry is not None:
        response = _from_entry(entry)
        response[CACHE_HEADER] = "hit"
        return response

    response = serve(request, path, *args, **kwargs)
    if isinstance(response, SimpleTemplateResponse):
        response.render()
    if _may_store(request, response):
        entry = (response.status_code, list(response.headers.items()), response.content)
        cache.set(key, entry, timeout=page_cache_seconds())
    response[CACHE_HEADER] = "miss"
    return response


def cached_wagtail_urls() -> list[URLPattern | URLResolver]:
    """Wagtail's front-end URLs with its page view replaced by `cached_serve` (same name)."""
    patterns: list[URLPattern | URLResolver] = []
    for pattern in wagtail_urls.urlpatterns:
        if getattr(pattern, "name", None) == "wagtail_serve":
            pattern = re_path(pattern.pattern.regex.pattern, cached_serve, name="wagtail_serve")
        patterns.append(pattern)
    return patterns


# --- Purge triggers -----------------------------------------------------------------------

def _purge(sender: Any = None, **kwargs: Any) -> None:
    purge_portal_pages()


def _purge_on_portal_model_change(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    """Pages, sites, settings, images, snippets: anything a portal page may show. A page is
    also saved directly (`add_child`, services, the demo loader), without page_published."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.images.models import AbstractImage

    portal_types = (Page, Site, BaseSiteSetting, BaseGenericSetting, AbstractImage)
    if not (isinstance(instance, portal_types) or sender._meta.app_label == "cms"):
        return
    update_fields = kwargs.get("update_fields")
    if isinstance(instance, Page) and update_fields and set(update_fields) <= DRAFT_FIELDS:
        return  # a draft saved or a page locked: nothing visible changed
    purge_portal_pages()


def _purge_on_meetup_or_opportunity_change(sender: Any, **kwargs: Any) -> None:
    """The meetup and opportunity overviews show `matching_events` rows: a meetup (its
    status too: the services save it when it fills up or gets a free place again), a
    participating employer or an opportunity changed. Registrations themselves do not purge.

    Purged now (in the current schema) and once more after the commit: a page rendered by
    another request between the first purge and the commit still showed the old rows."""
    purge_portal_pages()
    schema_name = current_schema()
    transaction.on_commit(lambda: purge_portal_pages_of(schema_name))


def _purge_on_municipality_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    """The municipality's name is in every page's header and footer."""
    if instance.is_municipality:
        purge_portal_pages_of(instance.schema_name)


def connect_signals() -> None:
    """Called once from `CmsConfig.ready()`."""
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_purge, dispatch_uid=f"cms.caching.purge.{id(signal)}")
    post_save.connect(_purge_on_portal_model_change, dispatch_uid="cms.caching.saved")
    post_delete.connect(_purge_on_portal_model_change, dispatch_uid="cms.caching.deleted")
    post_save.connect(_purge_on_municipality_change, sender=Municipality,
                      dispatch_uid="cms.caching.municipality")
    for model in (Meetup, MeetupEmployer, Opportunity):
        for signal in (post_save, post_delete):
            signal.connect(_purge_on_meetup_or_opportunity_change, sender=model,
                           dispatch_uid=f"cms.caching.{model.__name__}.{id(signal)}")
