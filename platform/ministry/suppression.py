"""Small-count suppression: the one place that decides what the ministry may see.

Counts below `THRESHOLD` that could point at a person are replaced by "<5" on the dashboard, in
the CSV/XLSX exports and in the API; figures derived from such a count (a share of a target, a
mean of survey answers, the ZRM improvement share) are withheld (None) with it.

Suppressed (about persons): placements (regular jobs, work-experience places, trial
placements), candidates attending meetups, the number of candidates the ZRM share is based on,
survey response counts. Not suppressed: targets, new employer contacts (businesses, not persons)
and meetups held (events). Zero is suppressed too ("below 5"), so "<5" never tells 0 from 1-4.

Totals over several municipalities (`suppress_total`) get a secondary suppression: they are
withheld when subtracting the shown municipalities' figures would reveal a suppressed one.
"""

from math import floor
from typing import Any

THRESHOLD = 5
SUPPRESSED = "<5"

PERSON_COUNTS = frozenset({
    "regular_jobs", "work_experience_places", "trial_placements", "candidates_attending",
    "zrm_candidates", "satisfaction_approach_responses",
    "satisfaction_relationship_manager_responses", "satisfaction_self_efficacy_responses",
})
# A derived figure -> the count it is withheld with.
DERIVED = {
    "zrm_improved_share": "zrm_candidates",
    "satisfaction_approach": "satisfaction_approach_responses",
    "satisfaction_relationship_manager": "satisfaction_relationship_manager_responses",
    "satisfaction_self_efficacy": "satisfaction_self_efficacy_responses",
}

Figure = int | str | None


def is_small(value: int | None) -> bool:
    return value is not None and value < THRESHOLD


def suppress(value: int | None) -> Figure:
    """A person count as the ministry may see it: "<5" below the threshold."""
    return SUPPRESSED if is_small(value) else value


def suppress_row(raw: dict[str, Any]) -> dict[str, Any]:
    """A copy of a row of raw figures with every person count and its derived figures
    suppressed; other keys are passed through unchanged."""
    row = dict(raw)
    for name in PERSON_COUNTS & raw.keys():
        row[name] = suppress(raw[name])
    for name, base in DERIVED.items():
        if name in raw and (base not in raw or is_small(raw[base])):
            row[name] = None
    return row


def suppress_total(total: int, hidden_count: int, hidden_sum: int) -> Figure:
    """A person count summed over several municipalities (national or provincial totals, the
    weekly trend). Besides the total's own suppression, it is withheld (None) when it would
    give away suppressed contributions by differencing: when exactly one contribution was
    suppressed (total minus the shown figures is that count), or when the suppressed
    contributions together are below the threshold (the remainder would tell 0 from 1-4)."""
    if hidden_count and (hidden_count == 1 or hidden_sum < THRESHOLD):
        return None
    return suppress(total)


def suppress_progress(count: int, target: int, expected: float, *,
                      about_persons: bool) -> dict[str, Any]:
    """Count, share of the target and behind-pace flag for one target. For a suppressed count
    the share is withheld, and "behind" is only said when it holds for any count below 5."""
    expected_now = floor(expected)
    share = count / target if target else None
    behind: bool | None = count < expected_now
    if about_persons and is_small(count):
        share = None
        behind = True if expected_now >= THRESHOLD else None
    return {"count": suppress(count) if about_persons else count, "target": target,
            "share": share, "expected": expected_now, "behind": behind}
