"""Friday-report benchmark. Prints the figure for this machine; asserts only that the report
is made (PDF and XLSX).

    DJANGO_SETTINGS_MODULE=werktop.settings.test \\
        .venv/bin/python tests/benchmarks/bench_friday_report.py [--keep] [--runs 3]

One municipality with 5,000 employers and 20,000 candidates (the relationship-management
benchmark's generated data, `relations_data.generate`), plus 1,500 placements over two years,
120 meetups (most held), ZRM assessments for 6,000 candidates (two or three each, 13 scores
per assessment) and 2,000 signals when the signals app is there. Then `generate_report` of a
new on-demand report (count, PDF, XLSX, store), timed N times: the median is the figure.
Target: under 10 s.

Runs against its own throw-away database (werktop_bench_reports, or $WERKTOP_BENCH_DB) on the
project-local PostgreSQL, dropped at the end unless --keep.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[len(sys.path):] = [str(REPO), str(REPO / "platform")]
os.environ["DJANGO_SETTINGS_MODULE"] = "werktop.settings.test"
PG_PORT = os.environ.get("WERKTOP_PG_PORT", "54329")
BASE_URL = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:{PG_PORT}/werktop")
BENCH_DB = os.environ.get("WERKTOP_BENCH_DB", "werktop_bench_reports")
os.environ["DATABASE_URL"] = BASE_URL.rsplit("/", 1)[0] + "/" + BENCH_DB

from tests.benchmarks import bench_db  # noqa: E402

TARGET_S = 10.0
PLACEMENTS = 1_500
MEETUPS = 120
ZRM_CANDIDATES = 6_000
SIGNALS = 2_000
COMMAND = ("DJANGO_SETTINGS_MODULE=werktop.settings.test "
           ".venv/bin/python tests/benchmarks/bench_friday_report.py")


def activity(municipality, coordinator, managers) -> None:
    """Placements, meetups, ZRM assessments and signals, bulk-created (fixture data)."""
    from django.db import transaction
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from matching_events.models import Meetup, Placement
    from relations.models import Candidate, Employer, ZrmAssessment, ZrmScore
    from targets.services import set_project_period

    rng = random.Random(2026)
    today = timezone.localdate()
    now = timezone.now()
    with tenant_context(municipality), transaction.atomic():
        set_project_period(by=coordinator, start=today - timedelta(days=300),
                           end=today + timedelta(days=65), target_employer_contacts=70,
                           target_regular_jobs=40, target_work_experience_places=20)
        candidates = list(Candidate.objects.values_list("pk", flat=True))
        employers = list(Employer.objects.values_list("pk", flat=True))
        kinds = ["job", "work_experience", "trial"]
        Placement.objects.bulk_create([
            Placement(candidate_id=rng.choice(candidates), employer_id=rng.choice(employers),
                      kind=rng.choices(kinds, [5, 3, 2])[0],
                      start_date=today - timedelta(days=rng.randint(-30, 700)),
                      status="started", recorded_by=coordinator)
            for _ in range(PLACEMENTS)], batch_size=1000)
        Meetup.objects.bulk_create([
            Meetup(title=f"Prettig gesprek {n}", address="Markt 1, Zoetermeer",
                   organiser=rng.choice(managers),
                   starts_at=now - timedelta(days=rng.randint(-60, 700), hours=rng.randint(0, 8)),
                   status="held" if rng.random() < 0.8 else "published")
            for n in range(MEETUPS)], batch_size=500)
        assessments = []
        for pk in rng.sample(candidates, ZRM_CANDIDATES):
            first = today - timedelta(days=rng.randint(200, 700))
            for step in range(rng.choice([2, 2, 3])):
                assessments.append(ZrmAssessment(candidate_id=pk, assessed_by=coordinator,
                                                 assessed_on=first + timedelta(days=90 * step)))
        ZrmAssessment.objects.bulk_create(assessments, batch_size=2000)
        ZrmScore.objects.bulk_create([
            ZrmScore(assessment_id=a.pk, domain=domain, score=rng.randint(1, 5))
            for a in assessments for domain in range(1, 14)], batch_size=5000)
        signals(rng, candidates, managers)


def signals(rng: random.Random, candidates: list[int], managers: list) -> None:
    try:
        from alerts.models import Signal
    except ImportError:
        print("(no signals app yet: no signals generated)")
        return
    kinds = Signal.Kind.values
    Signal.objects.bulk_create([
        Signal(kind=rng.choice(kinds), key=f"bench:{n}", owner=rng.choice(managers),
               candidate_id=rng.choice(candidates))
        for n in range(SIGNALS)], batch_size=1000)


def measure(municipality, coordinator, runs: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from reports import services
    from reports.content import monday_of
    from reports.models import Report

    times, queries = [], 0
    with tenant_context(municipality):
        for _ in range(runs):
            report = Report.objects.create(week_start=monday_of(timezone.localdate()),
                                           requested_by=coordinator)
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                report = services.generate_report(report.pk)
                times.append(time.perf_counter() - start)
            queries = len([q for q in captured.captured_queries
                           if not q["sql"].startswith("SET search_path")])
            assert report.status == Report.Status.DONE, report.status
            with report.pdf.open("rb") as pdf:
                assert pdf.read(4) == b"%PDF"
    return times, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help=f"leave {BENCH_DB} behind")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    bench_db.recreate_database(BASE_URL, BENCH_DB)
    import tempfile

    import django

    django.setup()
    import logging

    from django.conf import settings

    logging.disable(logging.WARNING)
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-reports-"))

    from tests.benchmarks.bench_relations import analyze, make_people, provision
    from tests.benchmarks.relations_data import CANDIDATES, EMPLOYERS, generate

    print("Setting up: public schema, template, municipality...", flush=True)
    municipality = provision()
    coordinator, managers = make_people(municipality)
    print(f"Generating {EMPLOYERS:,} employers, {CANDIDATES:,} candidates, {PLACEMENTS:,} "
          f"placements, {MEETUPS} meetups, ZRM for {ZRM_CANDIDATES:,} candidates...", flush=True)
    generate(municipality, coordinator, managers)
    activity(municipality, coordinator, managers)
    analyze(municipality)
    setup_s = time.perf_counter() - started

    print(f"Timing generate_report, {args.runs} runs...", flush=True)
    times, queries = measure(municipality, coordinator, args.runs)
    median = statistics.median(times)
    print()
    print(f"Friday report, one municipality with {CANDIDATES:,} candidates")
    print(f"  runs (s): {', '.join(f'{t:.2f}' for t in times)}")
    print(f"  median: {median:.2f} s   target < {TARGET_S:.0f} s   "
          f"{'met' if median < TARGET_S else 'MISSED'}")
    print(f"  queries per report (without SET search_path): {queries}")
    print(f"  set-up {setup_s:.0f} s; command: {COMMAND}")

    from django.db import connections

    connections.close_all()
    if not args.keep:
        bench_db.drop_database(BASE_URL, BENCH_DB)


if __name__ == "__main__":
    main()
