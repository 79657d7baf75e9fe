"""Portal set-up for a municipality. Runs inside the municipality's schema."""

from django.conf import settings
from wagtail.models import Page, Site

from tenants.models import Municipality

from .models import HomePage


def default_home_intro(name: str) -> str:
    return (
        f"<p>In {name} werken ondernemers en gemeente samen aan werk voor mensen met een "
        "bijstandsuitkering. Geen cv's, maar talenten: in een prettig gesprek ontmoeten "
        "werkgevers en kandidaten elkaar.</p>"
    )


def create_default_portal(municipality: Municipality, *, hostname: str) -> Site:
    """Create the Dutch home page and the Wagtail site of a new municipality."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(
        title=f"Werk in {municipality.name}",
        slug="home",
        intro=default_home_intro(municipality.name),
        employer_cta="Doe mee als ondernemer",
        candidate_cta="Kom naar een prettig gesprek",
    ))
    site = Site.objects.create(
        hostname=hostname, port=settings.PORTAL_PORT, root_page=home, is_default_site=True,
        site_name=municipality.name,
    )
    return site
