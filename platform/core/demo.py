"""Demo data, one part per feature: `manage.py load_demo` (the `demo` app) asks every
installed app for its part.

A feature that has demo data defines, in its own `demo.py`:

    DEMO_STEP = 30                       # parts run in this order, lowest first
    def load_demo(place: DemoPlace) -> None: ...

`load_demo` is called once in the public schema (`place.national`) and once inside every demo
municipality; every part must be idempotent (running the command again changes nothing).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

DEMO_PASSWORD = "werktop-demo-2026"  # noqa: S105 - fictitious demo accounts, documented


@dataclass
class DemoPlace:
    """Where a part loads its data: the national site, or one municipality (current schema)."""

    national: bool
    municipality: Any = None
    # The portal's brand colour in this demo municipality (the cms part sets it once).
    brand_colour: str = ""
    # Demo users by their e-mail prefix ("coordinator", "relatiemanager", ...), filled by the
    # accounts part so later parts can use them.
    users: dict[str, Any] = field(default_factory=dict)
    # What a part wants to show in the summary of the command.
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoPart:
    app: str
    step: int
    load: Callable[[DemoPlace], None]


def demo_parts() -> list[DemoPart]:
    """Every installed app's demo part, in step order."""
    parts = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        if hasattr(module, "load_demo"):
            parts.append(DemoPart(config.name, getattr(module, "DEMO_STEP", 50), module.load_demo))
    return sorted(parts, key=lambda part: (part.step, part.app))
