"""URLs of targets (the dashboard under /werkplek/doelen/)."""

app_name = "targets"
urlpatterns: list = []
