"""Workspace: opportunities, their review and sector pledges (under /werkplek/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("kansen/", views.opportunity_list, name="opportunity_list"),
    path("kansen/nieuw/", views.opportunity_create, name="opportunity_create"),
    path("kansen/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path("kansen/<int:pk>/bewerken/", views.opportunity_edit, name="opportunity_edit"),
    path("kansen/<int:pk>/beoordelen/", views.opportunity_review, name="opportunity_review"),
    path("werkgevers/<int:pk>/toezeggingen/", views.employer_pledges, name="employer_pledges"),
]
