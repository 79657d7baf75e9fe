"""Transparent matching scores: how well a candidate fits an opportunity or an employer.

A score is a suggestion for the relationship manager, never a decision: these are pure
functions (no writes) that return points with the reasons behind them. Every component says
why it gave (or withheld) its points; when something is unknown the component gives half its
points and says nothing, so a sparse file is neither rewarded nor punished.

Weights (together 100 points):

| component | points | full points when |
|---|---|---|
| sector | 20 | the candidate prefers the sector (0 when they prefer other sectors) |
| talents and interests | 10 | 4 points per word of the talents/interests found in the work's text |
| working days | 12 | available on every working day (pro rata) |
| hours | 8 | available for the hours asked (4 for at least three quarters) |
| travel | 20 | the estimated distance is within the candidate's travel radius |
| participation ladder | 15 | rung 6; rung 1 gives 0 (higher rung = closer to work) |
| driving licence | 10 | not required, or required and the candidate has one |
| languages | 5 | speaks every language asked (pro rata) |

Distance is an **estimate**: there is no postcode coordinate data offline, so it is derived
from the Dutch 4-digit postcode (PC4) alone: same PC4 about 2 km, same first three digits
about 5 km, same first two about 15 km, same first digit about 40 km, otherwise about 80 km.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_noop

from relations.models import Candidate, Employer
from relations.reference import SBI_CHOICES

from .models import MeetupEmployer, Opportunity, Registration

W_SECTOR, W_INTERESTS, W_DAYS, W_HOURS = 20, 10, 12, 8
W_TRAVEL, W_LADDER, W_LICENCE, W_LANGUAGES = 20, 15, 10, 5
POINTS_PER_SHARED_WORD = 4

CANDIDATE_FIELDS = (
    "pk", "first_name", "last_name", "postcode", "languages", "driving_licence",
    "hours_per_week", "days_available", "travel_radius_km", "talents", "interests",
    "preferred_sectors", "ladder_rung", "status", "owner_id")

SECTOR_NAMES = dict(SBI_CHOICES)

# Language names as people write them (Dutch or English) -> one key and a display name.
LANGUAGES = {
    "nl": (gettext_noop("Dutch"), ("nederlands", "dutch", "nl", "vlaams")),
    "en": (gettext_noop("English"), ("engels", "english", "en")),
    "ar": (gettext_noop("Arabic"), ("arabisch", "arabic")),
    "tr": (gettext_noop("Turkish"), ("turks", "turkish")),
    "pl": (gettext_noop("Polish"), ("pools", "polish")),
    "de": (gettext_noop("German"), ("duits", "german")),
    "fr": (gettext_noop("French"), ("frans", "french")),
    "es": (gettext_noop("Spanish"), ("spaans", "spanish")),
    "uk": (gettext_noop("Ukrainian"), ("oekraïens", "oekraiens", "ukrainian")),
    "ti": (gettext_noop("Tigrinya"), ("tigrinya", "tigrinia")),
    "so": (gettext_noop("Somali"), ("somalisch", "somali")),
}
_LANGUAGE_ALIASES = {alias: key for key, (_name, aliases) in LANGUAGES.items()
                     for alias in aliases}
STOP_WORDS = frozenset(
    "aan als bij door een met naar niet ook voor van het de die dat deze wat zijn heeft "
    "graag goed werk werkt werken wil kan the and for with work good likes".split())


# Django's gettext walks every catalogue on each call and get_language() is a context-local
# lookup; a ranking asks for the same few phrases thousands of times. So the language is read
# once per ranking (`_one_language`) and the phrases are cached per language. (Named `_` and
# `ngettext` so that makemessages still finds the msgids.)
_LANGUAGE: ContextVar[str] = ContextVar("matching_language", default="")


@contextmanager
def _one_language() -> Iterator[None]:
    token = _LANGUAGE.set(_LANGUAGE.get() or translation.get_language() or "")
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


@lru_cache(maxsize=1024)
def _translated(language: str, message: str) -> str:
    return translation.gettext(message)


@lru_cache(maxsize=1024)
def _translated_plural(language: str, singular: str, plural: str, n: int) -> str:
    return translation.ngettext(singular, plural, n)


def _(message: str) -> str:
    return _translated(_LANGUAGE.get() or translation.get_language() or "", message)


def ngettext(singular: str, plural: str, n: int) -> str:
    language = _LANGUAGE.get() or translation.get_language() or ""
    return _translated_plural(language, singular, plural, n)


@dataclass(frozen=True)
class Fit:
    """Points 0..100 and the reasons behind them (translated phrases, positive and negative)."""

    points: int
    reasons: list[str] = field(default_factory=list)


# --- small estimators -----------------------------------------------------------------------

def _pc4(postcode: str) -> str:
    digits = re.match(r"\s*(\d{4})", postcode or "")
    return digits.group(1) if digits else ""


def estimate_km(postcode_a: str, postcode_b: str) -> int | None:
    """Rough distance between two Dutch postcodes from their PC4 digits (an estimate, see the
    module docstring); None when either postcode is missing."""
    a, b = _pc4(postcode_a), _pc4(postcode_b)
    if not a or not b:
        return None
    for digits, km in ((4, 2), (3, 5), (2, 15), (1, 40)):
        if a[:digits] == b[:digits]:
            return km
    return 80


@lru_cache(maxsize=8192)
def _stems(text: str) -> frozenset[str]:
    """Words of four letters or more, cut to six letters (a crude stem: "koken"/"kok" differ,
    "administratie"/"administratief" match)."""
    words = re.findall(r"[^\W\d_]{4,}", (text or "").lower())
    return frozenset(word[:6] for word in words if word not in STOP_WORDS)


@lru_cache(maxsize=4096)
def _languages(text: str) -> tuple[str, ...]:
    """Language keys in the order written ("Nederlands, Engels" -> ("nl", "en"))."""
    parts = re.split(r"[,;/+&]|\s+(?:en|and)\s+|\s+", (text or "").lower())
    keys = []
    for part in parts:
        part = part.strip(" .")
        if part:
            key = _LANGUAGE_ALIASES.get(part, part)
            if key not in keys:
                keys.append(key)
    return tuple(keys)


def _language_name(key: str) -> str:
    return _(LANGUAGES[key][0]) if key in LANGUAGES else key.capitalize()


# --- the score ------------------------------------------------------------------------------

def _sector(candidate: Candidate, sector: str, reasons: list[str]) -> int:
    if not sector or not candidate.preferred_sectors:
        return W_SECTOR // 2
    if sector in candidate.preferred_sectors:
        reasons.append(_("Prefers this sector"))
        return W_SECTOR
    reasons.append(_("Prefers other sectors"))
    return 0


def _interests(candidate: Candidate, text: str, reasons: list[str]) -> int:
    own = _stems(candidate.talents) | _stems(candidate.interests)
    if not own or not text:
        return W_INTERESTS // 2
    shared = sorted(own & _stems(text))
    if not shared:
        return 0
    reasons.append(_("Talents and interests match: %(words)s")
                   % {"words": ", ".join(shared[:3])})
    return min(W_INTERESTS, POINTS_PER_SHARED_WORD * len(shared))


def _days(candidate: Candidate, days: list[str], reasons: list[str]) -> int:
    if not days or not candidate.days_available:
        return W_DAYS // 2
    wanted = list(dict.fromkeys(days))
    available = sum(1 for day in wanted if day in candidate.days_available)
    if available == 0:
        reasons.append(_("Not available on any of the working days"))
        return 0
    reasons.append(ngettext("Available on %(n)s of %(m)s working day",
                            "Available on %(n)s of %(m)s working days", len(wanted))
                   % {"n": available, "m": len(wanted)})
    return round(W_DAYS * available / len(wanted))


def _hours(candidate: Candidate, hours: int | None, reasons: list[str]) -> int:
    have = candidate.hours_per_week
    if not hours or have is None:
        return W_HOURS // 2
    values = {"have": have, "need": hours}
    if have >= hours:
        reasons.append(_("Available %(have)s hours a week; %(need)s asked") % values)
        return W_HOURS
    reasons.append(_("Available only %(have)s of the %(need)s hours a week") % values)
    return W_HOURS // 2 if have * 4 >= hours * 3 else 0


def _travel(candidate: Candidate, postcode: str, reasons: list[str]) -> int:
    km = estimate_km(candidate.postcode, postcode)
    if km is None:
        return W_TRAVEL // 2
    radius = candidate.travel_radius_km
    if radius is None:
        reasons.append(_("About %(km)s km away (estimate from the postcodes)") % {"km": km})
        return {2: W_TRAVEL, 5: W_TRAVEL, 15: 14, 40: 6}.get(km, 0)
    values = {"km": km, "radius": radius}
    if km <= radius:
        reasons.append(_("About %(km)s km away (estimate); travels up to %(radius)s km")
                       % values)
        return W_TRAVEL
    reasons.append(_("About %(km)s km away (estimate); further than the %(radius)s km they "
                     "travel") % values)
    return 8 if km * 2 <= radius * 3 else 0


def _ladder(candidate: Candidate, reasons: list[str]) -> int:
    rung = candidate.ladder_rung
    if rung is None:
        return W_LADDER // 2
    reasons.append(_("Ladder rung %(rung)s") % {"rung": rung})
    return round(W_LADDER * (min(max(rung, 1), 6) - 1) / 5)


def _licence(candidate: Candidate, required: bool, reasons: list[str]) -> int:
    if not required:
        return W_LICENCE
    if candidate.driving_licence:
        reasons.append(_("Has a driving licence (required)"))
        return W_LICENCE
    reasons.append(_("No driving licence (required)"))
    return 0


def _spoken(candidate: Candidate, languages: str, reasons: list[str]) -> int:
    asked = _languages(languages)
    if not asked:
        return W_LANGUAGES
    if not candidate.languages:
        return W_LANGUAGES // 2
    spoken = set(_languages(candidate.languages))
    for key in asked:
        if key in spoken:
            reasons.append(_("Speaks %(language)s") % {"language": _language_name(key)})
        else:
            reasons.append(_("Does not speak %(language)s (asked)")
                           % {"language": _language_name(key)})
    return round(W_LANGUAGES * sum(key in spoken for key in asked) / len(asked))


def fit(candidate: Candidate, *, sector: str, days: list[str], hours: int | None,
        postcode: str, driving_licence_required: bool, languages: str,
        interests_text: str) -> Fit:
    """How well `candidate` fits work with these properties (weights: module docstring)."""
    reasons: list[str] = []
    points = (_sector(candidate, sector, reasons)
              + _interests(candidate, interests_text, reasons)
              + _days(candidate, days, reasons)
              + _hours(candidate, hours, reasons)
              + _travel(candidate, postcode, reasons)
              + _ladder(candidate, reasons)
              + _licence(candidate, driving_licence_required, reasons)
              + _spoken(candidate, languages, reasons))
    return Fit(points=max(0, min(100, points)), reasons=reasons)


def fit_for_opportunity(candidate: Candidate, opportunity) -> Fit:
    """The opportunity's own sector and postcode, or its employer's when left empty."""
    employer = opportunity.employer
    return fit(candidate,
               sector=opportunity.sector or employer.sector,
               days=list(opportunity.days or []),
               hours=opportunity.hours_per_week,
               postcode=opportunity.postcode or employer.postcode,
               driving_licence_required=opportunity.driving_licence_required,
               languages=opportunity.languages,
               interests_text=f"{opportunity.title} {opportunity.description}")


def _fit_for_employer_only(candidate: Candidate, employer: Employer) -> Fit:
    return fit(candidate, sector=employer.sector, days=[], hours=None,
               postcode=employer.postcode, driving_licence_required=False, languages="",
               interests_text=f"{employer.name} {SECTOR_NAMES.get(employer.sector, '')}")


def fit_for_employer(candidate: Candidate, employer: Employer, opportunities: Iterable) -> Fit:
    """The best fit among the employer's open `opportunities` (the caller passes them, e.g.
    prefetched), or the employer's sector and postcode when it has none."""
    best, best_opportunity = None, None
    for opportunity in sorted(opportunities, key=lambda o: o.pk):
        if opportunity.status != "open":
            continue
        current = fit_for_opportunity(candidate, opportunity)
        if best is None or current.points > best.points:
            best, best_opportunity = current, opportunity
    if best is None:
        return _fit_for_employer_only(candidate, employer)
    return Fit(best.points, [_("Best opportunity: %(title)s") % {"title": best_opportunity.title},
                             *best.reasons])


