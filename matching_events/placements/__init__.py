"""Placements and match leads (workspace)."""
