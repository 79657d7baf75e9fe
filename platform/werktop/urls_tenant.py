"""A municipality's site: workspace, portal accounts, the Wagtail admin and portal pages."""

from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from alerts import my_day
from cms import documents, seo
from cms.caching import cached_wagtail_urls
from core import login, media, views

from .urls_common import urlpatterns as common

urlpatterns = [
    *common,
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("huisstijl.css", views.brand_css, name="brand_css"),
    path("werkplek/", my_day.my_day, name="workspace"),
    path("werkplek/", include("relations.urls")),
    path("werkplek/", include("matching_events.urls")),
    path("werkplek/doelen/", include("targets.urls")),
    path("werkplek/signalen/", include("alerts.urls")),
    path("werkplek/rapportages/", include("reports.urls")),
    path("werkplek/abonnement/", include("billing.urls_workspace")),
    path("", include("matching_events.portal.urls")),
    path("api/v1/", include("relations.api_urls")),
    # One login, allauth's (second factor, lock-out): Wagtail's own login forms only redirect
    # there, and its shared-password page and document restrictions are switched off.
    *login.wagtail_login_overrides(),
    path("cms-beheer/", include(wagtailadmin_urls)),
    path("documenten/<int:document_id>/<str:document_filename>", documents.serve_document,
         name="wagtaildocs_serve"),
    path("documenten/", include(wagtaildocs_urls)),
    path("media/<str:schema>/<path:path>", media.serve_tenant_media, name="tenant_media"),
    # Wagtail serves every other path from the page tree: keep it last. Anonymous visitors get
    # pages from the municipality's page cache (cms.caching).
    path("", include(cached_wagtail_urls())),
]

handler400 = "core.views.bad_request"
