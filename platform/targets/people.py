"""Progress of people, not only placements (Meedoen Werkt): ZRM and the participation ladder.

Read side; each function is one aggregate query whatever the number of candidates. Import
them from `targets.progress`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import connection
from django.utils import timezone

from relations.models import LadderStep, ZrmAssessment, ZrmScore
from relations.reference import ZRM_DOMAIN_CHOICES

if TYPE_CHECKING:
    from .progress import Period


@dataclass(frozen=True)
class DomainShare:
    """One ZRM domain: of the candidates scored on it in both their first and their latest
    assessment, how many scored higher (improved) or lower (worsened) in the latest."""

    domain: int
    name: str  # lazily translated
    compared: int
    improved: int
    worsened: int

    @property
    def share(self) -> float | None:
        return self.improved / self.compared if self.compared else None

    @property
    def percentage(self) -> int | None:
        return round(self.share * 100) if self.share is not None else None


@dataclass(frozen=True)
class ZrmProgress:
    """Candidates with at least two ZRM assessments (`assessed`), of whom `improved` scored
    higher on at least one domain in their latest assessment than in their first."""

    assessed: int
    improved: int
    domains: list[DomainShare]

    @property
    def share(self) -> float | None:
        return self.improved / self.assessed if self.assessed else None

    @property
    def percentage(self) -> int | None:
        return round(self.share * 100) if self.share is not None else None


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


_ZRM_SQL = """
WITH ranked AS (
    SELECT id, candidate_id,
           row_number() OVER (PARTITION BY candidate_id ORDER BY assessed_on, id) AS from_first,
           row_number() OVER (PARTITION BY candidate_id
                              ORDER BY assessed_on DESC, id DESC) AS from_last,
           count(*) OVER (PARTITION BY candidate_id) AS n
    FROM {assessment}
), pairs AS (
    SELECT candidate_id,
           max(id) FILTER (WHERE from_first = 1) AS first_id,
           max(id) FILTER (WHERE from_last = 1) AS last_id
    FROM ranked WHERE n >= 2 GROUP BY candidate_id
), compared AS (
    SELECT p.candidate_id, f.domain, l.score > f.score AS up, l.score < f.score AS down
    FROM pairs p
    JOIN {score} f ON f.assessment_id = p.first_id
    JOIN {score} l ON l.assessment_id = p.last_id AND l.domain = f.domain
)
SELECT NULL AS domain, (SELECT count(*) FROM pairs) AS compared,
       count(DISTINCT candidate_id) FILTER (WHERE up) AS improved, 0 AS worsened
FROM compared
UNION ALL
SELECT domain, count(*), count(*) FILTER (WHERE up), count(*) FILTER (WHERE down)
FROM compared GROUP BY domain
"""


def zrm_progress() -> ZrmProgress:
    """ZRM progress of all candidates of the municipality (latest vs first assessment). One
    query."""
    with connection.cursor() as cursor:
        cursor.execute(_ZRM_SQL.format(assessment=_table(ZrmAssessment), score=_table(ZrmScore)))
        rows = cursor.fetchall()
    assessed = improved = 0
    per_domain: dict[int, tuple[int, int, int]] = {}
    for domain, compared, up, down in rows:
        if domain is None:
            assessed, improved = compared, up
        else:
            per_domain[domain] = (compared, up, down)
    domains = [DomainShare(number, name, *per_domain.get(number, (0, 0, 0)))
               for number, name in ZRM_DOMAIN_CHOICES]
    return ZrmProgress(assessed=assessed, improved=improved, domains=domains)


@dataclass(frozen=True)
class LadderMovement:
    """Candidates whose rung on the participation ladder went up, stayed the same or went
    down during the period: from their rung when the period started (their latest step before
    the start, else their first step inside the period) to their latest step in the period.
    Only candidates with a step inside the period and two rungs to compare count."""

    up: int
    same: int
    down: int

    @property
    def total(self) -> int:
        return self.up + self.same + self.down

    def share(self, which: str) -> float | None:
        return getattr(self, which) / self.total if self.total else None


_LADDER_SQL = """
WITH steps AS (
    SELECT id, candidate_id, rung, "on" FROM {step} WHERE "on" <= %(last)s
), base AS (
    SELECT DISTINCT ON (candidate_id) candidate_id, rung FROM steps WHERE "on" < %(start)s
    ORDER BY candidate_id, "on" DESC, id DESC
), first_in AS (
    SELECT DISTINCT ON (candidate_id) candidate_id, id, rung FROM steps WHERE "on" >= %(start)s
    ORDER BY candidate_id, "on", id
), last_in AS (
    SELECT DISTINCT ON (candidate_id) candidate_id, id, rung FROM steps WHERE "on" >= %(start)s
    ORDER BY candidate_id, "on" DESC, id DESC
), moves AS (
    SELECT l.rung - COALESCE(b.rung, f.rung) AS change
    FROM last_in l JOIN first_in f USING (candidate_id) LEFT JOIN base b USING (candidate_id)
    WHERE b.candidate_id IS NOT NULL OR f.id <> l.id
)
SELECT count(*) FILTER (WHERE change > 0), count(*) FILTER (WHERE change = 0),
       count(*) FILTER (WHERE change < 0)
FROM moves
"""


def ladder_movement(period: Period, *, today: date | None = None) -> LadderMovement:
    """Ladder movement during the period up to today (see `LadderMovement`). One query."""
    last = min(period.end, today or timezone.localdate())
    if last < period.start:
        return LadderMovement(0, 0, 0)
    with connection.cursor() as cursor:
        cursor.execute(_LADDER_SQL.format(step=_table(LadderStep)),
                       {"start": period.start, "last": last})
        up, same, down = cursor.fetchone()
    return LadderMovement(up=up, same=same, down=down)
