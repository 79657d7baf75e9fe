"""Dates in the Dutch interface are written the Dutch way: month names in lower case
("7 dec 2026", "7 december 2026"), never Django's title-cased abbreviation ("7 Dec 2026",
its "M" format). Checked on the templates (every `date` filter) and on a rendered example."""

import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

REPO = Path(__file__).resolve().parents[1]
TITLE_CASED_MONTH = re.compile(r"""date:(["'])[^"']*\bM\b[^"']*\1""")


def test_no_template_formats_a_month_with_a_capital():
    found = [f"{path.relative_to(REPO)}: {match.group(0)}"
             for root in ("platform", "cms", "matching_events", "tenants")
             for path in (REPO / root).rglob("templates/**/*.html")
             for match in TITLE_CASED_MONTH.finditer(path.read_text())]
    assert found == []


def test_a_short_date_reads_dutch():
    from datetime import date

    with translation.override("nl"):
        html = Template('{{ day|date:"D j b Y" }}').render(Context({"day": date(2026, 12, 16)}))
    assert html == "wo 16 dec 2026"
