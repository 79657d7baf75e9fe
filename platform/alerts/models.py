"""Models of alerts."""
