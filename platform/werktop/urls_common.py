"""URLs both kinds of site have: login (allauth, per schema), language switch, role pages."""

from django.urls import include, path
from django.views.i18n import set_language

from accounts import views as account_views

urlpatterns = [
    path("account/", include("allauth.urls")),
    path("taal/", set_language, name="set_language"),
    path("na-inloggen/", account_views.after_login, name="after_login"),
]
