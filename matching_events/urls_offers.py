"""Workspace: opportunities, sector pledges, placements, match leads.
(Placeholder names until the views land.)"""

from django.urls import path

from relations.views import my_day

urlpatterns = [
    path("kansen/", my_day, name="opportunity_list"),
    path("plaatsingen/", my_day, name="placement_list"),
    path("matches/", my_day, name="lead_list"),
]
