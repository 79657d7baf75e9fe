"""The portal's part in provisioning (`tenants.signals`): a fresh schema has none of Wagtail's
sample content; a new municipality gets its Dutch page tree, site and branding."""

from typing import Any

from wagtail.models import Page, Site

from tenants import signals

from .services import create_default_portal


def clear_sample_content(**_: Any) -> None:
    Site.objects.all().delete()
    for page in Page.objects.filter(depth=2):
        page.delete()


def build_portal(*, municipality: Any, hostname: str, **_: Any) -> None:
    create_default_portal(municipality, hostname=hostname)


def connect() -> None:
    signals.fresh_schema.connect(clear_sample_content, dispatch_uid="cms.clear_sample_content")
    signals.municipality_provisioned.connect(build_portal, dispatch_uid="cms.build_portal")
