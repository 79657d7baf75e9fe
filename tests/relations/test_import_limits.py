"""The import wizard cannot be used to exhaust the web process (security test findings).

- A zip-bomb .xlsx (a few hundred KB that unpacks to hundreds of MB) is refused from the zip's
  table of contents, before anything is unpacked.
- A CSV with thousands of columns, or too many rows, is refused while it is read, with a plain
  message; the web request only reads a bounded start of the file (the header and one row):
  counting and checking every row is the Celery task's work.
"""

import io
import time
import tracemalloc
import zipfile

import pytest
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relations.imports import files as import_files
from relations.imports.files import ImportFileError, read_table, sniff_table
from relations.imports.models import ImportJob
from tests.relations.test_import import (
    ALICE,
    csv_bytes,
    employer_rows,
    log_in,
    upload,
    wizard,
    xlsx_bytes,
)

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def client(zoetermeer, alice):
    return log_in(zoetermeer, ALICE)


def zip_bomb(uncompressed_mb: int = 500) -> bytes:
    """A well-formed .xlsx whose first sheet is `uncompressed_mb` MB of repeated cells,
    written in chunks so the test itself never holds the sheet in memory (~0.5 MB zipped)."""
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Naam"], ["Acme"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in good.infolist():
            if info.filename != SHEET:
                bomb.writestr(info, good.read(info.filename))
        with bomb.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://'
                        b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                        b'<row r="1">')
            chunk = b'<c t="inlineStr"><is><t>AAAAAAAA</t></is></c>' * 20_000
            for _ in range(uncompressed_mb * 1024 * 1024 // len(chunk)):
                sheet.write(chunk)
            sheet.write(b"</row></sheetData></worksheet>")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb()


def test_a_zip_bomb_xlsx_is_refused_without_unpacking_it(bomb, monkeypatch):
    assert len(bomb) < 2 * 1024 * 1024  # small on the wire: well under the 10 MB limit

    def no_unpacking(*args, **kwargs):
        raise AssertionError("the sheet was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    monkeypatch.setattr(zipfile.ZipFile, "read", no_unpacking)
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError) as refused:
            read_table("bom.xlsx", bomb)
        with pytest.raises(ImportFileError):
            sniff_table("bom.xlsx", bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, peak
    assert "Excel" in refused.value.message


def zip_of(members: dict[str, int], *, level: int = 9) -> bytes:
    """A zip with members of the given uncompressed sizes (zeros: they compress well)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, size in members.items():
            with archive.open(name, "w", force_zip64=True) as member:
                for _ in range(size // 65536):
                    member.write(b"\x00" * 65536)
                member.write(b"\x00" * (size % 65536))
    return buffer.getvalue()


@pytest.mark.parametrize("members", [
    {f"xl/worksheets/sheet{i}.xml": 10 for i in range(import_files.MAX_XLSX_MEMBERS + 1)},
    {SHEET: import_files.MAX_XLSX_MEMBER_BYTES + 1},
    {f"xl/worksheets/sheet{i}.xml": import_files.MAX_XLSX_MEMBER_BYTES // 2 for i in range(
        2 * import_files.MAX_XLSX_TOTAL_BYTES // import_files.MAX_XLSX_MEMBER_BYTES + 1)},
    {SHEET: 8 * 1024 * 1024},  # 8 MB of zeros zip to a few KB: the ratio gives it away
], ids=["members", "member-size", "total-size", "ratio"])
def test_every_zip_limit_refuses_before_reading(members, monkeypatch):
    data = zip_of(members)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("unpacked"))
    with pytest.raises(ImportFileError):
        import_files.check_xlsx_archive(data)


def test_a_csv_with_10000_columns_is_refused_quickly_at_upload(zoetermeer, client):
    header = ";".join(f"Kolom {i}" for i in range(10_000))
    data = (header + "\r\n" + ";".join("x" for _ in range(10_000)) + "\r\n").encode()
    started = time.monotonic()
    response = upload(client, "employers", "breed.csv", data)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    page = response.content.decode()
    assert "utrecht-form-field-error-message" in page
    assert str(import_files.MAX_COLUMNS) in page
    assert elapsed < 1.5, elapsed
    assert len(page) < 200_000
    with tenant_context(zoetermeer):
        assert not ImportJob.objects.exists()


def test_a_header_row_longer_than_the_upload_sniff_is_refused_too():
    assert 100 * 5001 > import_files.SNIFF_BYTES
    with pytest.raises(ImportFileError):
        sniff_table("lang.csv", (";".join("K" * 5000 for _ in range(100)) + "\r\n").encode())


def test_a_csv_with_too_many_rows_is_refused_while_reading(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_ROWS", 100)
    data = csv_bytes([["Naam", "KvK"]] + [["Acme", "12345678"]] * 101)
    with pytest.raises(ImportFileError) as refused:
        read_table("lang.csv", data)
    assert "100" in refused.value.message
    assert len(read_table("genoeg.csv", csv_bytes([["Naam"]] + [["Acme"]] * 100)).rows) == 100


def test_too_many_rows_is_found_by_the_check_task_not_the_upload(zoetermeer, client,
                                                                  monkeypatch):
    """The web request reads only the start of the file; the task reads all of it."""
    monkeypatch.setattr(import_files, "MAX_ROWS", 2)
    rows = employer_rows()  # a header and three rows
    response = upload(client, "employers", "lijst.csv", csv_bytes(rows))
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        job = ImportJob.objects.latest("pk")
    response = client.post(response["Location"],
                           {name: str(index) for name, index in job.mapping.items()})
    with tenant_context(zoetermeer):
        job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert [e["row"] for e in job.errors] == [None]  # about the file, not a row
    assert " 2 " in job.errors[0]["message"]  # "meer dan 2 rijen"


def test_the_upload_request_does_not_read_the_whole_file(zoetermeer, client, monkeypatch):
    seen = []
    real = import_files._table

    def spy(rows, max_rows, **kwargs):
        seen.append(max_rows)
        return real(rows, max_rows, **kwargs)

    monkeypatch.setattr(import_files, "_table", spy)
    response = upload(client, "employers", "lijst.csv", csv_bytes(employer_rows()))
    assert response.status_code == 302
    assert seen and all(limit is not None for limit in seen)


def test_a_normal_xlsx_still_goes_through_the_wizard(zoetermeer, client, bob):
    job = wizard(client, zoetermeer, "employers", "lijst.xlsx", xlsx_bytes(employer_rows()))
    assert job.status == ImportJob.Status.DONE and job.total_rows == 3


cell = st.text(alphabet="abcXYZ019é-", max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(columns=st.integers(1, 12), rows=st.integers(1, 12), data=st.data())
def test_a_table_is_refused_exactly_when_it_is_too_wide_or_too_long(columns, rows, data):
    """Small limits, any shape: refused iff a row has more than MAX_COLUMNS filled cells or
    there are more than MAX_ROWS rows; otherwise every row is read back."""
    original = import_files.MAX_COLUMNS, import_files.MAX_ROWS
    import_files.MAX_COLUMNS, import_files.MAX_ROWS = 6, 8
    try:
        header = [f"K{i}" for i in range(columns)]
        body = [[data.draw(cell) or "v" for _ in range(columns)] for _ in range(rows)]
        for name, payload in (("t.csv", csv_bytes([header, *body])),
                              ("t.xlsx", xlsx_bytes([header, *body]))):
            too_big = columns > 6 or rows > 8
            try:
                table = read_table(name, payload)
            except ImportFileError as error:
                assert too_big, error.message
            else:
                assert not too_big
                assert len(table.rows) == rows and len(table.headers) == columns
    finally:
        import_files.MAX_COLUMNS, import_files.MAX_ROWS = original
