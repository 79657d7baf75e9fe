"""The import wizard: upload, map columns, check, import; all rows or none; re-runnable.

alice: relationship manager of Zoetermeer, bob: her colleague, carol: coordinator,
charlie: relationship manager of Hilversum (fixtures in conftest). Celery runs eagerly, inside
the request."""

import io
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context
from openpyxl import Workbook

from accounts.roles import Role
from audit.models import AuditEntry
from relations import services
from relations.imports.files import read_table
from relations.imports.models import ImportJob
from relations.imports.tasks import run_import, validate_import
from relations.models import Candidate, ContactMoment, ContactPerson, Employer, LadderStep
from tests.conftest import PASSWORD, client_for, make_user

ALICE, BOB = "alice@zoetermeer.example", "bob@zoetermeer.example"
CAROL, CHARLIE = "carol@zoetermeer.example", "charlie@hilversum.example"
EMPLOYER_HEADER = ["Bedrijfsnaam", "KvK-nummer", "Sector", "Postcode", "Plaats", "Website",
                   "Eigenaar", "Contactpersoon", "Functie", "E-mailadres", "Eerste contact"]
CANDIDATE_HEADER = ["Voornaam", "Tussenvoegsel", "Achternaam", "E-mail", "Geboortejaar",
                    "Postcode", "Rijbewijs", "Uren per week", "Status", "Startdatum",
                    "Participatieladder", "Klantnummer", "Eigenaar"]


