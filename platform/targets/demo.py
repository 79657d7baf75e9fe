"""The targets' demo part (`core.demo`): the progress of the demo data, counted."""

from core.demo import DemoPlace

from .services import recount_target_progress

DEMO_STEP = 40


def load_demo(place: DemoPlace) -> None:
    if not place.national:
        recount_target_progress()
