"""Workspace: opportunities, sector pledges, placements, match leads, suggestions."""

urlpatterns: list = []
