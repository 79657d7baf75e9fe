"""Meetups: planning, invitations, registrations and the meetup day (workspace)."""
