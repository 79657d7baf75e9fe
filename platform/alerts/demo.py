"""The signals' demo part (`core.demo`): raise what the demo data gives reason for."""

from core.demo import DemoPlace

from .services import raise_signals

DEMO_STEP = 50


def load_demo(place: DemoPlace) -> None:
    if not place.national:
        raise_signals()
