from django.http import HttpRequest

from .models import Municipality


def site(request: HttpRequest) -> dict:
    """The municipality (or national site) this request is for, for the base layout."""
    tenant = getattr(request, "tenant", None)
    municipality = tenant if tenant is not None and tenant.is_municipality else None
    return {
        "municipality": municipality,
        "site_name": municipality.name if municipality else "Werktop Nederland",
        "brand_colour": municipality.brand_colour if municipality else "#154273",
        "is_national_site": tenant is not None and tenant.kind == Municipality.Kind.NATIONAL,
    }
