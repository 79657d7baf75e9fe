"""The open API of the aggregates (/api/v1/ on the national site)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import api
from .problems import not_found

app_name = "ministry_api"
urlpatterns = [
    path("gemeenten/", api.MunicipalityList.as_view(), name="municipalities"),
    path("gemeenten/<str:cbs_code>/", api.MunicipalityDetail.as_view(), name="municipality"),
    path("gemeenten/<str:cbs_code>/weken/", api.MunicipalityWeeks.as_view(), name="weeks"),
    # The national site's URLs only (the generator would otherwise read ROOT_URLCONF, the
    # municipalities' workspace API).
    path("schema/", SpectacularAPIView.as_view(urlconf="werktop.urls_public"), name="schema"),
    re_path(r"^.*$", not_found),
]
