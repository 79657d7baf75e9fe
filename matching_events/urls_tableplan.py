"""Workspace: the table plan of a meetup and matching suggestions."""

urlpatterns: list = []
