"""The portal's demo part (`core.demo`): each demo municipality's brand colour, once."""

from core.demo import DemoPlace
from tenants.models import DEFAULT_BRAND_COLOUR

from .services import set_branding

DEMO_STEP = 5


def load_demo(place: DemoPlace) -> None:
    if place.national or not place.brand_colour:
        return
    if place.municipality.brand_colour == DEFAULT_BRAND_COLOUR:  # keep a chosen colour
        set_branding(brand_colour=place.brand_colour)