def csv_bytes(rows: list[list], *, delimiter: str = ";", bom: bool = True,
              encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(delimiter.join(str(v) for v in row) for row in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def log_in(municipality, email: str):
    client = client_for(municipality)
    response = client.post("/account/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, "login failed"
    return client


def upload(client, kind: str, name: str, data: bytes):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post("/werkplek/importeren/", {"kind": kind, "file": handle})


def latest_job(municipality) -> ImportJob:
    with tenant_context(municipality):
        return ImportJob.objects.select_related("created_by").latest("pk")


def check(client, municipality, kind: str, name: str, data: bytes) -> ImportJob:
    """Steps 1-3: upload, accept the guessed columns, let the check run."""
    response = upload(client, kind, name, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = latest_job(municipality)
    assert response["Location"] == f"/werkplek/importeren/{job.pk}/kolommen/"
    assert client.get(response["Location"]).status_code == 200
    response = client.post(response["Location"],
                           {name: str(index) for name, index in job.mapping.items()})
    assert response.status_code == 302
    assert response["Location"] == f"/werkplek/importeren/{job.pk}/"
    return latest_job(municipality)


def wizard(client, municipality, kind: str, name: str, data: bytes) -> ImportJob:
    """All four steps; the job must be ready after the check."""
    job = check(client, municipality, kind, name, data)
    assert job.status == ImportJob.Status.READY, job.errors
    return confirm(client, municipality, job)


def confirm(client, municipality, job: ImportJob) -> ImportJob:
    response = client.post(f"/werkplek/importeren/{job.pk}/importeren/")
    assert response.status_code == 302
    with tenant_context(municipality):
        return ImportJob.objects.get(pk=job.pk)


@pytest.fixture
def client(zoetermeer, alice):
    return log_in(zoetermeer, ALICE)


def employer_rows() -> list[list]:
    last_week = timezone.localdate() - timedelta(days=7)
    return [
        EMPLOYER_HEADER,
        ["Bakkerij De Korenschoof", "2731 2152", "Handel", "2711ab", "Zoetermeer",
         "www.korenschoof.example", BOB, "Fatima Amrani", "Eigenaar", "fatima@korenschoof.nl",
         last_week.strftime("%d-%m-%Y")],
        ["Zorggroep Meerzicht", "12345678", "Q", "2712 CD", "Zoetermeer", "", "",
         "Jan de Vries", "HR-adviseur", "", ""],
        # Same KvK number again: one row per contact person goes to the same employer.
        ["Bakkerij De Korenschoof", "27312152", "Handel", "2711 AB", "Zoetermeer",
         "www.korenschoof.example", BOB, "Piet Bakker", "Chef", "", ""],
    ]


def candidate_rows() -> list[list]:
    return [
        CANDIDATE_HEADER,
        ["Samira", "", "Benali", "samira@example.nl", 1990, "2711 ab", "ja", 24, "Actief",
         date(2024, 3, 1), 4, "K-1001", BOB],
        ["Kees", "van der", "Berg", "Kees.Berg@Example.nl", 1975, "", "nee", "", "closed",
         "15-01-2023", "", "", ""],
    ]


def test_a_good_csv_of_employers_is_imported_through_the_wizard(zoetermeer, client, bob):
    job = check(client, zoetermeer, "employers", "werkgevers.csv", csv_bytes(employer_rows()))
    assert set(job.mapping) >= {"name", "kvk_number", "sector", "postcode", "city", "owner",
                                "contact_name", "contact_role", "contact_email",
                                "first_contact_date"}
    page = client.get(f"/werkplek/importeren/{job.pk}/").content.decode()
    assert job.status == ImportJob.Status.READY and job.total_rows == 3, job.errors
    assert "Zorggroep Meerzicht" in page and 'action="/werkplek/importeren/' in page

    job = confirm(client, zoetermeer, job)
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count) == (2, 0)
    assert not job.file  # the spreadsheet is not kept after the import
    with tenant_context(zoetermeer):
        bakery = Employer.objects.get(kvk_number="27312152")
        assert (bakery.sector, bakery.postcode, bakery.owner_id) == ("G", "2711 AB", bob.pk)
        assert bakery.website == "https://www.korenschoof.example"
        assert sorted(bakery.contacts.values_list("name", flat=True)) == [
            "Fatima Amrani", "Piet Bakker"]
        assert "fatima amrani" in bakery.search_text and "piet bakker" in bakery.search_text
        # The first contact date comes from a contact moment, as when it is logged by hand.
        assert bakery.first_contact_date == timezone.localdate() - timedelta(days=7)
        assert bakery.status == Employer.Status.IN_CONTACT
        assert ContactMoment.objects.filter(employer=bakery).count() == 1
        care = Employer.objects.get(kvk_number="12345678")
        assert care.owner.email == ALICE  # no owner given: the person importing
        assert care.first_contact_date is None and care.status == Employer.Status.PROSPECT
        entry = AuditEntry.objects.get(action="import", object_id=str(job.pk))
        assert entry.detail == "2 nieuw, 0 bijgewerkt" and entry.actor.email == ALICE
    page = client.get(f"/werkplek/importeren/{job.pk}/").content.decode()
    assert "2" in page and "utrecht-alert--ok" in page


def test_a_good_xlsx_of_candidates_is_imported_through_the_wizard(zoetermeer, client, bob):
    job = wizard(client, zoetermeer, "candidates", "kandidaten.xlsx",
                 xlsx_bytes(candidate_rows()))
    assert job.status == ImportJob.Status.DONE and job.created_count == 2
    with tenant_context(zoetermeer):
        samira = Candidate.objects.get(client_reference="K-1001")
        assert samira.owner_id == bob.pk and samira.status == Candidate.Status.ACTIVE
        assert samira.programme_start == date(2024, 3, 1) and samira.driving_licence
        assert (samira.postcode, samira.hours_per_week, samira.ladder_rung) == ("2711 AB", 24, 4)
        assert LadderStep.objects.filter(candidate=samira, rung=4).count() == 1
        assert "benali" in samira.search_text and "k-1001" in samira.search_text
        kees = Candidate.objects.get(first_name="Kees")
        assert kees.last_name == "van der Berg" and kees.programme_start == date(2023, 1, 15)
        assert kees.status == Candidate.Status.CLOSED and kees.closed_at is not None
        assert not kees.driving_licence and kees.owner.email == ALICE


def test_a_csv_with_commas_and_without_bom_is_read_too(zoetermeer, client):
    rows = [["name", "kvk_number", "city"], ["Acme BV", "87654321", "Zoetermeer"]]
    job = wizard(client, zoetermeer, "employers", "companies.csv",
                 csv_bytes(rows, delimiter=",", bom=False))
    assert job.status == ImportJob.Status.DONE
    with tenant_context(zoetermeer):
        assert Employer.objects.get(kvk_number="87654321").city == "Zoetermeer"


def _errors(job: ImportJob) -> set[tuple[int, str]]:
    return {(error["row"], error["field"]) for error in job.errors}


def test_bad_employer_rows_get_an_error_each_and_nothing_is_imported(zoetermeer, client, bob):
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d-%m-%Y")
    rows = [EMPLOYER_HEADER,
            ["Goed BV", "11111111", "G", "2711 AB", "Zoetermeer", "", BOB, "", "", "", ""],
            ["Kort BV", "1234", "G", "2711 AB", "Zoetermeer", "", "", "", "", "", ""],
            ["Post BV", "22222222", "G", "12345", "Zoetermeer", "", "", "", "", "", ""],
            ["Mail BV", "33333333", "G", "", "", "", "", "Ans", "", "geen-adres", ""],
            ["Later BV", "44444444", "G", "", "", "", "", "", "", "", tomorrow],
            ["Wie BV", "55555555", "G", "", "", "", "onbekend@elders.example", "", "", "", ""],
            ["Sector BV", "66666666", "Ruimtevaart", "", "", "", "", "", "", "", ""]]
    job = check(client, zoetermeer, "employers", "fouten.csv", csv_bytes(rows))
    assert job.status == ImportJob.Status.INVALID
    assert _errors(job) == {(3, "kvk_number"), (4, "postcode"), (5, "contact_email"),
                            (6, "first_contact_date"), (7, "owner"), (8, "sector")}
    assert job.valid_rows == 1 and job.total_rows == 7
    owner_error = next(e for e in job.errors if e["field"] == "owner")
    assert "onbekend@elders.example" in owner_error["message"]
    assert all(e["label"] and e["message"] for e in job.errors)

    page = client.get(f"/werkplek/importeren/{job.pk}/").content.decode()
    assert "onbekend@elders.example" in page and '<th scope="col"' in page
    # Confirming anyway imports nothing.
    client.post(f"/werkplek/importeren/{job.pk}/importeren/")
    with tenant_context(zoetermeer):
        assert not Employer.objects.exists()
        assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.INVALID


def test_bad_candidate_rows_get_an_error_each_and_nothing_is_imported(zoetermeer, client):
    next_month = timezone.localdate() + timedelta(days=30)
    rows = [CANDIDATE_HEADER,
            ["Goed", "", "Mens", "goed@example.nl", 1990, "", "ja", 20, "", "", "", "", ""],
            ["Toekomst", "", "Mens", "", 1990, "", "ja", 20, "", next_month, "", "", ""],
            ["Mail", "", "Mens", "geen@adres@x", 1990, "", "ja", 20, "", "", "", "", ""],
            ["Post", "", "Mens", "", 1990, "9999 XX9", "ja", 20, "", "", "", "", ""],
            ["Eigen", "", "Mens", "", 1990, "", "ja", 20, "", "", "", "", "x@y.example"],
            ["Jaar", "", "Mens", "", 1800, "", "misschien", "veel", "", "", 9, "", ""],
            ["", "", "", "", "", "", "", "", "", "", "", "K-9", ""]]
    job = check(client, zoetermeer, "candidates", "fouten.xlsx", xlsx_bytes(rows))
    assert job.status == ImportJob.Status.INVALID
    errors = _errors(job)
    assert {(3, "programme_start"), (4, "email"), (5, "postcode"), (6, "owner"),
            (7, "year_of_birth"), (7, "driving_licence"), (7, "hours_per_week"),
            (7, "ladder_rung"), (8, "first_name"), (8, "last_name")} == errors
    with tenant_context(zoetermeer):
        assert not Candidate.objects.exists()


def test_the_rows_are_checked_again_when_importing(zoetermeer, client):
    """What changed after the preview is caught when importing, and nothing is written."""
    rows = [["Naam", "KvK"], ["Eerste BV", "11111111"], ["Tweede BV", "22222222"]]
    job = check(client, zoetermeer, "employers", "a.csv", csv_bytes(rows))
    with tenant_context(zoetermeer):
        ImportJob.objects.filter(pk=job.pk).update(mapping={"name": 0})  # kvk unmapped
    job = confirm(client, zoetermeer, job)
    assert job.status == ImportJob.Status.INVALID
    with tenant_context(zoetermeer):
        assert not Employer.objects.exists()


def test_importing_the_same_employers_again_updates_instead_of_duplicating(zoetermeer, client,
                                                                         bob):
    first = wizard(client, zoetermeer, "employers", "w.csv", csv_bytes(employer_rows()))
    assert first.created_count == 2
    again = wizard(client, zoetermeer, "employers", "w.csv", csv_bytes(employer_rows()))
    assert (again.created_count, again.updated_count) == (0, 0)
    rows = employer_rows()
    rows[2][4] = "Den Haag"  # Zorggroep Meerzicht moved
    rows[2][7] = "Nieuwe Collega"
    changed = wizard(client, zoetermeer, "employers", "w.xlsx", xlsx_bytes(rows))
    assert (changed.created_count, changed.updated_count) == (0, 1)
    with tenant_context(zoetermeer):
        assert Employer.objects.count() == 2
        care = Employer.objects.get(kvk_number="12345678")
        assert care.city == "Den Haag" and care.version == 2
        assert "nieuwe collega" in care.search_text
        assert ContactPerson.objects.filter(employer=care).count() == 2
        assert ContactPerson.objects.count() == 4
        assert ContactMoment.objects.count() == 1  # the first contact is not logged twice


def test_importing_the_same_candidates_again_matches_client_number_and_email(zoetermeer, bob):
    make_user(zoetermeer, Role.COORDINATOR, CAROL)  # sees Samira, who is in Bob's portfolio
    client = log_in(zoetermeer, CAROL)
    wizard(client, zoetermeer, "candidates", "k.xlsx", xlsx_bytes(candidate_rows()))
    rows = candidate_rows()
    rows[1][8] = "geplaatst"  # placed: Dutch label (matched on client number)
    rows[2][3] = "KEES.BERG@example.NL"  # matched on e-mail address, whatever the case
    rows[2][4] = 1976
    job = wizard(client, zoetermeer, "candidates", "k.csv", csv_bytes(rows))
    assert (job.created_count, job.updated_count) == (0, 2), job.errors
    with tenant_context(zoetermeer):
        assert Candidate.objects.count() == 2
        samira = Candidate.objects.get(client_reference="K-1001")
        assert samira.status == Candidate.Status.PLACED and samira.version == 2
        assert LadderStep.objects.filter(candidate=samira).count() == 1  # rung unchanged
        assert Candidate.objects.get(first_name="Kees").year_of_birth == 1976


def test_an_import_cannot_change_a_candidate_of_a_colleagues_portfolio(zoetermeer, client, bob):
    with tenant_context(zoetermeer):
        services.create_candidate(by=bob, first_name="Eva", last_name="Jansen",
                                  client_reference="K-7", owner=bob)
    rows = [["Voornaam", "Achternaam", "Klantnummer"], ["Eva", "de Wit", "K-7"]]
    job = check(client, zoetermeer, "candidates", "k.csv", csv_bytes(rows))
    assert job.status == ImportJob.Status.INVALID
    assert _errors(job) == {(2, "client_reference")}


def test_a_candidate_twice_in_one_file_is_an_error(zoetermeer, client):
    rows = [["Voornaam", "Achternaam", "E-mail"], ["A", "B", "ab@example.nl"],
            ["A", "B", "AB@example.nl"]]
    job = check(client, zoetermeer, "candidates", "k.csv", csv_bytes(rows))
    assert _errors(job) == {(3, "email")}


def test_the_tasks_are_idempotent_and_refuse_the_public_schema(zoetermeer, client, bob):
    job = check(client, zoetermeer, "employers", "w.csv", csv_bytes(employer_rows()))
    with tenant_context(zoetermeer):
        assert run_import.delay(job.pk).get() == ImportJob.Status.DONE
        assert run_import.delay(job.pk).get() == "skipped"
        assert validate_import.delay(job.pk).get() == "skipped"
        assert Employer.objects.count() == 2
    with schema_context("public"), pytest.raises(RuntimeError):
        run_import.delay(job.pk)


def test_when_the_task_cannot_be_handed_over_the_page_says_so(zoetermeer, client, bob,
                                                              monkeypatch):
    """A broker outage parks the task in the outbox (tests/faults/test_redis_down.py); any
    other failure to hand it over is said on the page and the job can be tried again."""
    from relations.imports import views as views_import

    job = check(client, zoetermeer, "employers", "w.csv", csv_bytes(employer_rows()))
    monkeypatch.setattr(views_import.outbox, "send",
                        lambda *args, **kwargs: (_ for _ in ()).throw(RuntimeError("bug")))
    response = client.post(f"/werkplek/importeren/{job.pk}/importeren/", follow=True)
    assert response.status_code == 200 and b"werktop-messages" in response.content
    assert latest_job(zoetermeer).status == ImportJob.Status.READY  # can be tried again


def test_a_job_whose_task_died_can_be_checked_again(zoetermeer, client):
    upload(client, "employers", "w.csv", csv_bytes(employer_rows()))
    job = latest_job(zoetermeer)
    url = f"/werkplek/importeren/{job.pk}/kolommen/"
    with tenant_context(zoetermeer):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
        assert client.get(url).status_code == 302  # busy: no new mapping
        ImportJob.objects.filter(pk=job.pk).update(
            updated_at=timezone.now() - timedelta(hours=2))
    assert client.get(url).status_code == 200
    assert b"import-voortgang-balk" not in client.get(f"/werkplek/importeren/{job.pk}/").content


@pytest.mark.parametrize(("name", "data"), [
    ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
    ("lijst.xlsx", b"Naam;KvK\nAcme;12345678\n"),
    ("lijst.csv", xlsx_bytes([["Naam"], ["Acme"]])),
    ("oud.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
    ("kapot.xlsx", b"PK\x03\x04 not really a zip"),
    ("leeg.csv", b""),
    ("unicode.csv", "Naam\tKvK\r\nAcme\t12345678\r\n".encode("utf-16")),
    ("alleen-kop.csv", b"Naam;KvK\r\n"),
])
def test_a_file_that_is_not_a_usable_csv_or_xlsx_gets_a_message(zoetermeer, client, name, data):
    response = upload(client, "employers", name, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "utrecht-form-field-error-message" in page and 'aria-invalid="true"' in page
    with tenant_context(zoetermeer):
        assert not ImportJob.objects.exists()


def test_excels_sep_line_and_a_bom_are_not_rows():
    table = read_table("x.csv", b"\xef\xbb\xbfsep=,\r\nNaam,KvK\r\n\r\nAcme;BV,12345678\r\n")
    assert table.headers == ["Naam", "KvK"] and table.rows == [(3, ["Acme;BV", "12345678"])]


def test_a_csv_in_another_encoding_gets_the_utf8_message(zoetermeer, client):
    rows = [["Naam", "KvK", "Plaats"], ["Café De Zwaan", "12345678", "Zoetermeer"]]
    response = upload(client, "employers", "latin.csv", csv_bytes(rows, bom=False,
                                                                  encoding="cp1252"))
    assert response.status_code == 200
    assert "UTF-8" in response.content.decode()
    with tenant_context(zoetermeer):
        assert not ImportJob.objects.exists()


def test_a_file_over_10_mb_is_refused(zoetermeer, client):
    data = b"Naam;KvK\r\n" + b"Acme;12345678\r\n" * (11 * 1024 * 1024 // 15)
    response = upload(client, "employers", "groot.csv", data)
    assert response.status_code == 200 and "10 MB" in response.content.decode()


def test_the_upload_needs_a_kind_and_a_file(zoetermeer, client):
    response = client.post("/werkplek/importeren/", {})
    assert response.status_code == 200
    assert response.content.decode().count("utrecht-form-field-error-message") == 2


def test_the_mapping_needs_the_required_columns(zoetermeer, client):
    upload(client, "employers", "w.csv", csv_bytes(employer_rows()))
    job = latest_job(zoetermeer)
    response = client.post(f"/werkplek/importeren/{job.pk}/kolommen/",
                           {"name": "0", "city": "0"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_kvk_number-fout"' in page and 'id="id_city-fout"' in page
    assert latest_job(zoetermeer).status == ImportJob.Status.UPLOADED


def test_a_job_is_visible_to_its_uploader_and_coordinators_only(zoetermeer, hilversum, client,
                                                                bob):
    job = check(client, zoetermeer, "employers", "w.csv", csv_bytes(employer_rows()))
    url = f"/werkplek/importeren/{job.pk}/"
    assert client.get(url).status_code == 200
    assert "w.csv" in client.get("/werkplek/importeren/").content.decode()  # my imports
    make_user(zoetermeer, Role.COORDINATOR, CAROL)
    assert log_in(zoetermeer, CAROL).get(url).status_code == 200
    colleague = log_in(zoetermeer, BOB)
    for path in ("", "kolommen/", "voortgang/"):
        assert colleague.get(url + path).status_code == 404
    assert colleague.post(url + "importeren/").status_code == 404
    make_user(hilversum, Role.RELATIONSHIP_MANAGER, CHARLIE)
    other = log_in(hilversum, CHARLIE)
    assert other.get(url).status_code == 404
    assert other.post(url + "importeren/").status_code == 404
    with tenant_context(zoetermeer):
        assert not Employer.objects.exists()


def test_the_wizard_needs_the_import_permission(zoetermeer):
    make_user(zoetermeer, Role.EDITOR, "editor@zoetermeer.example")
    assert log_in(zoetermeer, "editor@zoetermeer.example").get(
        "/werkplek/importeren/").status_code == 403
    response = client_for(zoetermeer).get("/werkplek/importeren/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_progress_bar_polls_while_busy_and_reloads_when_finished(zoetermeer, client):
    upload(client, "employers", "w.csv", csv_bytes(employer_rows()))
    job = latest_job(zoetermeer)
    with tenant_context(zoetermeer):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING)
        cache.set(job.progress_key, 2, 60)
    page = client.get(f"/werkplek/importeren/{job.pk}/").content.decode()
    assert '<progress id="import-voortgang-balk" max="3" value="2"' in page
    assert 'hx-trigger="every 1s"' in page and f'href="/werkplek/importeren/{job.pk}/"' in page
    fragment = client.get(f"/werkplek/importeren/{job.pk}/voortgang/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b"<progress" in fragment.content
    assert b"<html" not in fragment.content
    with tenant_context(zoetermeer):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.READY)
    finished = client.get(f"/werkplek/importeren/{job.pk}/voortgang/", HTTP_HX_REQUEST="true")
    assert finished["HX-Redirect"] == f"/werkplek/importeren/{job.pk}/"
    without_js = client.get(f"/werkplek/importeren/{job.pk}/voortgang/")
    assert without_js.status_code == 302
