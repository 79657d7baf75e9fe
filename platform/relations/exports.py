"""Downloading the current list of employers or candidates as CSV or Excel.

CSV for Dutch Excel: UTF-8 with a byte order mark, ';' between fields. Column headers are the
import's field labels, so an exported file can be imported again as it is. Text that starts
with = + - @ gets an apostrophe in front: a spreadsheet never runs it as a formula (the import
takes it off again). One query, whatever the length of the list.
"""

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record, record_many
from core.files import as_download

from .imports.fields import labels_for
from .models import Candidate, Employer

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000

Column = tuple[str, Callable[[Any], Any]]


def safe_text(value: Any) -> Any:
    """Neutralise formula injection: text starting with = + - @ (or a tab or carriage
    return) is prefixed with an apostrophe. Numbers and dates are left alone."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return f"'{value}"
    return value


def _owner(obj: Employer | Candidate) -> str:
    return obj.owner.email if obj.owner_id else ""


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def employer_columns() -> list[Column]:
    labels = labels_for("employers")
    return [
        (labels["name"], lambda e: e.name),
        (labels["kvk_number"], lambda e: e.kvk_number),
        (labels["sector"], lambda e: e.sector),
        (labels["size_class"], lambda e: e.get_size_class_display() if e.size_class else ""),
        (labels["street_address"], lambda e: e.street_address),
        (labels["postcode"], lambda e: e.postcode),
        (labels["city"], lambda e: e.city),
        (labels["website"], lambda e: e.website),
        (labels["status"], lambda e: e.get_status_display()),
        (labels["owner"], _owner),
        (labels["first_contact_date"], lambda e: e.first_contact_date),
    ]


def candidate_columns() -> list[Column]:
    labels = labels_for("candidates")
    return [
        (labels["first_name"], lambda c: c.first_name),
        (labels["last_name"], lambda c: c.last_name),
        (labels["email"], lambda c: c.email),
        (labels["phone"], lambda c: c.phone),
        (labels["year_of_birth"], lambda c: c.year_of_birth),
        (labels["postcode"], lambda c: c.postcode),
        (labels["languages"], lambda c: c.languages),
        (labels["driving_licence"], lambda c: _yes_no(c.driving_licence)),
        (labels["hours_per_week"], lambda c: c.hours_per_week),
        (labels["travel_radius_km"], lambda c: c.travel_radius_km),
        (labels["talents"], lambda c: c.talents),
        (labels["interests"], lambda c: c.interests),
        (labels["status"], lambda c: c.get_status_display()),
        (labels["programme_start"], lambda c: c.programme_start),
        (labels["ladder_rung"], lambda c: c.ladder_rung),
        (labels["client_reference"], lambda c: c.client_reference),
        (labels["owner"], _owner),
    ]


def export_employers(queryset: QuerySet[Employer], fmt: str, *,
                     request: HttpRequest | None = None) -> HttpResponse:
    """The employers of `queryset` (already filtered to what the user may see) as a file
    download; `fmt` is "csv" or "xlsx" (anything else: 404). With `request`, the download
    is written to the audit log (who, how many rows; no personal data)."""
    return _export(queryset, fmt, employer_columns(), _("employers"), "werkgevers", request)


def export_candidates(queryset: QuerySet[Candidate], fmt: str, *,
                      request: HttpRequest | None = None) -> HttpResponse:
    """The candidates of `queryset` (already filtered to the user's portfolio) as a file
    download; `fmt` is "csv" or "xlsx" (anything else: 404). With `request`, the download
    is written to the audit log: who, how many rows, and one entry per candidate (numbers,
    no personal data)."""
    return _export(queryset, fmt, candidate_columns(), _("candidates"), "kandidaten", request)


def _export(queryset: QuerySet, fmt: str, columns: list[Column], title: str, stem: str,
            request: HttpRequest | None) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    objects = queryset.select_related("owner").iterator(chunk_size=CHUNK)
    exported: list[int] = []

    def rows():
        for obj in objects:
            exported.append(obj.pk)
            yield [safe_text(value(obj)) for _label, value in columns]

    headers = [label for label, _value in columns]
    content = _csv(headers, rows()) if fmt == "csv" else _xlsx(headers, rows(), title)
    if request is not None:
        # One entry for the download, and one per record in it: "who has candidate 123 in a
        # file?" is a search on type and number (bulk insert: 2 queries per 1000 rows).
        object_type = queryset.model._meta.model_name
        record("export", object_type, "", request=request,
               detail=f"{len(exported)} rijen, {fmt}")
        record_many("export", object_type, exported, request=request, detail=f"lijst, {fmt}")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    filename = f"{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    as_download(response, filename)
    return response


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    return value


def _csv(headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _date_cell(sheet, value: date):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "DD-MM-YYYY"
    return cell


def _xlsx(headers: list[str], rows: Iterable[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31].capitalize() or "Export")
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=safe_text(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_date_cell(sheet, value) if isinstance(value, date) else value
                      for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
