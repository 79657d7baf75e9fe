"""The dashboard's per-municipality HTML, built in Python.

With all 342 municipalities the overview has about 1,400 table cells. Through the template
engine (a `blocktranslate`, a `url` and number localisation per cell) they cost ~90 ms per
request, which made the dashboard's time grow with the number of municipalities. Here every
translated string and the link prefix are looked up once per request and each row is a few
f-strings with every value escaped (the standard library's `html.escape`, which escapes what
Django's does), so a row costs microseconds.
Measured in tests/benchmarks/bench_ministry.py; the markup is the same as the template's.
"""

from collections.abc import Iterable
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .figures import Row

PLACEHOLDER = "GM0000"


def percent(value: Any) -> str:
    """A share as a whole percentage; a withheld share (None, or a suppressed "<5") as a dash."""
    if value is None or isinstance(value, str):
        return "–"
    return f"{round(value * 100)}%"


def history_url(prefix: str, cbs_code: str) -> str:
    return f"{prefix}{cbs_code}/"


def _history_prefix() -> str:
    return reverse("ministry:municipality", args=[PLACEHOLDER]).removesuffix(f"{PLACEHOLDER}/")


def municipality_rows(rows: Iterable[Row]) -> SafeString:
    """The rows of the "municipalities against their targets" table."""
    prefix = _history_prefix()
    of_target = escape(_("%(count)s of %(target)s"))
    expected_today = escape(_("expected by today: %(expected)s"))
    yes, no = f"<strong>{escape(_('yes'))}</strong>", escape(_("no"))
    unpublished = (f'<td class="utrecht-table__cell" colspan="4">'
                   f'{escape(_("No figures published yet."))}</td>')
    parts: list[str] = []
    for row in rows:
        parts.append(
            f'<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell">'
            f'<a class="utrecht-link" href="{escape(history_url(prefix, row.cbs_code))}">'
            f'{escape(row.name)}</a></th><td class="utrecht-table__cell">{escape(row.province)}'
            "</td>")
        if not row.figures:
            parts.append(f"{unpublished}</tr>\n")
            continue
        for p in row.progress.values():
            count = of_target % {"count": escape(str(p["count"])),
                                 "target": escape(str(p["target"]))}
            expected = expected_today % {"expected": escape(str(p["expected"]))}
            parts.append(f'<td class="utrecht-table__cell">{count} ({percent(p["share"])})'
                         f"<br><small>{expected}</small></td>")
        parts.append(f'<td class="utrecht-table__cell">{yes if row.behind else no}</td></tr>\n')
    # Every value above passes through escape.
    return mark_safe("".join(parts))  # noqa: S308  # nosec


def lagging_list(rows: Iterable[Row]) -> SafeString:
    """The list items of the "behind pace" section."""
    prefix = _history_prefix()
    # Every value passes through escape.
    return mark_safe("".join(  # noqa: S308  # nosec
        f'<li><a class="utrecht-link" href="{escape(history_url(prefix, row.cbs_code))}">'
        f"{escape(row.name)}</a> ({escape(row.province)})</li>" for row in rows))
