"""A municipality's site: workspace, portal accounts, the Wagtail admin and portal pages."""

from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from cms import seo
from cms.caching import cached_wagtail_urls
from relations import views as relation_views

from . import media, views
from .urls_common import urlpatterns as common

urlpatterns = [
    *common,
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("huisstijl.css", views.brand_css, name="brand_css"),
    path("werkplek/", relation_views.my_day, name="workspace"),
    path("werkplek/", include("relations.urls")),
    path("werkplek/", include("matching_events.urls")),
    path("werkplek/doelen/", include("targets.urls")),
    path("werkplek/signalen/", include("alerts.urls")),
    path("werkplek/rapportages/", include("reports.urls")),
    path("werkplek/abonnement/", include("tenants.billing.urls_workspace")),
    path("", include("matching_events.urls_public")),
    path("", include("cms.urls_forms")),
    path("api/v1/", include("relations.api_urls")),
    path("mijn-bedrijf/", account_views.my_company, name="my_company"),
    path("mijn-bijeenkomsten/", account_views.my_meetups, name="my_meetups"),
    path("cms-beheer/", include(wagtailadmin_urls)),
    path("documenten/", include(wagtaildocs_urls)),
    path("media/<str:schema>/<path:path>", media.serve_tenant_media, name="tenant_media"),
    # Wagtail serves every other path from the page tree: keep it last. Anonymous visitors get
    # pages from the municipality's page cache (cms.caching).
    path("", include(cached_wagtail_urls())),
]
