"""The current municipality's site: its address, its name and links into it.

Used by every mail and every page that needs an absolute link (meetup mails, the coordinator's
welcome, the Friday report). The core knows no feature, so the name a municipality shows comes
from *name sources* that higher rooms register in their `AppConfig.ready()`: `cms` registers
the portal's display name (its Branding setting), `tenants` the municipality's official name.
A display name wins over the official one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .schemas import current_schema

NameSource = Callable[[], str | None]
_display_names: list[NameSource] = []
_official_names: list[NameSource] = []


def register_name_source(source: NameSource, *, official: bool = False) -> None:
    """Register `source` (called in the current schema; returns a name or None): a display
    name ("Gemeente Zoetermeer", shown as it is) or, with `official`, the municipality's
    official name (shown as "Municipality of <name>", translated). Registering the same source
    twice keeps one (ready() can run twice in tests)."""
    sources = _official_names if official else _display_names
    if source not in sources:
        sources.append(source)


def site_url() -> str:
    """The municipality's own address, e.g. "https://zoetermeer.werktop.nl", from its default
    Wagtail site (host and port are kept there, so http/https follow the environment)."""
    from wagtail.models import Site  # Wagtail's models need the app registry (app loading)

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        raise RuntimeError(f"schema {current_schema()} has no default site")
    return site.root_url.rstrip("/")


def municipality_name() -> str:
    """The name the municipality shows on its portal ("Gemeente Zoetermeer")."""
    for source in _display_names:
        if name := source():
            return name
    official = next((name for source in _official_names if (name := source())), None)
    return _("Municipality of %(name)s") % {"name": official or current_schema()}


def link(name: str, **kwargs: Any) -> str:
    """An absolute link to the named page of the municipality's site."""
    return site_url() + reverse(name, kwargs=kwargs, urlconf=settings.ROOT_URLCONF)


def workspace_link(*names: tuple[str, dict[str, Any]]) -> str:
    """The first of the named workspace pages that exists, else the workspace itself."""
    for name, kwargs in names:
        try:
            return link(name, **kwargs)
        except NoReverseMatch:
            continue
    return link("workspace")
