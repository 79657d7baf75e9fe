"""The ministry dashboard on the national site: every participating municipality against its
targets, national totals, weekly trends, who lags behind, one municipality's history.

Reads only the rollup tables and `tenants.Municipality`: two queries for the overview, three
for a history page, whatever the number of municipalities."""

from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tenants.models import Municipality

from . import exports, figures, overview_cache, rendering

PERMISSION = "accounts.view_ministry_dashboard"
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 640, 220, 30


def may_view_dashboard(user) -> bool:
    """`user.has_perm(PERMISSION)` in one query instead of ModelBackend's two (the user's own
    permissions, then their groups'): the dashboard's query count is part of its target."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    app_label, codename = PERMISSION.split(".")
    return Permission.objects.filter(
        Q(user=user) | Q(group__user=user), content_type__app_label=app_label,
        codename=codename).exists()


def ministry_view(view):
    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_view_dashboard(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(login_required(checked))


def trend_chart(weeks: list[dict[str, Any]], series: tuple[str, ...]) -> dict[str, Any]:
    """Coordinates for an inline SVG line chart (suppressed weeks leave a gap in the line)."""
    values = [w[name] for w in weeks for name in series if isinstance(w[name], int)]
    top = max([*values, 5])
    step = (CHART_WIDTH - 2 * CHART_PAD) / max(len(weeks) - 1, 1)
    lines = []
    for name in series:
        segments: list[list[str]] = [[]]
        for index, week in enumerate(weeks):
            value = week[name]
            if not isinstance(value, int):
                segments.append([])
                continue
            x = CHART_PAD + index * step
            y = CHART_HEIGHT - CHART_PAD - value / top * (CHART_HEIGHT - 2 * CHART_PAD)
            segments[-1].append(f"{x:.1f},{y:.1f}")
        lines.append({"name": name, "points": [" ".join(s) for s in segments if s]})
    return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "top": top, "lines": lines,
            "baseline": CHART_HEIGHT - CHART_PAD, "pad": CHART_PAD}


SORT_OPTIONS = [("name", gettext_lazy("name")), ("province", gettext_lazy("province")),
                ("-employer_contacts", gettext_lazy("share of employer contacts target")),
                ("-regular_jobs", gettext_lazy("share of regular jobs target")),
                ("-work_experience_places", gettext_lazy("share of work-experience target"))]


def figures_section(rows: list[figures.Row], province: str, sort: str) -> dict[str, Any]:
    """What the dashboard shows below its filters, rendered (see `ministry.overview_cache`)."""
    weeks = figures.national_weeks(province=province)
    lagging = [row for row in rows if row.behind]
    html = render_to_string("ministry/_dashboard_figures.html", {
        "rows": rows, "rows_html": rendering.municipality_rows(rows), "province": province,
        "totals": figures.totals(rows), "lagging": lagging,
        "lagging_html": rendering.lagging_list(lagging), "weeks": weeks,
        "chart": trend_chart(weeks, ("new_employer_contacts", "regular_jobs"))})
    return {"figures_html": html}  # a SafeString: rendered (and escaped) by the template engine


@ministry_view
def dashboard(request: HttpRequest) -> HttpResponse:
    province = request.GET.get("provincie", "")
    sort = request.GET.get("sorteer", "name")
    export = request.GET.get("formaat", "")
    today = timezone.localdate()
    form = {"province": province, "sort": sort, "sort_options": SORT_OPTIONS, "error": ""}
    key = overview_cache.section_key(province, sort, get_language(), today)
    if not export and (section := overview_cache.get_section(key)) is not None:
        return render(request, "ministry/dashboard.html", {**form, **section})
    rows = figures.current_rows(today)
    try:
        if export not in ("", "csv", "xlsx"):
            raise figures.BadFilter("formaat")
        chosen = figures.select(rows, province=province, sort=sort)
    except figures.BadFilter as problem:
        form["error"] = {"province": _("Unknown province: choose one from the list."),
                         "sort": _("Unknown sort order."),
                         "formaat": _("Export as csv or xlsx.")}[str(problem)]
        form["province"], form["sort"] = "", "name"
        chosen = figures.select(rows)
    else:
        if export == "csv":
            return exports.csv_response(chosen)
        if export == "xlsx":
            return exports.xlsx_response(chosen)
    section = {"provinces": figures.provinces(rows),
               **figures_section(chosen, form["province"], form["sort"])}
    if not form["error"]:
        overview_cache.store_section(key, section)  # a bad filter is never cached
    return render(request, "ministry/dashboard.html", {**form, **section},
                  status=400 if form["error"] else 200)


@ministry_view
def municipality_history(request: HttpRequest, cbs_code: str) -> HttpResponse:
    municipality = (Municipality.objects.participating()
                    .filter(cbs_code=cbs_code.upper()).first())
    if municipality is None:
        raise Http404
    weeks = figures.weeks_of(municipality)
    return render(request, "ministry/municipality.html", {
        "m": municipality, "row": figures.row_of(municipality),
        "periods": figures.periods_of(municipality), "weeks": weeks,
        "chart": trend_chart(weeks, ("new_employer_contacts", "regular_jobs"))})
