"""Workspace: meetups, scheduling, registrations, the meetup day (check-in, outcomes) and
survey results. Included in the `matching_events` namespace under /werkplek/."""

from django.urls import path

from . import views
from . import views_day as day

urlpatterns = [
    path("bijeenkomsten/", views.meetup_list, name="meetup_list"),
    path("bijeenkomsten/nieuw/", views.meetup_create, name="meetup_create"),
    path("bijeenkomsten/enquetes/", views.survey_period, name="survey_period"),
    path("bijeenkomsten/<int:pk>/", views.meetup_detail, name="meetup_detail"),
    path("bijeenkomsten/<int:pk>/bewerken/", views.meetup_edit, name="meetup_edit"),
    path("bijeenkomsten/<int:pk>/data/", views.meetup_dates, name="meetup_dates"),
    path("bijeenkomsten/<int:pk>/data/kiezen/", views.meetup_choose_date,
         name="meetup_choose_date"),
    path("bijeenkomsten/<int:pk>/werkgevers/", views.meetup_employers, name="meetup_employers"),
    path("bijeenkomsten/<int:pk>/werkgevers/<int:participation>/antwoord/",
         views.meetup_employer_answer, name="meetup_employer_answer"),
    path("bijeenkomsten/<int:pk>/kandidaten/", views.meetup_candidates,
         name="meetup_candidates"),
    path("bijeenkomsten/<int:pk>/kandidaten/<int:registration>/bevestigen/",
         views.registration_confirm, name="registration_confirm"),
    path("bijeenkomsten/<int:pk>/kandidaten/<int:registration>/afmelden/",
         views.registration_cancel, name="registration_cancel"),
    path("bijeenkomsten/<int:pk>/publiceren/", views.meetup_publish, name="meetup_publish"),
    path("bijeenkomsten/<int:pk>/annuleren/", views.meetup_cancel, name="meetup_cancel"),
    path("bijeenkomsten/<int:pk>/afgerond/", views.meetup_held, name="meetup_held"),
    path("bijeenkomsten/<int:pk>/aanmelden/", day.check_in_page, name="meetup_check_in"),
    path("bijeenkomsten/<int:pk>/aanmelden/kandidaten/<int:registration>/",
         day.check_in_candidate, name="check_in_candidate"),
    path("bijeenkomsten/<int:pk>/aanmelden/werkgevers/<int:participation>/",
         day.check_in_employer, name="check_in_employer"),
    path("bijeenkomsten/<int:pk>/gesprekken/", day.conversations,
         name="meetup_conversations"),
    path("bijeenkomsten/<int:pk>/enquete/", views.meetup_survey, name="meetup_survey"),
]
