"""Relationship-management benchmark. Prints figures for this machine; asserts only that the
pages answer and that a re-run of an import creates no duplicates.

    .venv/bin/python tests/benchmarks/bench_relations.py [--keep] [--reuse] [--no-import]

One municipality with 5,000 employers (one contact person each) and 20,000 candidates, owned
by 8 relationship managers and a coordinator, 10% of the candidates shared with a colleague.
Then, for the coordinator (sees every candidate) and a relationship manager (own + shared):

1. the employer and the candidate list: first page, a search, a filter, a sorted later page.
   Median and p95 (nearest rank) of N timed requests after warm-ups, through the whole
   Django stack (django.test.Client: middleware, session, permissions, template), each on
   a fresh database connection as production has it (CONN_MAX_AGE = 0); the number of
   queries (not counting django-tenants' `SET search_path`) and their database time.
2. the import of a 5,000-row XLSX of employers, then of candidates: validation + import, end
   to end; then the same files again (updates only: the counts must not change).

Targets: list pages p95 < 150 ms with at most 12 queries; a 5,000-row import < 60 s.
A page that misses its target gets the EXPLAIN ANALYZE of its slowest query printed.

Runs against its own throw-away database (werktop_bench, or $WERKTOP_BENCH_DB) on the
project-local PostgreSQL, dropped at the end. --keep leaves it behind (to EXPLAIN by hand);
--reuse starts from such a left-behind database instead of generating the data again.
"""

import argparse
import io
import math
import os
import random
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[len(sys.path):] = [str(REPO), str(REPO / "platform")]
os.environ["DJANGO_SETTINGS_MODULE"] = "werktop.settings.test"
PG_PORT = os.environ.get("WERKTOP_PG_PORT", "54329")
BASE_URL = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:{PG_PORT}/werktop")
BENCH_DB = os.environ.get("WERKTOP_BENCH_DB", "werktop_bench")
os.environ["DATABASE_URL"] = BASE_URL.rsplit("/", 1)[0] + "/" + BENCH_DB

from tests.benchmarks import bench_db  # noqa: E402
from tests.benchmarks.relations_data import (  # noqa: E402
    BUSINESSES,
    CANDIDATES,
    EMPLOYERS,
    FIRST_NAMES,
    LANGUAGES,
    LAST_NAMES,
    NAME_WORDS,
    TALENTS,
    TOWNS,
    ascii_part,
    generate,
    postcode,
)

CBS_CODE = "GM0637"  # Zoetermeer: postcodes 27xx
MANAGERS = 8
IMPORT_ROWS = 5_000
WARM_UPS = 3
RUNS = 30
TARGET_P95_MS = 150
TARGET_QUERIES = 12
TARGET_IMPORT_S = 60
PASSWORD = "correct-horse-battery"  # noqa: S105 - a throw-away benchmark account
# The import's rows are recognisable, so --reuse can take them out again.
IMPORT_KVK_START = 40_000_000
IMPORT_REFERENCE = "IMP-"



# --- database and municipality -------------------------------------------------------------

def recreate_database() -> None:
    bench_db.recreate_database(BASE_URL, BENCH_DB)


def drop_database() -> None:
    bench_db.drop_database(BASE_URL, BENCH_DB)


def database_exists() -> bool:
    return bench_db.database_exists(BASE_URL, BENCH_DB)


def existing_municipality():
    """The municipality a --keep run left behind, with its generated data; else None."""
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tenants.models import Municipality

    if "tenants_municipality" not in connection.introspection.table_names():
        return None
    # The code may have moved on since the --keep run: bring every schema up to date.
    call_command("migrate_schemas", interactive=False, verbosity=0)
    municipality = Municipality.objects.filter(cbs_code=CBS_CODE).first()
    if municipality is None:
        return None
    with tenant_context(municipality):
        from relations.models import Candidate, Employer

        generated = (Employer.objects.filter(kvk_number__lt=str(IMPORT_KVK_START)).count(),
                     Candidate.objects.exclude(client_reference__startswith=IMPORT_REFERENCE)
                     .count())
    return municipality if generated == (EMPLOYERS, CANDIDATES) else None


