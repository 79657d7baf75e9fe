"""Host names of a municipality: the platform's own `<slug>.<PLATFORM_DOMAIN>` and the custom
domains a municipality brings (e.g. werk.zoetermeer.nl, pointed at the platform with a CNAME).

The reverse proxy only gets a TLS certificate for a host that is a row here (Caddy's on-demand
TLS asks `/health/tls`), so adding the row is what switches a custom domain on.
"""

import re

from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context
from wagtail.models import Site

from .models import Domain, Municipality

HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class DomainError(ValueError):
    """Refused; `str(error)` is a message for people (Dutch)."""


def normalise_host(host: str) -> str:
    return host.strip().lower().rstrip(".")


@transaction.atomic
def add_domain(municipality: Municipality, host: str, *, primary: bool = False) -> Domain:
    """Route `host` to the municipality; `primary` makes it the address used in links and
    e-mails (the portal's Wagtail site follows)."""
    host = normalise_host(host)
    if not HOST.match(host):
        raise DomainError(_("%(host)s is not a valid host name.") % {"host": host})
    existing = Domain.objects.select_for_update().filter(domain=host).first()
    if existing is not None and existing.tenant_id != municipality.pk:
        raise DomainError(_("The host name %(domain)s is already in use.") % {"domain": host})
    domain = existing or Domain(domain=host, tenant=municipality, is_primary=False)
    if primary:
        Domain.objects.filter(tenant=municipality, is_primary=True).exclude(
            domain=host).update(is_primary=False)
        domain.is_primary = True
    domain.save()
    if primary and municipality.is_municipality:
        with tenant_context(municipality):
            Site.objects.filter(is_default_site=True).update(hostname=host)
    return domain
