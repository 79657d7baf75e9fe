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

# A DNS name: labels of letters, digits and hyphens, at most 253 characters.
_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
                   r"(?:\.[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?)*$")


class DomainError(ValueError):
    """Refused; `str(error)` is a message for people (Dutch)."""


def host_name(value: str) -> str | None:
    """"Zoetermeer.Example.NL:443." -> "zoetermeer.example.nl"; None when not a host name.
    Used for what people type (add_domain) and for what the proxy asks (/health/tls)."""
    host = value.strip().lower()
    if host.startswith("["):  # an IPv6 literal: never a municipality's domain
        return None
    host = host.rsplit(":", 1)[0] if ":" in host else host
    host = host.rstrip(".")
    return host if _HOST.match(host) else None


@transaction.atomic
def add_domain(municipality: Municipality, host: str, *, primary: bool = False) -> Domain:
    """Route `host` to the municipality; `primary` makes it the address used in links and
    e-mails (the portal's Wagtail site follows)."""
    name = host_name(host)
    if name is None or "." not in name or ":" in host:  # a custom domain: no port, no scheme
        raise DomainError(_("%(host)s is not a valid host name.") % {"host": host.strip()})
    host = name
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
