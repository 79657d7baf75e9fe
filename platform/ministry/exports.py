"""CSV and XLSX exports of the overview: the same suppressed figures as the dashboard."""

import csv
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.files import as_download

from .figures import TARGETS, Row

EXTRA = ("trial_placements", "meetups_held", "candidates_attending", "zrm_candidates",
         "zrm_improved_share", "satisfaction_approach", "satisfaction_approach_responses",
         "satisfaction_relationship_manager", "satisfaction_relationship_manager_responses",
         "satisfaction_self_efficacy", "satisfaction_self_efficacy_responses")


def header() -> list[str]:
    names = {"employer_contacts": _("New employer contacts"),
             "regular_jobs": _("Regular jobs"),
             "work_experience_places": _("Work-experience places")}
    columns = [_("CBS code"), _("Municipality"), _("Province"), _("Period start"),
               _("Period end"), _("Figures as of")]
    for key in TARGETS:
        columns += [names[key], _("%(target)s: target") % {"target": names[key]},
                    _("%(target)s: share") % {"target": names[key]},
                    _("%(target)s: behind pace") % {"target": names[key]}]
    return columns + [_("Trial placements"), _("Meetups held"), _("Candidates attending"),
                      _("Candidates with a second ZRM assessment"),
                      _("Share improved on a ZRM domain"), _("Satisfaction: approach"),
                      _("Responses: approach"), _("Satisfaction: relationship manager"),
                      _("Responses: relationship manager"), _("Self-efficacy"),
                      _("Responses: self-efficacy")]


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else value


def table(rows: list[Row]) -> list[list[Any]]:
    lines = [header()]
    for row in rows:
        figures = row.figures or {}
        line: list[Any] = [row.cbs_code, row.name, row.province, figures.get("period_start"),
                           figures.get("period_end"), figures.get("computed_on")]
        for key in TARGETS:
            progress = row.progress.get(key, {})
            line += [progress.get("count"), progress.get("target"), progress.get("share"),
                     progress.get("behind")]
        line += [figures.get(name) for name in EXTRA]
        lines.append([_cell(value) for value in line])
    return lines


def _filename(extension: str) -> str:
    return f"werktop-gemeenten-{timezone.localdate().isoformat()}.{extension}"


def csv_response(rows: list[Row]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    as_download(response, _filename("csv"))
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerows(table(rows))
    return response


def xlsx_response(rows: list[Row]) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Municipalities")[:31]
    for line in table(rows):
        sheet.append(line)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    as_download(response, _filename("xlsx"))
    return response
