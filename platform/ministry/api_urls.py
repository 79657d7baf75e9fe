"""The open API of the aggregates (/api/v1/ on the national site)."""

urlpatterns: list = []
