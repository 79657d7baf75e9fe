"""`{% route "name" arg as variable %}`: a URL kept in a variable, which fails loudly when the
route does not exist. Django's `{% url … as variable %}` swallows a missing route and leaves
the variable empty, so a menu link silently vanished (the table plan); use `{% url %}` to print
a link and `{% route … as … %}` to keep one."""

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def route(name: str, *args: Any, **kwargs: Any) -> str:
    """The URL of the named route; NoReverseMatch when it does not exist."""
    return reverse(name, args=args or None, kwargs=kwargs or None)
