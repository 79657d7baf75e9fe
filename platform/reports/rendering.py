"""The report's two files: a PDF (WeasyPrint, through `core.pdf`) and an XLSX (openpyxl).
Both are rendered from a `ReportContent`: counts only."""

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from core.pdf import html_to_pdf

from .content import ReportContent

BOLD = Font(bold=True)
DATE_FORMAT = "DD-MM-YYYY"
PERCENT_FORMAT = "0%"


def render_pdf(content: ReportContent) -> bytes:
    html = render_to_string("reports/report_pdf.html", {"report": content})
    return html_to_pdf(html)


def render_xlsx(content: ReportContent) -> bytes:
    """Four sheets: summary, targets, placements by kind, signals."""
    workbook = Workbook()
    _summary(workbook.active, content)
    _targets(workbook.create_sheet(), content)
    _placements(workbook.create_sheet(_("Placements by kind")), content)
    _signals(workbook.create_sheet(_("Signals")), content)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _header(sheet: Worksheet, *labels: str) -> None:
    sheet.append(list(labels))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _dates(sheet: Worksheet, label: str, *days) -> None:
    sheet.append([label, *days])
    for cell in sheet[sheet.max_row][1:]:
        cell.number_format = DATE_FORMAT


def _summary(sheet: Worksheet, content: ReportContent) -> None:
    sheet.title = _("Summary")
    sheet.append([_("Weekly report %(municipality)s") % {"municipality": content.municipality}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    _dates(sheet, _("Week"), content.week_start, content.week_end)
    if content.has_period:
        _dates(sheet, _("Project period"), content.period_start, content.period_end)
    else:
        sheet.append([_("Project period"), _("not set")])
    _dates(sheet, _("Counted up to and including"), content.as_of)
    sheet.append([])
    _header(sheet, "", _("This week"), _("Period to date"))
    for figure in content.activity:
        sheet.append([figure.label, figure.week, figure.period])
    for figure in content.placements:
        sheet.append([_("Placements: %(kind)s") % {"kind": figure.label}, figure.week,
                      figure.period])
    sheet.append([])
    if content.signals is not None:
        sheet.append([_("Open signals"), content.signals_total])
    if content.zrm is not None:
        _zrm(sheet, content.zrm)
    sheet.column_dimensions["A"].width = 48
    for column in "BC":
        sheet.column_dimensions[column].width = 16


def _zrm(sheet: Worksheet, zrm) -> None:
    """ZRM progress (Meedoen Werkt): of the candidates with a second assessment, the share
    who improved on at least one domain; then per domain."""
    sheet.append([_("Candidates with a second ZRM assessment"), zrm.assessed])
    sheet.append([_("Improved on at least one domain"), zrm.improved, zrm.share])
    sheet.cell(sheet.max_row, 3).number_format = PERCENT_FORMAT
    sheet.append([])
    _header(sheet, _("ZRM domain"), _("Compared"), _("Improved"), _("Worsened"))
    for domain in zrm.domains:
        sheet.append([str(domain.name), domain.compared, domain.improved, domain.worsened])


def _targets(sheet: Worksheet, content: ReportContent) -> None:
    sheet.title = _("Targets")
    _header(sheet, _("Target"), _("Count"), _("Target value"), _("Share"),
            _("Expected by now"), _("Forecast at end of period"), _("Status"))
    for line in content.targets:
        sheet.append([str(line.label), line.count, line.target, line.share, line.expected,
                      line.forecast, _target_status(line)])
        sheet.cell(sheet.max_row, 4).number_format = PERCENT_FORMAT
    if not content.targets:
        sheet.append([_("No project period has been set.")])
    sheet.column_dimensions["A"].width = 32
    for column in "BCDEFG":
        sheet.column_dimensions[column].width = 18


def _target_status(line) -> str:
    if line.reached:
        return _("reached")
    if line.behind:
        return _("behind pace")
    return _("on pace")


def _placements(sheet: Worksheet, content: ReportContent) -> None:
    _header(sheet, _("Kind of placement"), _("This week"), _("Period to date"))
    for figure in content.placements:
        sheet.append([figure.label, figure.week, figure.period])
    sheet.column_dimensions["A"].width = 32
    for column in "BC":
        sheet.column_dimensions[column].width = 16


def _signals(sheet: Worksheet, content: ReportContent) -> None:
    _header(sheet, _("Kind of signal"), _("Open"))
    if content.signals is None:
        sheet.append([_("Signals are not available yet.")])
    for kind, count in content.signals or []:
        sheet.append([kind, count])
    sheet.column_dimensions["A"].width = 48
