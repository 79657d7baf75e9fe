"""Every Dutch translation is present, not fuzzy, and compiled into the committed .mo file."""

import ast
import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "platform" / "core" / "locale" / "nl"
PO = LOCALE / "LC_MESSAGES" / "django.po"
MO = LOCALE / "LC_MESSAGES" / "django.mo"


def _entries() -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) for every entry of the .po file but the header."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if not match:
            continue
        msgid, msgstr = ("".join(ast.literal_eval(part) for part in group.split("\n") if part)
                         for group in match.groups())
        if msgid:
            entries.append((flags, msgid, msgstr))
    return entries


def test_every_string_has_a_dutch_translation_that_is_not_fuzzy():
    entries = _entries()
    assert len(entries) > 50
    assert [msgid for flags, msgid, _ in entries if "fuzzy" in flags] == []
    assert [msgid for _, msgid, msgstr in entries if not msgstr] == []


def test_the_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert [msgid for _, msgid, msgstr in _entries() if catalogue.gettext(msgid) != msgstr] == []
