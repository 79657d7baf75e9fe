"""The relationship manager's workspace, mounted at /werkplek/."""

from django.urls import include, path

app_name = "relations"

urlpatterns = [
    path("importeren/", include("relations.urls_import")),
]
