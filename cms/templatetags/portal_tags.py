"""The portal's menu and the municipality's name and logo in the header."""

from django import template
from django.core.cache import cache
from wagtail.images.models import Image
from wagtail.models import Page

from cms.models import BRANDING_KEY, Branding

register = template.Library()

HOME_DEPTH = 2  # the root node is depth 1; each language's home page is depth 2


@register.inclusion_tag("cms/portal_menu.html", takes_context=True)
def portal_menu(context) -> dict:
    """The pages under this page's home page that editors put in the menu: one query. The home
    page is found from the current page's tree path, so English pages get the English menu."""
    request = context["request"]
    current = context.get("page")
    items = []
    if current is not None:
        home_path = current.path[: HOME_DEPTH * Page.steplen]
        children = Page.objects.filter(path__startswith=home_path, depth=HOME_DEPTH + 1)
        for page in children.live().in_menu().order_by("path"):
            items.append({"title": page.title, "url": page.get_url(request),
                          "active": current.path.startswith(page.path)})
    return {"items": items}


def branding_values(request) -> dict:
    """Name and logo chosen by the editors, cached per municipality (tenant-aware key) and
    forgotten when the branding is saved."""
    values = cache.get(BRANDING_KEY)
    if values is None:
        branding = Branding.for_request(request)
        values = {"display_name": branding.display_name, "logo_id": branding.logo_id,
                  "logo_alt": branding.logo_alt}
        cache.set(BRANDING_KEY, values, 300)
    return values


@register.inclusion_tag("cms/site_name.html", takes_context=True)
def municipality_name(context) -> dict:
    values = branding_values(context["request"])
    logo = None
    if values["logo_id"]:
        logo = Image.objects.filter(pk=values["logo_id"]).first()
    return {"values": values, "logo": logo, "municipality": context["municipality"]}