def provision():
    from django.core.management import call_command

    from tenants.services import (
        ensure_national_site,
        ensure_template_schema,
        provision_municipality,
    )

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_national_site()
    ensure_template_schema()
    return provision_municipality(CBS_CODE)


# --- generated data ------------------------------------------------------------------------

def make_people(municipality):
    """The coordinator and 8 relationship managers (the first is the one measured)."""
    from django_tenants.utils import tenant_context

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import create_user_with_role

    people = [("coordinator", Role.COORDINATOR, "Carla", "Coördinator")] + [
        (f"rm{n}", Role.RELATIONSHIP_MANAGER, FIRST_NAMES[n * 7 % len(FIRST_NAMES)],
         LAST_NAMES[n * 5 % len(LAST_NAMES)]) for n in range(1, MANAGERS + 1)]
    users = []
    with tenant_context(municipality):
        for local, role, first, last in people:
            email = f"{local}@bench.example"
            user = User.objects.filter(email=email).first() or create_user_with_role(
                email, PASSWORD, role, first_name=first, last_name=last)
            users.append(user)
    return users[0], users[1:]


def analyze(municipality) -> None:
    from django.db import connection
    from django_tenants.utils import tenant_context

    with tenant_context(municipality), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE relations_employer, relations_contactperson, "
                       "relations_candidate, relations_candidate_shared_with")


def remove_imported(municipality) -> None:
    """What an earlier (--keep) run imported, so --reuse measures the same data again."""
    from django_tenants.utils import tenant_context

    from relations.models import Candidate, Employer, ImportJob

    with tenant_context(municipality):
        Employer.objects.filter(kvk_number__gte=str(IMPORT_KVK_START)).delete()
        Candidate.objects.filter(client_reference__startswith=IMPORT_REFERENCE).delete()
        ImportJob.objects.all().delete()


# --- list pages ----------------------------------------------------------------------------

SCENARIOS = [
    ("employers", "first page", "/werkplek/werkgevers/"),
    ("employers", "search q=bakker", "/werkplek/werkgevers/?q=bakker"),
    ("employers", "filter sector=Q, status=in_contact",
     "/werkplek/werkgevers/?sector=Q&status=in_contact"),
    ("employers", "sort -updated, page 100", "/werkplek/werkgevers/?sort=-updated&pagina=100"),
    ("candidates", "first page", "/werkplek/kandidaten/"),
    ("candidates", "search q=jan", "/werkplek/kandidaten/?q=jan"),
    ("candidates", "search q=jan bakker", "/werkplek/kandidaten/?q=jan+bakker"),
    ("candidates", "filter status=active, day=ma",
     "/werkplek/kandidaten/?status=active&day=ma"),
    ("candidates", "filter sector=Q, min_hours=24, postcode=27",
     "/werkplek/kandidaten/?sector=Q&min_hours=24&postcode=27"),
    ("candidates", "sort -programme_start, page 50",
     "/werkplek/kandidaten/?sort=-programme_start&pagina=50"),
]
FOUND = re.compile(r'id="resultaten"[^>]*>\s*<p class="utrecht-paragraph">\s*([\d.,]+)')


