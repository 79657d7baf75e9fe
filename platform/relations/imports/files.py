"""Reading an uploaded spreadsheet: CSV (UTF-8, ';' or ',') or Excel (.xlsx).

Everything that can go wrong with the file as a whole raises `ImportFileError` with a message
for the person who uploaded it; nothing here touches the database.

Limits, so one upload cannot exhaust a process: 10 MB on the wire; an .xlsx (a zip) is judged
by its table of contents before anything is unpacked (members, their sizes and compression
ratio; Python's zipfile never unpacks more than a member's declared size); at most
MAX_COLUMNS filled columns and MAX_ROWS rows, counted while the rows stream in. The web
request reads only the start of a file (`sniff_table`: the header and a few rows, at most
SNIFF_BYTES of a CSV); reading and checking every row is the Celery task's work.
"""

import codecs
import csv
import io
import logging
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# Our own templates have 11-13 columns; a register exported from another system maybe 60.
# Beyond this the mapping page (a select per field listing every column) gets unusable.
MAX_COLUMNS = 200
# What the web request reads of a CSV: the header and the first rows, never the whole file.
SNIFF_BYTES = 256 * 1024
# An .xlsx is a zip. A 10 MB workbook of real data unpacks to some 50-100 MB (sheet XML
# compresses 5-15 times); a zip bomb unpacks a few hundred KB to gigabytes.
MAX_XLSX_MEMBERS = 1000
MAX_XLSX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_XLSX_TOTAL_BYTES = 150 * 1024 * 1024
MAX_XLSX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1024 * 1024
MAX_XLSX_DIRECTORY_BYTES = 1024 * 1024  # the zip's table of contents itself
EXTENSIONS = (".csv", ".xlsx")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (.xls)


