"""Public pages reached through links in e-mails (no account needed), mounted at the root of
the municipality's site before the portal pages."""

app_name = "meetups_public"

urlpatterns: list = []