# --- rankings -------------------------------------------------------------------------------

def _ranked(rows: list[tuple[object, Fit]], limit: int | None) -> list[tuple[object, Fit]]:
    rows.sort(key=lambda row: (-row[1].points, row[0].pk))
    return rows if limit is None else rows[:limit]


def candidate_rows(candidates_qs: QuerySet[Candidate]) -> list[Candidate]:
    """One query, only the fields a score reads."""
    return list(candidates_qs.only(*[f for f in CANDIDATE_FIELDS if f != "pk"]))


def rank_candidates_for_opportunity(opportunity, candidates_qs: QuerySet[Candidate],
                                    limit: int = 20) -> list[tuple[Candidate, Fit]]:
    """Best first (ties: lowest pk first). `candidates_qs` is what the user may see."""
    candidates = candidate_rows(candidates_qs)
    with _one_language():
        return _ranked([(c, fit_for_opportunity(c, opportunity)) for c in candidates], limit)


def rank_opportunities_for_candidate(candidate: Candidate, opportunities_qs: QuerySet,
                                     limit: int = 20) -> list[tuple[object, Fit]]:
    opportunities = list(opportunities_qs.select_related("employer"))
    with _one_language():
        return _ranked([(o, fit_for_opportunity(candidate, o)) for o in opportunities], limit)


