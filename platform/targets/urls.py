"""URLs of targets (the dashboard under /werkplek/doelen/)."""

from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("periode/", views.period_edit, name="period_edit"),
]