def nearest_rank(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def logged_in_client(municipality, user):
    from django.test import Client
    from django_tenants.utils import tenant_context

    client = Client(HTTP_HOST=municipality.get_primary_domain().domain)
    with tenant_context(municipality):  # sessions live in the municipality's schema
        client.force_login(user)
    return client


def measure_page(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        return response

    executed = []  # (sql, params, seconds): finer than the debug log's milliseconds

    def timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if not sql.startswith("SET search_path"):
                executed.append((sql, params, time.perf_counter() - start))

    for _ in range(WARM_UPS):
        get()
    connection.close()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        response = get()
    queries = [q for q in captured.captured_queries
               if not q["sql"].startswith("SET search_path")]
    found = FOUND.search(response.content.decode())
    times = []
    for _ in range(RUNS):
        connection.close()  # CONN_MAX_AGE = 0: every request connects
        start = time.perf_counter()
        get()
        times.append((time.perf_counter() - start) * 1000)
    slowest = max(executed, key=lambda q: q[2])
    return {
        "median": statistics.median(times), "p95": nearest_rank(times, 0.95),
        "queries": len(queries), "sql_ms": sum(q[2] for q in executed) * 1000,
        "found": found[1] if found else "?", "slowest": slowest,
    }


def measure_lists(municipality, coordinator, manager) -> list[dict]:
    results = []
    for who, user in (("coordinator", coordinator), ("relationship manager", manager)):
        client = logged_in_client(municipality, user)
        for kind, label, url in SCENARIOS:
            figures = measure_page(client, url)
            figures.update(who=who, kind=kind, label=label, url=url)
            figures["met"] = (figures["p95"] < TARGET_P95_MS
                              and figures["queries"] <= TARGET_QUERIES)
            results.append(figures)
            print(f"  {who:20} {kind:10} {label:42} median {figures['median']:6.1f} ms  "
                  f"p95 {figures['p95']:6.1f} ms  {figures['queries']:2} queries  "
                  f"({figures['found']} found)", flush=True)
    return results


def explain(municipality, sql: str, params) -> str:
    from django.db import connection
    from django_tenants.utils import tenant_context

    with tenant_context(municipality), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


# --- import --------------------------------------------------------------------------------

EMPLOYER_HEADERS = ["Naam", "KvK-nummer", "Sector", "Grootte", "Adres", "Postcode", "Plaats",
                    "Website", "Status", "Relatiemanager", "Eerste contact", "Contactpersoon",
                    "Functie", "E-mailadres", "Telefoon"]
CANDIDATE_HEADERS = ["Voornaam", "Tussenvoegsel", "Achternaam", "E-mailadres", "Telefoon",
                     "Geboortejaar", "Postcode", "Talen", "Rijbewijs", "Uren per week",
                     "Reisafstand (km)", "Talenten", "Interesses", "Status", "Startdatum",
                     "Participatieladder", "Klantnummer", "Relatiemanager"]


def xlsx(headers: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Blad1")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def employer_rows(emails: list[str]) -> list[list]:
    rng = random.Random(40)
    rows = []
    for index in range(IMPORT_ROWS):
        business, sector = rng.choice(BUSINESSES)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        rows.append([
            f"{business} {rng.choice(NAME_WORDS)} {index}", IMPORT_KVK_START + index, sector,
            rng.choice(["micro", "small", "medium", "large"]),
            f"{rng.choice(NAME_WORDS)}straat {rng.randint(1, 200)}", postcode(rng),
            rng.choice(TOWNS), f"www.bedrijf{index}.example.nl",
            rng.choice(["prospect", "in_contact", "active_partner", "dormant"]),
            rng.choice(emails),
            date(2025, 1, 1) + timedelta(days=rng.randint(0, 300)) if rng.random() < 0.5
            else None,
            f"{first} {last}", rng.choice(["eigenaar", "HR-adviseur", "bedrijfsleider"]),
            f"{ascii_part(first)}.{index}@bedrijf{index}.example.nl", "079-1234567"])
    return rows


def candidate_rows(emails: list[str]) -> list[list]:
    rng = random.Random(41)
    rows = []
    for index in range(IMPORT_ROWS):
        first = rng.choice(FIRST_NAMES)
        *prefix, last = rng.choice(LAST_NAMES).split(" ")
        rows.append([
            first, " ".join(prefix), last,
            f"{ascii_part(first)}.{ascii_part(last)}.{index}@import.example",
            f"06-{rng.randint(10_000_000, 99_999_999)}", rng.randint(1962, 2006),
            postcode(rng), rng.choice(LANGUAGES), rng.choice(["ja", "nee"]),
            rng.choice(range(8, 41, 4)), rng.choice([5, 10, 25]), rng.choice(TALENTS),
            "fietsen, koken", rng.choice(["intake", "active", "placed", "paused"]),
            f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(2019, 2025)}",
            rng.randint(1, 6), f"{IMPORT_REFERENCE}{index:05d}", rng.choice(emails)])
    return rows


def run_import(municipality, user, kind: str, filename: str, data: bytes) -> dict:
    """What the wizard does, timed: upload (read + store with the guessed mapping), confirm
    the mapping (the check runs in the `relations.validate_import` task), import (the
    `relations.run_import` task). Tasks run eagerly (test settings), in this process."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tenants.utils import tenant_context

    from relations.imports import services as imports
    from relations.imports.fields import MODELS
    from relations.imports.models import ImportJob
    from relations.imports.tasks import run_import as run_task
    from relations.imports.tasks import validate_import

    model = MODELS[kind]
    with tenant_context(municipality):
        before = model.objects.count()
        start = time.perf_counter()
        uploaded = SimpleUploadedFile(filename, data)
        data, table = imports.read_upload(uploaded)
        job = imports.create_job(user=user, kind=kind, filename=filename, data=data,
                                 table=table, language="nl")
        unmapped = [h for i, h in enumerate(table.headers) if i not in job.mapping.values()]
        assert not unmapped, f"columns the import did not recognise: {unmapped}"
        imports.set_mapping(job, job.mapping)
        uploaded_at = time.perf_counter()
        validated = validate_import.delay(job.pk).get()
        validated_at = time.perf_counter()
        if validated != ImportJob.Status.READY:
            job.refresh_from_db()
            raise AssertionError(f"{kind}: {validated}, errors: {job.errors[:5]}")
        status = run_task.delay(job.pk).get()
        done_at = time.perf_counter()
        job.refresh_from_db()
        assert status == ImportJob.Status.DONE, f"{kind}: {status}, errors: {job.errors[:5]}"
        after = model.objects.count()
    assert after - before == job.created_count, (before, after, job.created_count)
    return {"upload": uploaded_at - start, "validate": validated_at - uploaded_at,
            "import": done_at - validated_at, "total": done_at - start,
            "created": job.created_count, "updated": job.updated_count, "count": after}


# --- report --------------------------------------------------------------------------------

def report(lists: list[dict], imports: list[dict], setup_s: float, total_s: float) -> None:
    print()
    print(f"Machine: {os.cpu_count()} cores; PostgreSQL at {BASE_URL.rsplit('/', 1)[0]}; "
          f"{EMPLOYERS:,} employers, {CANDIDATES:,} candidates, {MANAGERS} relationship "
          f"managers; N={RUNS} after {WARM_UPS} warm-ups; fresh connection per request; "
          f"load average at the end {os.getloadavg()[0]:.1f} (other work on the machine "
          f"shows in the p95)")
    print()
    print(f"| user | list | request | found | median ms | p95 ms | queries | SQL ms "
          f"| target (p95 < {TARGET_P95_MS} ms, ≤ {TARGET_QUERIES} queries) |")
    print("|---|---|---|---:|---:|---:|---:|---:|---|")
    for r in lists:
        print(f"| {r['who']} | {r['kind']} | {r['label']} | {r['found']} | {r['median']:.1f} "
              f"| {r['p95']:.1f} | {r['queries']} | {r['sql_ms']:.1f} "
              f"| {'met' if r['met'] else '**missed**'} |")
    if imports:
        print()
        print(f"| import ({IMPORT_ROWS:,} rows, XLSX) | upload s | check s | import s "
              f"| total s | new | updated | target (< {TARGET_IMPORT_S} s) |")
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for r in imports:
            print(f"| {r['label']} | {r['upload']:.1f} | {r['validate']:.1f} | {r['import']:.1f} "
                  f"| {r['total']:.1f} "
                  f"| {r['created']} | {r['updated']} "
                  f"| {'met' if r['total'] < TARGET_IMPORT_S else '**missed**'} |")
    print()
    print(f"Setup (database, template, municipality, data): {setup_s:.0f} s; "
          f"whole run: {total_s:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true",
                        help=f"leave the {BENCH_DB} database behind")
    parser.add_argument("--reuse", action="store_true",
                        help="start from the database a --keep run left behind")
    parser.add_argument("--no-import", action="store_true", help="only the list pages")
    args = parser.parse_args()
    started = time.perf_counter()
    reuse = args.reuse and database_exists()
    if not reuse:
        recreate_database()
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)

    municipality = existing_municipality() if reuse else None
    if municipality is None:
        if reuse:
            print("Nothing to reuse: starting from an empty database.", flush=True)
            from django.db import connections

            connections.close_all()
            recreate_database()
        print("Setting up: public schema, template, municipality...", flush=True)
        municipality = provision()
        coordinator, managers = make_people(municipality)
        print(f"Generating {EMPLOYERS:,} employers and {CANDIDATES:,} candidates...", flush=True)
        generate(municipality, coordinator, managers)
    else:
        print("Reusing the municipality and data of an earlier --keep run.", flush=True)
        coordinator, managers = make_people(municipality)
        remove_imported(municipality)
    analyze(municipality)
    setup_s = time.perf_counter() - started

    print("Measuring the list pages...", flush=True)
    lists = measure_lists(municipality, coordinator, managers[0])
    imports = []
    if not args.no_import:
        print(f"Importing {IMPORT_ROWS:,}-row XLSX files...", flush=True)
        imports = measure_imports(municipality, coordinator, managers)

    total_s = time.perf_counter() - started
    report(lists, imports, setup_s, total_s)
    for r in lists:
        if not r["met"]:
            sql, params, seconds = r["slowest"]
            print(f"\nEXPLAIN ANALYZE of the slowest query ({seconds * 1000:.1f} ms) of "
                  f"{r['who']} {r['url']}:\n{sql}\n{params}\n"
                  f"{explain(municipality, sql, params)}")

    from django.db import connections

    connections.close_all()
    if not args.keep:
        drop_database()  # leave nothing large behind


def measure_imports(municipality, coordinator, managers) -> list[dict]:
    """Employers first, then candidates; each file twice (the second time nothing is new).
    Uploaded by the coordinator: a relationship manager may not update, through an import,
    candidates of a colleague's portfolio, which the rows of this file are."""
    emails = [user.email for user in (coordinator, *managers)]
    files = [("employers", "werkgevers.xlsx", xlsx(EMPLOYER_HEADERS, employer_rows(emails))),
             ("candidates", "kandidaten.xlsx", xlsx(CANDIDATE_HEADERS, candidate_rows(emails)))]
    results = []
    for kind, filename, data in files:
        for attempt in ("first run", "same file again"):
            figures = run_import(municipality, coordinator, kind, filename, data)
            figures["label"] = f"{kind}, {attempt}"
            if attempt == "first run":
                assert figures["created"] == IMPORT_ROWS, figures
                count = figures["count"]
            else:
                assert figures["created"] == 0 and figures["count"] == count, figures
            results.append(figures)
            print(f"  {figures['label']:28} upload {figures['upload']:5.1f} s  check "
                  f"{figures['validate']:5.1f} s  import {figures['import']:5.1f} s  "
                  f"total {figures['total']:5.1f} s  ({figures['created']} new, "
                  f"{figures['updated']} updated; {figures['count']:,} in all)", flush=True)
    return results


if __name__ == "__main__":
    main()
