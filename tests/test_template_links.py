"""Links that must exist fail loudly: no template keeps a URL with `{% url … as … %}` (which
turns a missing route into an empty link), and `{% route … as … %}` raises on a missing one."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch

REPO = Path(__file__).resolve().parents[1]
URL_AS = re.compile(r"{%\s*url\s[^%]*\sas\s+\w+\s*%}")


def templates() -> list[Path]:
    roots = [REPO / "platform", REPO / "cms", REPO / "matching_events", REPO / "tenants"]
    return [path for root in roots for path in root.rglob("templates/**/*.html")]


def test_no_template_keeps_a_url_with_url_as():
    found = [f"{path.relative_to(REPO)}: {match.group(0)}" for path in templates()
             for match in URL_AS.finditer(path.read_text())]
    assert found == []


def test_route_as_fails_on_a_missing_route():
    with pytest.raises(NoReverseMatch):
        Template('{% load routes %}{% route "matching_events:table_plan" 1 as x %}{{ x }}'
                 ).render(Context({}))


def test_route_as_keeps_an_existing_route(settings):
    settings.ROOT_URLCONF = "werktop.urls_tenant"
    html = Template('{% load routes %}{% route "matching_events:tableplan" 7 as x %}{{ x }}'
                    ).render(Context({}))
    assert html == "/werkplek/bijeenkomsten/7/tafelindeling/"
