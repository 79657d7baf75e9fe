"""Workspace: meetups, scheduling, registrations, the meetup day (check-in, outcomes) and
survey results. (Placeholder names until the views land.)"""

from django.urls import path

from relations.views import my_day

urlpatterns = [
    path("bijeenkomsten/", my_day, name="meetup_list"),
]
