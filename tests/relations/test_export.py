"""Downloading the list: CSV for Dutch Excel and XLSX, formulas neutralised, a few queries for
any length, and a file that can be imported again as it is."""

import csv
import io
from datetime import date

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from audit.models import AuditEntry
from relations import services
from relations.exports import export_candidates, export_employers
from relations.imports.fields import guess_mapping
from relations.imports.models import ImportJob
from relations.models import Candidate, Employer
from tests.conftest import query_budget
from tests.relations.test_import import ALICE, log_in, wizard


@pytest.fixture
def employers(zoetermeer, alice):
    with tenant_context(zoetermeer):
        services.create_employer(
            by=alice, name="Bakkerij De Korenschoof", kvk_number="27312152", sector="G",
            postcode="2711 ab", city="Zoetermeer", owner=alice,
            status=Employer.Status.ACTIVE_PARTNER,
            contacts=[{"name": "Fatima Amrani", "role": "", "email": "", "phone": ""}])
        services.create_employer(
            by=alice, name="=HYPERLINK(\"http://evil.example\",\"klik\")",
            kvk_number="12345678", city="@SUM(A1:A2)")
        return Employer.objects.order_by("name")


@pytest.fixture
def candidates(zoetermeer, alice):
    with tenant_context(zoetermeer):
        services.create_candidate(
            by=alice, first_name="Samira", last_name="Benali", email="samira@example.nl",
            phone="+31 6 12345678", driving_licence=True, programme_start=date(2024, 3, 1),
            ladder_rung=4, client_reference="K-1001", owner=alice, year_of_birth=1990)
        services.create_candidate(by=alice, first_name="-Kees", last_name="Berg")
        return Candidate.objects.order_by("last_name")


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # so Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(content[3:].decode("utf-8")), delimiter=";"))


def read_xlsx(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def test_employers_as_csv(zoetermeer, employers):
    with tenant_context(zoetermeer):
        response = export_employers(employers, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="werkgevers-{timezone.localdate():%Y-%m-%d}.csv"')
    rows = read_csv(response.content)
    assert len(rows) == 3 and len(rows[0]) == 11
    evil, bakery = rows[1], rows[2]
    assert bakery[:3] == ["Bakkerij De Korenschoof", "27312152", "G"]
    assert "2711 AB" in bakery and ALICE in bakery
    # Formula injection: text starting with = + - @ gets an apostrophe.
    assert evil[0] == "'=HYPERLINK(\"http://evil.example\",\"klik\")"
    assert "'@SUM(A1:A2)" in evil


def test_employers_as_xlsx(zoetermeer, employers):
    with tenant_context(zoetermeer):
        response = export_employers(employers, "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith(
        f'werkgevers-{timezone.localdate():%Y-%m-%d}.xlsx"')
    rows = read_xlsx(response.content)
    assert len(rows) == 3
    assert rows[1][0].startswith("'=HYPERLINK") and rows[2][1] == "27312152"
    workbook = load_workbook(io.BytesIO(response.content))
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


def test_candidates_as_csv_and_xlsx(zoetermeer, candidates):
    with tenant_context(zoetermeer):
        as_csv = read_csv(export_candidates(candidates, "csv").content)
        as_xlsx = read_xlsx(export_candidates(candidates, "xlsx").content)
    assert len(as_csv) == len(as_xlsx) == 3 and len(as_csv[0]) == 17
    samira_csv = next(row for row in as_csv if row[0] == "Samira")
    assert "'+31 6 12345678" in samira_csv and "01-03-2024" in samira_csv
    assert "K-1001" in samira_csv and "4" in samira_csv
    samira_xlsx = next(row for row in as_xlsx if row[0] == "Samira")
    assert date(2024, 3, 1) in [v.date() if hasattr(v, "date") else v for v in samira_xlsx]
    assert any(row[0] == "'-Kees" for row in as_csv)


def test_the_export_is_a_few_queries_whatever_the_length(zoetermeer, alice):
    with tenant_context(zoetermeer):
        for number in range(30):
            services.create_employer(by=alice, name=f"Bedrijf {number}",
                                     kvk_number=f"{10000000 + number}", owner=alice)
        with query_budget(2):
            response = export_employers(Employer.objects.all(), "xlsx")
    assert len(read_xlsx(response.content)) == 31


def test_a_download_with_the_request_is_in_the_audit_log(zoetermeer, candidates, alice):
    request = RequestFactory().get("/werkplek/kandidaten/?bestand=csv")
    request.user = alice
    with tenant_context(zoetermeer):
        export_candidates(candidates, "csv", request=request)
        entry = AuditEntry.objects.get(action="export", object_id="")
        each = sorted(AuditEntry.objects.filter(action="export").exclude(object_id="")
                      .values_list("object_id", flat=True))
        assert each == sorted(str(candidate.pk) for candidate in candidates)
    assert (entry.object_type, entry.detail, entry.actor_id) == ("candidate", "2 rijen, csv",
                                                                 alice.pk)


def test_an_unknown_format_is_not_found(zoetermeer, employers):
    with tenant_context(zoetermeer), pytest.raises(Http404):
        export_employers(employers, "pdf")


def test_an_exported_file_can_be_imported_again_without_changes(zoetermeer, employers, alice):
    with tenant_context(zoetermeer):
        content = export_employers(Employer.objects.all(), "xlsx").content
        versions = dict(Employer.objects.values_list("pk", "version"))
    job = wizard(log_in(zoetermeer, ALICE), zoetermeer, "employers", "terug.xlsx", content)
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count) == (0, 0)
    with tenant_context(zoetermeer):
        assert dict(Employer.objects.values_list("pk", "version")) == versions
        assert Employer.objects.get(kvk_number="12345678").name.startswith("=HYPERLINK")


def test_column_names_are_guessed_in_dutch_and_english(db):
    headers = ["Company name", "Chamber of Commerce", "ZIP", "Town", "Owner", "Contact person",
               "E-mail", "Phone"]
    assert guess_mapping("employers", headers) == {
        "name": 0, "kvk_number": 1, "postcode": 2, "city": 3, "owner": 4, "contact_name": 5,
        "contact_email": 6, "contact_phone": 7}
    assert guess_mapping("candidates", ["Cliëntnummer", "Roepnaam", "Achternaam", "Trede"]) == {
        "client_reference": 0, "first_name": 1, "last_name": 2, "ladder_rung": 3}
