"""A municipality's workspace: the coordinator's subscription page."""

from django.urls import path

from . import views_workspace

app_name = "billing_workspace"
urlpatterns = [
    path("", views_workspace.subscription_page, name="subscription"),
    path("portaal/", views_workspace.customer_portal, name="customer_portal"),
]
