"""Public forms of the portal outside the page tree (the employer sign-up) and the pages of
portal accounts (employers and candidates). Included at the site root, before the portal."""

from django.urls import path

from accounts import views as account_views
from matching_events import views_accounts, views_signup

urlpatterns = [
    path("doe-mee-als-ondernemer/", views_signup.employer_signup, name="employer_signup"),
    path("doe-mee-als-ondernemer/bedankt/", views_signup.employer_signup_done,
         name="employer_signup_done"),
    path("mijn-aanmeldingen/<str:token>/account/", views_accounts.candidate_account_create,
         name="candidate_account_create"),
    path("mijn-bedrijf/kansen/nieuw/", account_views.my_opportunity_new,
         name="my_opportunity_new"),
    path("mijn-bedrijf/kansen/<int:pk>/bewerken/", account_views.my_opportunity_edit,
         name="my_opportunity_edit"),
    path("mijn-bedrijf/bijeenkomsten/<int:pk>/antwoord/", account_views.my_participation_answer,
         name="my_participation_answer"),
]
