"""URLs of ministry (national site, under /ministerie/)."""

from django.urls import path

from . import (
    converters,  # noqa: F401 (registers <cbs:>)
    views,
)

app_name = "ministry"
urlpatterns = [
    path("gemeente/<cbs:cbs_code>/", views.municipality_history, name="municipality"),
]
