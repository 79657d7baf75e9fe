"""Workspace pages of meetups, opportunities and placements, mounted under /werkplek/."""

from django.urls import include, path

app_name = "matching_events"

urlpatterns = [
    path("", include("matching_events.urls_meetups")),
    path("", include("matching_events.urls_offers")),
    path("", include("matching_events.urls_tableplan")),
]
