"""The report's content for a known data set (see conftest.py): counts in the week vs the
period to date, the XLSX read back with openpyxl, the PDF."""

import io

import pytest
from django.utils import translation
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from reports.content import build_content
from reports.rendering import render_pdf, render_xlsx


@pytest.fixture
def content(zoetermeer, known):
    with tenant_context(zoetermeer), translation.override("nl"):
        return build_content(known.week_start)


def nl(msgid: str) -> str:
    """The Dutch text of a msgid (the msgid itself until its translation is compiled)."""
    with translation.override("nl"):
        return translation.gettext(msgid)


def figures(items) -> dict[str, tuple[int, int | None]]:
    return {figure.label: (figure.week, figure.period) for figure in items}


def test_counts_in_the_week_and_in_the_period_to_date(content, known):
    assert (content.week_start, content.week_end, content.as_of) == (
        known.week_start, known.week_end, known.week_end)
    assert (content.period_start, content.period_end) == (known.period_start, known.period_end)
    assert figures(content.activity) == {
        nl("New employers (first contact)"): (1, 2),
        nl("Meetups held"): (1, 2),
    }
    assert figures(content.placements) == {
        nl("regular job"): (1, 2), nl("work-experience place"): (1, 1),
        nl("trial placement"): (1, 1)}


def test_targets_and_pace_count_up_to_the_end_of_the_week(content):
    targets = {status.key: status for status in content.targets}
    assert (targets["employer_contacts"].count, targets["employer_contacts"].target) == (2, 70)
    assert (targets["regular_jobs"].count, targets["regular_jobs"].target) == (2, 40)
    assert (targets["work_experience_places"].count,
            targets["work_experience_places"].target) == (1, 20)
    # Five weeks into a period of 359 days: 70 * 35 // 359 = 6 expected; 2 is behind pace.
    assert targets["employer_contacts"].expected == 6
    assert targets["employer_contacts"].behind


def test_zrm_progress_share(content):
    assert (content.zrm.assessed, content.zrm.improved, content.zrm.percentage) == (2, 1, 50)


def test_open_signals_are_counted_per_kind_when_the_signals_app_is_there(content):
    # None before the signals app lands; then every kind with its (here zero) open count.
    assert content.signals is None or content.signals_total == 0


def test_a_week_before_the_period_counts_nothing_in_the_period(zoetermeer, known):
    from datetime import timedelta

    with tenant_context(zoetermeer), translation.override("nl"):
        early = build_content(known.period_start - timedelta(days=70))
    assert all(figure.period in (0, None) for figure in early.activity + early.placements)


def test_the_spreadsheet_has_four_sheets_with_the_counts(content, known):
    with translation.override("nl"):
        workbook = load_workbook(io.BytesIO(render_xlsx(content)))
    assert workbook.sheetnames == [nl("Summary"), nl("Targets"), nl("Placements by kind"),
                                   nl("Signals")]
    summary = {row[0]: row[1:] for row in workbook.worksheets[0].iter_rows(values_only=True)
               if row and row[0]}
    assert summary[nl("Week")][0].date() == known.week_start
    assert summary[nl("Week")][1].date() == known.week_end
    assert summary[nl("Project period")][0].date() == known.period_start
    assert summary[nl("New employers (first contact)")][:2] == (1, 2)
    assert summary[nl("Meetups held")][:2] == (1, 2)
    assert summary[nl("Placements: %(kind)s") % {"kind": nl("regular job")}][:2] == (1, 2)
    assert summary[nl("Candidates with a second ZRM assessment")][0] == 2
    assert summary[nl("Improved on at least one domain")][:2] == (1, 0.5)
    targets = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert targets[1][:6] == (nl("new employer contacts"), 2, 70, 2 / 70, 6, 2 * 359 // 35)
    placements = list(workbook.worksheets[2].iter_rows(values_only=True))
    assert placements[1:] == [(nl("regular job"), 1, 2), (nl("work-experience place"), 1, 1),
                              (nl("trial placement"), 1, 1)]
    signals = list(workbook.worksheets[3].iter_rows(values_only=True))
    assert len(signals) == 1 + len(content.signals or [None])


def test_the_pdf_is_a_pdf_without_names(content):
    with translation.override("nl"):
        pdf = render_pdf(content)
    assert pdf.startswith(b"%PDF")


def test_the_report_names_no_one(content):
    from django.template.loader import render_to_string

    with translation.override("nl"):
        html = render_to_string("reports/report_pdf.html", {"report": content})
    for name in ("Kandidaat0", "Beter", "Samira", "Bouzid", "Werkgever 1", "alice"):
        assert name not in html
    assert nl("Meetups held") in html
