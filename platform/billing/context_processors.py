from django.http import HttpRequest

from .access import Access, access_of


def billing(request: HttpRequest) -> dict[str, Access | None]:
    """The workspace's access level, for the banner (no query: see middleware)."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or not tenant.is_municipality:
        return {"billing_access": None}
    return {"billing_access": access_of(tenant)}
