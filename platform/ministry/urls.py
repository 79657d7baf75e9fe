"""URLs of ministry."""

app_name = "ministry"
urlpatterns: list = []
