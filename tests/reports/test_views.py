"""The workspace pages: list, "make it now", the progress fragment and the downloads (only
for workspace users of the same municipality; never under /media/)."""

import io

import pytest
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from accounts.roles import Role
from reports import services
from reports.models import Report
from tests.conftest import client_for, make_user
from tests.relations.conftest import logged_in

LIST = "/werkplek/rapportages/"


@pytest.fixture
def done_report(zoetermeer, carol, django_capture_on_commit_callbacks):
    with tenant_context(zoetermeer):
        with django_capture_on_commit_callbacks(execute=True):
            report = services.request_report(by=carol)
        report.refresh_from_db()
    assert report.status == Report.Status.DONE
    return report


def test_the_list_offers_the_downloads_and_the_button(zoetermeer, alice, done_report):
    response = logged_in(zoetermeer, alice).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{LIST}{done_report.pk}/weekrapportage.pdf" in html
    assert f"{LIST}{done_report.pk}/weekrapportage.xlsx" in html
    assert 'action="/werkplek/rapportages/maken/"' in html


def test_make_now_generates_a_report_for_the_requester(
        zoetermeer, alice, django_capture_on_commit_callbacks):
    client = logged_in(zoetermeer, alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{LIST}maken/")
    assert response.status_code == 302
    with tenant_context(zoetermeer):
        report = Report.objects.get()
    assert (report.requested_by_id, report.status) == (alice.pk, Report.Status.DONE)


def test_the_status_fragment_polls_while_busy_and_stops_when_done(zoetermeer, alice,
                                                                   done_report):
    client = logged_in(zoetermeer, alice)
    with tenant_context(zoetermeer):
        busy = Report.objects.create(week_start=done_report.week_start, requested_by=alice,
                                     status=Report.Status.RUNNING, progress=40)
    response = client.get(f"{LIST}{busy.pk}/status/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'<progress id="rapportage-%d-balk" max="100" value="40"' % busy.pk in response.content
    page = client.get(LIST).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'aria-live="polite"' in page
    response = client.get(f"{LIST}{done_report.pk}/status/", HTTP_HX_REQUEST="true")
    assert response.status_code == 286  # htmx: stop polling
    assert b"weekrapportage.pdf" in response.content
    assert client.get(f"{LIST}{busy.pk}/status/").status_code == 302  # without htmx


def test_downloads(zoetermeer, alice, done_report):
    client = logged_in(zoetermeer, alice)
    pdf = client.get(f"{LIST}{done_report.pk}/weekrapportage.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"].startswith("attachment")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(f"{LIST}{done_report.pk}/weekrapportage.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert len(workbook.sheetnames) == 4


def test_another_municipality_gets_a_404(hilversum, charlie, done_report):
    client = logged_in(hilversum, charlie)
    for url in (f"{LIST}{done_report.pk}/weekrapportage.pdf",
                f"{LIST}{done_report.pk}/weekrapportage.xlsx", f"{LIST}{done_report.pk}/status/"):
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404


def test_the_files_are_not_served_under_media(zoetermeer, alice, done_report):
    client = logged_in(zoetermeer, alice)
    for name in (done_report.pdf.name, done_report.xlsx.name):
        assert client.get(f"/media/{zoetermeer.schema_name}/{name}").status_code == 404
        assert client.get(f"/media/{zoetermeer.schema_name}/private/{name}").status_code == 404
    with tenant_context(zoetermeer), pytest.raises(NotImplementedError):
        done_report.pdf.url  # noqa: B018 - private files have no public address


def test_only_workspace_users(zoetermeer, done_report):
    url = f"{LIST}{done_report.pk}/weekrapportage.pdf"
    assert client_for(zoetermeer).get(url).status_code == 302  # to the login page
    employer = make_user(zoetermeer, Role.EMPLOYER, "werkgever@example.org")
    assert logged_in(zoetermeer, employer).get(url).status_code == 403
    assert logged_in(zoetermeer, employer).get(LIST).status_code == 403
