"""Workspace: portal accounts of an employer's contact persons (under /werkplek/)."""

from django.urls import path

from . import views_workspace

urlpatterns = [
    path("werkgevers/<int:pk>/portaalaccount/", views_workspace.employer_invite_user,
         name="employer_invite_user"),
    path("werkgevers/<int:pk>/contactpersonen/<int:contact>/bevestigen/",
         views_workspace.employer_confirm_contact, name="employer_confirm_contact"),
]
