"""Models of ministry."""
