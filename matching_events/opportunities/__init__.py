"""Opportunities (what employers offer) and sector pledges (workspace)."""
