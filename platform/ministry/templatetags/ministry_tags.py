"""Showing (already suppressed) figures: a share as a percentage, an absent figure as a dash."""

from typing import Any

from django import template
from django.utils.formats import number_format

from ministry import rendering

register = template.Library()


register.filter("percent", rendering.percent)


@register.filter
def figure(value: Any, decimals: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return number_format(value, decimals or 1)
    return str(value)


@register.filter
def get(mapping: dict, key: str) -> Any:
    return mapping.get(key) if mapping else None
