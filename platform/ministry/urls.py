"""URLs of ministry (national site, under /ministerie/)."""

from django.urls import path

from . import views

app_name = "ministry"
urlpatterns = [
    path("gemeente/<str:cbs_code>/", views.municipality_history, name="municipality"),
]
