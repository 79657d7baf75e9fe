"""The table plan of a prettig gesprek: who sits with whom in which round. A pure algorithm.

Each round every employer sits at a table and candidates rotate. Per round:

1. **Fairness first, then interest**: every allowed pair (a candidate and an employer they
   have not met yet) is sorted by the candidate's number of conversations so far (fewest
   first), then the employer's (fewest first), then the score (highest first), then the ids.
   Greedily taking pairs in that order seats every candidate who has met no one yet before
   anyone gets a second conversation, and within that gives candidates the employers closest
   to their interests first.
2. **No empty table that could be filled**: then, for each candidate still without a table
   (fewest conversations first), an augmenting path (Kuhn's algorithm) moves seated
   candidates to other free employers they have not met, so that the number of conversations
   in the round is as large as possible; nobody seated loses their seat.

Guarantees: nobody is double-booked in a round, no pair meets twice, and when rounds × employers
>= candidates every candidate meets at least one employer (otherwise `unseated` names those who
meet no one). Deterministic: ties are broken by ids. 15 employers × 60 candidates × 9 rounds
takes a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TablePlan:
    """`rounds[i]` is round i + 1: {employer id: candidate id}. `unseated`: candidates who meet
    no employer at all (only when there are too few rounds or no employers). Iterates, indexes
    and measures like the list of rounds."""

    rounds: list[dict[int, int]]
    unseated: list[int]

    @property
    def complete(self) -> bool:
        return not self.unseated

    def __iter__(self) -> Iterator[dict[int, int]]:
        return iter(self.rounds)

    def __len__(self) -> int:
        return len(self.rounds)

    def __getitem__(self, index: int) -> dict[int, int]:
        return self.rounds[index]


def _augment(candidate: int, allowed: Mapping[int, list[int]], seat_of_employer: dict,
             seat_of_candidate: dict, visited: set[int]) -> bool:
    """Kuhn's step: find `candidate` a table, moving seated candidates along if needed."""
    for employer in allowed[candidate]:
        if employer in visited:
            continue
        visited.add(employer)
        sitting = seat_of_employer.get(employer)
        if sitting is None or _augment(sitting, allowed, seat_of_employer, seat_of_candidate,
                                       visited):
            seat_of_employer[employer] = candidate
            seat_of_candidate[candidate] = employer
            return True
    return False


def _plan_round(employers: list[int], candidates: list[int], scores: Mapping,
                met: dict[int, set[int]], talks: dict[int, int],
                hosted: dict[int, int]) -> dict[int, int]:
    pairs = [(talks[c], hosted[e], -scores.get((e, c), 0), c, e)
             for c in candidates for e in employers if e not in met[c]]
    pairs.sort()
    seat_of_employer: dict[int, int] = {}
    seat_of_candidate: dict[int, int] = {}
    for _talks, _hosted, _score, candidate, employer in pairs:
        if employer not in seat_of_employer and candidate not in seat_of_candidate:
            seat_of_employer[employer] = candidate
            seat_of_candidate[candidate] = employer
    if len(seat_of_employer) < len(employers):
        allowed: dict[int, list[int]] = {}
        for _talks, _hosted, _score, candidate, employer in pairs:  # best employer first
            allowed.setdefault(candidate, []).append(employer)
        waiting = sorted((talks[c], c) for c in allowed if c not in seat_of_candidate)
        for _talks, candidate in waiting:
            if len(seat_of_employer) == len(employers):
                break
            _augment(candidate, allowed, seat_of_employer, seat_of_candidate, set())
    return seat_of_employer


def plan_rounds(employer_ids: Sequence[int], candidate_ids: Sequence[int],
                scores: Mapping[tuple[int, int], int], rounds: int) -> TablePlan:
    """Seat candidates at employers' tables for `rounds` rounds.

    `scores[(employer_id, candidate_id)]` is how well they fit (missing: 0). Returns a
    `TablePlan`: per round {employer id: candidate id}, and the candidates who meet no one.
    """
    employers = sorted(set(employer_ids))
    candidates = sorted(set(candidate_ids))
    met: dict[int, set[int]] = {c: set() for c in candidates}
    talks = dict.fromkeys(candidates, 0)
    hosted = dict.fromkeys(employers, 0)
    plan: list[dict[int, int]] = []
    for _round in range(max(0, rounds)):
        seats = _plan_round(employers, candidates, scores, met, talks, hosted)
        for employer, candidate in seats.items():
            met[candidate].add(employer)
            talks[candidate] += 1
            hosted[employer] += 1
        plan.append(dict(sorted(seats.items())))
    return TablePlan(rounds=plan, unseated=[c for c in candidates if talks[c] == 0])
