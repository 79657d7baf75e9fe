"""The table plan of a meetup and matching suggestions (workspace)."""
