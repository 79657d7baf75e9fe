"""Import wizard (CSV/XLSX). Mounted at /werkplek/importeren/ (namespace `relations`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.import_start, name="import_start"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/kolommen/", views.import_mapping, name="import_mapping"),
    path("<int:pk>/voortgang/", views.import_progress, name="import_progress"),
    path("<int:pk>/importeren/", views.import_confirm, name="import_confirm"),
]
