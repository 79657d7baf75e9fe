"""Workspace pages of meetups, opportunities, placements, the table plan and portal accounts,
mounted under /werkplek/ in the `matching_events` namespace. The public pages and the
employer and candidate portal are in `matching_events.portal.urls`, at the site root."""

from django.urls import include, path

app_name = "matching_events"

urlpatterns = [
    path("", include("matching_events.meetups.urls")),
    path("", include("matching_events.opportunities.urls")),
    path("", include("matching_events.placements.urls")),
    path("", include("matching_events.portal.urls_workspace")),
    path("", include("matching_events.tableplan.urls")),
]
