"""Public pages reached through links in e-mails (no account needed), in the `meetups_public`
namespace; included by `matching_events.portal.urls` at the root of the municipality's site,
before the portal pages. The URL names are used by the e-mails."""

from django.urls import path

from . import views_public

app_name = "meetups_public"

urlpatterns = [
    path("aanmelding/bevestigen/<str:token>/", views_public.confirm, name="confirm"),
    path("aanmelding/<str:token>/", views_public.manage, name="manage"),
    path("aanmelding/<str:token>/afmelden/", views_public.cancel, name="cancel"),
    path("aanmelding/<str:token>/enquete/", views_public.candidate_survey,
         name="candidate_survey"),
    path("mijn-aanmeldingen/<str:token>/", views_public.mine, name="mine"),
    path("werkgever/uitnodiging/<str:token>/", views_public.employer, name="employer"),
    path("werkgever/uitnodiging/<str:token>/enquete/", views_public.employer_survey,
         name="employer_survey"),
]
