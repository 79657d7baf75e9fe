"""Import wizard (CSV/XLSX). Mounted at /werkplek/importeren/ (namespace `relations`)."""

from django.urls import path

from . import views_import

urlpatterns = [
    path("", views_import.import_start, name="import_start"),
    path("<int:pk>/", views_import.import_detail, name="import_detail"),
    path("<int:pk>/kolommen/", views_import.import_mapping, name="import_mapping"),
    path("<int:pk>/voortgang/", views_import.import_progress, name="import_progress"),
    path("<int:pk>/importeren/", views_import.import_confirm, name="import_confirm"),
]
