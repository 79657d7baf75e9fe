"""URLs of alerts."""

app_name = "alerts"
urlpatterns: list = []
