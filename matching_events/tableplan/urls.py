"""Workspace: the table plan of a meetup and matching suggestions."""

from django.urls import path

from . import views

urlpatterns = [
    path("bijeenkomsten/<int:pk>/tafelindeling/", views.tableplan, name="tableplan"),
    path("bijeenkomsten/<int:pk>/tafelindeling/maken/", views.tableplan_generate,
         name="tableplan_generate"),
    path("bijeenkomsten/<int:pk>/tafelindeling/plaats/", views.tableplan_seat,
         name="tableplan_seat"),
    path("bijeenkomsten/<int:pk>/tafelindeling.pdf", views.tableplan_pdf, name="tableplan_pdf"),
    path("bijeenkomsten/<int:pk>/suggesties/", views.meetup_suggestions,
         name="meetup_suggestions"),
    path("kandidaten/<int:pk>/suggesties/", views.candidate_suggestions,
         name="candidate_suggestions"),
    path("kansen/<int:pk>/suggesties/", views.opportunity_suggestions,
         name="opportunity_suggestions"),
]
