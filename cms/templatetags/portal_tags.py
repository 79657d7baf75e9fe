"""The portal's menu: the pages under the home page that editors put in the menu."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("cms/portal_menu.html", takes_context=True)
def portal_menu(context) -> dict:
    request = context["request"]
    current = context.get("page")
    site = Site.find_for_request(request)
    items = []
    if site is not None:
        root = site.root_page.localized
        for page in Page.objects.child_of(root).live().in_menu().public():
            url = page.get_url(request)
            active = current is not None and current.path.startswith(page.path)
            items.append({"title": page.title, "url": url, "active": active})
    return {"items": items, "request": request}