def suggest_candidates_for_meetup(meetup, candidates_qs: QuerySet[Candidate],
                                  limit: int = 30) -> list[tuple[Candidate, Fit]]:
    """Candidates for the employers invited to or confirmed at `meetup` (best fit with any of
    them), leaving out candidates already registered (not cancelled). Without employers: the
    meetup's own sector, theme and address. Three queries whatever the numbers."""
    with _one_language():
        return _suggest_for_meetup(meetup, candidates_qs, limit)


def _suggest_for_meetup(meetup, candidates_qs: QuerySet[Candidate],
                        limit: int) -> list[tuple[Candidate, Fit]]:
    employers = list(Employer.objects.filter(
        meetup_participations__meetup=meetup,
        meetup_participations__status__in=[MeetupEmployer.Status.INVITED,
                                           MeetupEmployer.Status.CONFIRMED]).order_by("pk"))
    registered = Registration.objects.filter(meetup=meetup).exclude(
        status=Registration.Status.CANCELLED).values("candidate_id")
    candidates = candidate_rows(candidates_qs.exclude(pk__in=registered))
    if not employers:
        postcode = re.search(r"\b\d{4}\s?[A-Za-z]{2}\b", meetup.address or "")
        text = f"{meetup.title} {meetup.theme} {meetup.description}"
        return _ranked([(c, fit(c, sector=meetup.sector, days=[], hours=None,
                                postcode=postcode.group(0) if postcode else "",
                                driving_licence_required=False, languages="",
                                interests_text=text)) for c in candidates], limit)
    by_employer = opportunities_by_employer(
        Opportunity.objects.filter(employer__in=employers, status=Opportunity.Status.OPEN)
        .select_related("employer"))
    rows = []
    for candidate in candidates:
        best, name = None, ""
        for employer in employers:
            current = fit_for_employer(candidate, employer, by_employer.get(employer.pk, []))
            if best is None or current.points > best.points:
                best, name = current, employer.name
        rows.append((candidate, Fit(best.points, [_("Best match: %(employer)s")
                                                  % {"employer": name}, *best.reasons])))
    return _ranked(rows, limit)


def opportunities_by_employer(opportunities: Iterable) -> dict[int, list]:
    """{employer id: [opportunity, ...]} in the given order."""
    grouped: dict[int, list] = {}
    for opportunity in opportunities:
        grouped.setdefault(opportunity.employer_id, []).append(opportunity)
    return grouped


def fit_matrix(employers: Iterable[Employer], candidates: Iterable[Candidate],
               opportunities_by_employer: dict[int, list]) -> dict[tuple[int, int], Fit]:
    """{(employer id, candidate id): Fit} for the table plan; no queries when the
    opportunities' employers are loaded (they are attached here from `employers`)."""
    employers, candidates = list(employers), list(candidates)
    matrix = {}
    with _one_language():
        _fill_matrix(matrix, employers, candidates, opportunities_by_employer)
    return matrix


def _fill_matrix(matrix: dict, employers: list, candidates: list, by_employer: dict) -> None:
    for employer in employers:
        opportunities = by_employer.get(employer.pk, [])
        for opportunity in opportunities:
            opportunity.employer = employer
        for candidate in candidates:
            matrix[(employer.pk, candidate.pk)] = fit_for_employer(
                candidate, employer, opportunities)
