"""Read-only JSON API of the workspace (same permissions as the screens)."""

urlpatterns: list = []
