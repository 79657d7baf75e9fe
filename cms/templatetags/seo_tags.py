"""`{% seo_head as seo %}`: canonical URL, Open Graph values and the robots flag of the page
being rendered (see cms.seo and werktop/base.html)."""

from typing import Any

from django import template

from cms import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_head(context: template.Context) -> dict[str, Any]:
    return seo.head_values(context)
