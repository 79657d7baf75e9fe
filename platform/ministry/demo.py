"""The ministry's demo part (`core.demo`): the dashboard shows the demo's figures."""

from core.demo import DemoPlace

from .rollups import publish_rollup

DEMO_STEP = 60


def load_demo(place: DemoPlace) -> None:
    if not place.national:
        publish_rollup()
