"""Workspace: meetups, scheduling, registrations, the meetup day (check-in, table plan,
outcomes) and survey results."""

urlpatterns: list = []
