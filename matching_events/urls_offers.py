"""Workspace: opportunities, sector pledges, placements, match leads (under /werkplek/)."""

from django.urls import path

from . import views_accounts, views_offers, views_placements

urlpatterns = [
    path("kansen/", views_offers.opportunity_list, name="opportunity_list"),
    path("kansen/nieuw/", views_offers.opportunity_create, name="opportunity_create"),
    path("kansen/<int:pk>/", views_offers.opportunity_detail, name="opportunity_detail"),
    path("kansen/<int:pk>/bewerken/", views_offers.opportunity_edit, name="opportunity_edit"),
    path("kansen/<int:pk>/beoordelen/", views_offers.opportunity_review,
         name="opportunity_review"),
    path("werkgevers/<int:pk>/toezeggingen/", views_offers.employer_pledges,
         name="employer_pledges"),
    path("plaatsingen/", views_placements.placement_list, name="placement_list"),
    path("plaatsingen/nieuw/", views_placements.placement_create, name="placement_create"),
    path("plaatsingen/<int:pk>/", views_placements.placement_detail, name="placement_detail"),
    path("plaatsingen/<int:pk>/bewerken/", views_placements.placement_edit,
         name="placement_edit"),
    path("matches/", views_placements.lead_list, name="lead_list"),
    path("matches/<int:pk>/", views_placements.lead_detail, name="lead_detail"),
    path("matches/<int:pk>/besluit/", views_placements.lead_decide, name="lead_decide"),
    path("werkgevers/<int:pk>/portaalaccount/", views_accounts.employer_invite_user,
         name="employer_invite_user"),
    path("werkgevers/<int:pk>/contactpersonen/<int:contact>/bevestigen/",
         views_accounts.employer_confirm_contact, name="employer_confirm_contact"),
]
