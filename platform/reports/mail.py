"""The Friday report's e-mail: Dutch text and HTML, both files attached, counts only (the
files and the mail never name a candidate). One message per coordinator, so nobody sees the
others' addresses. Logs name the report, never people or addresses."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from core.site import site_url
from tenants.current import current_municipality_name

from .models import Report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _site_url() -> str:
    try:
        return site_url()
    except RuntimeError:  # a schema without a Wagtail site: relative link only
        return ""


def send_report(report: Report, recipients: list[str]) -> None:

    municipality = current_municipality_name()
    week = report.week_start.isocalendar().week
    subject = _("Weekly report %(municipality)s, week %(week)s") % {
        "municipality": municipality, "week": week}
    context = {"subject": subject, "municipality": municipality, "report": report,
               "week": week, "url": _site_url() + reverse("reports:report_list")}
    text = render_to_string("reports/mail/report.txt", context)
    html = render_to_string("reports/mail/report.html", context)
    attachments = []
    for field, extension, mimetype in ((report.pdf, "pdf", "application/pdf"),
                                       (report.xlsx, "xlsx", XLSX_TYPE)):
        with field.open("rb") as handle:
            attachments.append((report.filename(extension), handle.read(), mimetype))
    with get_connection() as connection_:
        for address in recipients:
            message = EmailMultiAlternatives(
                subject, text, settings.DEFAULT_FROM_EMAIL, [address],
                connection=connection_)
            message.attach_alternative(html, "text/html")
            for name, data, mimetype in attachments:
                message.attach(name, data, mimetype)
            message.send()
