"""The national site (public schema): the ministry and platform operators."""

from django.urls import include, path

from billing import views_operator
from cms import seo
from ministry import views as ministry_views
from tenants import views as tenant_views

from .urls_common import urlpatterns as common

urlpatterns = [
    path("", tenant_views.national_home, name="national_home"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("ministerie/", ministry_views.dashboard, name="ministry_dashboard"),
    path("ministerie/", include("ministry.urls")),
    path("api/v1/", include("ministry.api_urls")),
    path("beheer/", views_operator.operator_home, name="operator_home"),
    path("", include("billing.urls")),
    *common,
]

handler400 = "core.views.bad_request"