class ImportFileError(Exception):
    """The file as a whole cannot be used. `message` is meant for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A sheet: the header row and the data rows, each with its row number as the
    spreadsheet shows it (the header is usually row 1, so the first data row is row 2)."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    header_row: int = 1


def not_supported_message() -> str:
    return _("Choose a CSV file or an Excel file (.xlsx). Other kinds of files cannot be "
             "imported.")


def encoding_message() -> str:
    return _("The file is not saved in UTF-8. In Excel choose 'Save as' > 'CSV UTF-8' and "
             "try again.")


def extension_of(filename: str) -> str:
    return PurePath(filename or "").suffix.lower()


def check_file(filename: str, data: bytes) -> str:
    """Return ".csv" or ".xlsx" when both the name and the content fit; else raise."""
    extension = extension_of(filename)
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(too_large_message())
    if extension == ".xls" or data.startswith(OLE_MAGIC):
        raise ImportFileError(_("This is an old Excel file (.xls). Open it in Excel and save "
                                "it as an Excel workbook (.xlsx) or as 'CSV UTF-8'."))
    if extension not in EXTENSIONS:
        raise ImportFileError(not_supported_message())
    if extension == ".xlsx" and not data.startswith(ZIP_MAGIC):
        raise ImportFileError(_("This file is called .xlsx but is not an Excel workbook. "
                                "Open it in Excel and save it again as .xlsx."))
    if extension == ".csv" and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(encoding_message())  # Excel's "Unicode text"
    if extension == ".csv" and (data.startswith(ZIP_MAGIC) or b"\x00" in data[:4096]):
        raise ImportFileError(_("This file is called .csv but is not a text file. Save it "
                                "as 'CSV UTF-8' and try again."))
    return extension


def too_large_message() -> str:
    return _("The file is larger than %(size)s MB. Split it into smaller files.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)}


def read_table(filename: str, data: bytes, *, max_rows: int | None = None) -> Table:
    """Read the first sheet of an uploaded file. `max_rows` stops early (for a preview)."""
    extension = check_file(filename, data)
    if extension == ".csv":
        rows = _csv_rows(data)
    else:
        check_xlsx_archive(data)
        rows = _xlsx_rows(data)
    return _table(rows, max_rows)


def sniff_table(filename: str, data: bytes, *, max_rows: int = 1) -> Table:
    """What the web request may read: the header and the first `max_rows` rows, from at most
    SNIFF_BYTES of a CSV (cut after a whole line) or a streamed .xlsx whose zip passed the
    checks. A CSV whose header does not fit in SNIFF_BYTES has far too many columns."""
    extension = check_file(filename, data)
    if extension == ".xlsx":
        check_xlsx_archive(data)
        return _table(_xlsx_rows(data), max_rows)
    if len(data) > SNIFF_BYTES:
        cut = data.rfind(b"\n", 0, SNIFF_BYTES)  # never inside a UTF-8 character
        if cut < 0:
            raise ImportFileError(too_many_columns_message())
        data = data[:cut + 1]
    return _table(_csv_rows(data), max_rows)


def too_many_columns_message() -> str:
    return _("The file has more than %(max)s columns. Keep only the columns you want to "
             "import and try again.") % {"max": MAX_COLUMNS}


def xlsx_too_big_message() -> str:
    return _("This Excel file holds much more data than a normal list, once it is unpacked. "
             "We did not open it. Save the list again as 'CSV UTF-8', or copy the rows into "
             "a new Excel workbook, and try again.")


def _directory_of(data: bytes) -> tuple[int, int]:
    """(entries, size in bytes) of the zip's table of contents, from its end record, read
    before zipfile builds an object for every entry."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        raise ImportFileError(_("This Excel file could not be read. Open it in Excel, save "
                                "it again as an Excel workbook (.xlsx) and try again."))
    entries, size = struct.unpack("<HI", data[end + 10:end + 16])
    return entries, size


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an .xlsx whose zip would unpack to too much, judged by its table of contents
    only: nothing is decompressed here."""
    entries, directory = _directory_of(data)
    if entries > MAX_XLSX_MEMBERS or directory > MAX_XLSX_DIRECTORY_BYTES:
        raise ImportFileError(xlsx_too_big_message())
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        logger.info("unreadable xlsx upload: not a zip")
        raise ImportFileError(_("This Excel file could not be read. Open it in Excel, save "
                                "it again as an Excel workbook (.xlsx) and try again.")
                              ) from None
    if len(members) > MAX_XLSX_MEMBERS:
        raise ImportFileError(xlsx_too_big_message())
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if (member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
                or member.file_size > MAX_XLSX_MEMBER_BYTES
                or total > MAX_XLSX_TOTAL_BYTES
                or (member.file_size > RATIO_FROM_BYTES and ratio > MAX_XLSX_RATIO)):
            logger.info("xlsx upload refused: %s bytes unpacked, ratio %.0f",
                        member.file_size, ratio)
            raise ImportFileError(xlsx_too_big_message())


def _csv_rows(data: bytes):
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFileError(encoding_message()) from None
    first, _newline, rest = text.partition("\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        delimiter, text = first.strip()[4], rest  # Excel's "sep=;" line: not a row
    else:
        delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        raise ImportFileError(_("The CSV file could not be read. Save it again as "
                                "'CSV UTF-8' and try again.")) from None


def sniff_delimiter(text: str) -> str:
    """';' (Dutch Excel), ',' or a tab: whichever occurs most in the first non-empty line."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    unreadable = _("This Excel file could not be read. Open it in Excel, save it again as an "
                   "Excel workbook (.xlsx) and try again.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # zipfile, XML and openpyxl errors: many kinds on bad files
        logger.info("unreadable xlsx upload: %s", type(error).__name__)
        raise ImportFileError(unreadable) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The Excel file has no sheets."))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write a wrong size: read what is there
        try:
            for row in sheet.iter_rows(values_only=True):
                yield list(row)
        except ImportFileError:
            raise
        except Exception as error:
            logger.info("unreadable xlsx sheet: %s", type(error).__name__)
            raise ImportFileError(unreadable) from None
    finally:
        workbook.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _width(cells: list[Any]) -> int:
    """The number of columns up to the last filled cell (Excel pads rows with empty ones)."""
    width = len(cells)
    while width and _blank(cells[width - 1]):
        width -= 1
    return width


def _table(rows, max_rows: int | None) -> Table:
    table: Table | None = None
    for number, cells in enumerate(rows, start=1):
        width = _width(cells)
        if not width:
            continue
        if width > MAX_COLUMNS:
            raise ImportFileError(too_many_columns_message())
        if table is None:
            headers = ["" if _blank(v) else str(v).strip().lstrip("\ufeff") for v in cells]
            while headers and not headers[-1]:
                headers.pop()
            table = Table(headers=headers, header_row=number)
            continue
        if max_rows is not None and len(table.rows) >= max_rows:
            break
        if len(table.rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows. Split it into smaller files.")
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")})
        table.rows.append((number, cells))
    if table is None or not table.headers:
        raise ImportFileError(_("The file is empty: there is no header row with column "
                                "names."))
    if not table.rows and max_rows != 0:
        raise ImportFileError(_("The file has column names but no rows below them."))
    return table


def column_name(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": how the spreadsheet names a column."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name
