"""The national site's home page: every participating municipality, linked to its portal."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.views import port_suffix

from .models import Municipality


def national_home(request: HttpRequest) -> HttpResponse:
    """The national landing page: every participating municipality, linked to its portal."""
    suffix = port_suffix(request)
    rows = (
        Municipality.objects.participating()
        .filter(domains__is_primary=True)
        .values("name", "province", "domains__domain")
        .order_by("name")
    )
    municipalities = [
        {"name": r["name"], "province": r["province"],
         "url": f"{request.scheme}://{r['domains__domain']}{suffix}/"}
        for r in rows
    ]
    return render(request, "werktop/national_home.html", {"municipalities": municipalities})
