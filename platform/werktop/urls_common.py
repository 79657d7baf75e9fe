"""URLs both kinds of site have: login (allauth, per schema), language switch, role pages."""

from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from accounts import views as account_views

urlpatterns = [
    path("account/", include("allauth.urls")),
    # Without a CSRF token, so the language switch on every page does not make the page
    # unique per visitor (cms.caching caches anonymous pages). A forged post can do no more
    # than switch a visitor's language; `next` is still checked against the host.
    path("taal/", csrf_exempt(set_language), name="set_language"),
    path("na-inloggen/", account_views.after_login, name="after_login"),
]
