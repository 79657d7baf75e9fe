"""Reference lists shipped with the platform (see data/SOURCES.md): SBI sections, the
participation ladder and the self-sufficiency matrix (ZRM). Read once, at import."""

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
ZRM_VERSION = "ZRM 2017 (13 domeinen)"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def sbi_sections() -> list[tuple[str, str]]:
    """[("A", "Landbouw, bosbouw en visserij"), ...]"""
    return [(row["sectie"], row["titel_nl"]) for row in _rows("sbi_secties.csv")]


@cache
def ladder_rungs() -> list[tuple[int, str]]:
    return [(int(row["trede"]), row["naam"]) for row in _rows("participatieladder.csv")]


@cache
def zrm_domains() -> list[tuple[int, str]]:
    """The 13 domains of ZRM 2017, in their official order."""
    return [(int(row["volgorde"]), row["domein"]) for row in _rows("zrm_domeinen.csv")
            if row["versie"] == ZRM_VERSION]


@cache
def zrm_levels() -> list[tuple[int, str]]:
    return [(int(row["score"]), row["label"]) for row in _rows("zrm_niveaus.csv")]


SBI_CHOICES = sbi_sections()
LADDER_CHOICES = ladder_rungs()
ZRM_DOMAIN_CHOICES = zrm_domains()
ZRM_LEVEL_CHOICES = zrm_levels()
