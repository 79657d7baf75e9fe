"""The public side of a municipality's site, mounted at its root before the portal's page tree:
the pages behind links in e-mails (`meetups_public` namespace), the employer sign-up, and the
portal pages of employer and candidate accounts. The URL names are used by e-mails, the
portal's pages and `accounts.views.after_login`."""

from django.urls import include, path

from . import views, views_signup

urlpatterns = [
    path("", include("matching_events.portal.urls_public")),
    path("doe-mee-als-ondernemer/", views_signup.employer_signup, name="employer_signup"),
    path("doe-mee-als-ondernemer/bedankt/", views_signup.employer_signup_done,
         name="employer_signup_done"),
    path("mijn-aanmeldingen/<str:token>/account/", views.candidate_account_create,
         name="candidate_account_create"),
    path("mijn-bedrijf/", views.my_company, name="my_company"),
    path("mijn-bedrijf/kansen/nieuw/", views.my_opportunity_new, name="my_opportunity_new"),
    path("mijn-bedrijf/kansen/<int:pk>/bewerken/", views.my_opportunity_edit,
         name="my_opportunity_edit"),
    path("mijn-bedrijf/bijeenkomsten/<int:pk>/antwoord/", views.my_participation_answer,
         name="my_participation_answer"),
    path("mijn-bijeenkomsten/", views.my_meetups, name="my_meetups"),
]
