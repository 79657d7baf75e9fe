"""Workspace: placements and match leads (under /werkplek/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("plaatsingen/", views.placement_list, name="placement_list"),
    path("plaatsingen/nieuw/", views.placement_create, name="placement_create"),
    path("plaatsingen/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("plaatsingen/<int:pk>/bewerken/", views.placement_edit, name="placement_edit"),
    path("matches/", views.lead_list, name="lead_list"),
    path("matches/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("matches/<int:pk>/besluit/", views.lead_decide, name="lead_decide"),
]
