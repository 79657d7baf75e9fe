"""URLs of reports, mounted at /werkplek/rapportages/."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("maken/", views.report_request, name="report_request"),
    path("<int:pk>/status/", views.report_status, name="report_status"),
    path("<int:pk>/weekrapportage.pdf", views.report_download, {"kind": "pdf"},
         name="report_pdf"),
    path("<int:pk>/weekrapportage.xlsx", views.report_download, {"kind": "xlsx"},
         name="report_xlsx"),
]
