"""A candidate's rights: a copy of their data (JSON) and erasure; the retention period."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import record
from core.files import private_storage, stored_names
from tenants.current import current_municipality

from .imports.models import ImportJob
from .imports.services import discard_file
from .models import Candidate


def _moment(m) -> dict[str, Any]:
    return {"soort": m.kind, "wanneer": m.occurred_at.isoformat(), "samenvatting": m.summary}


def export_candidate_data(candidate: Candidate, *, by, request=None) -> dict[str, Any]:
    """Everything the municipality keeps about one candidate, for a request under the GDPR."""
    record("export", "candidate", candidate.pk, actor=by, request=request, detail="inzage (JSON)")
    return {
        "kandidaat": {
            "voornaam": candidate.first_name,
            "achternaam": candidate.last_name,
            "e-mail": candidate.email,
            "telefoon": candidate.phone,
            "geboortejaar": candidate.year_of_birth,
            "postcode": candidate.postcode,
            "talen": candidate.languages,
            "rijbewijs": candidate.driving_licence,
            "uren_per_week": candidate.hours_per_week,
            "dagen": candidate.days_available,
            "reisafstand_km": candidate.travel_radius_km,
            "talenten": candidate.talents,
            "interesses": candidate.interests,
            "voorkeurssectoren": candidate.preferred_sectors,
            "status": candidate.status,
            "in_traject_sinds": candidate.programme_start.isoformat()
            if candidate.programme_start else None,
            "participatieladder": candidate.ladder_rung,
            "klantnummer": candidate.client_reference,
            "cv": bool(candidate.cv),
            "aangemaakt": candidate.created_at.isoformat(),
            "gewijzigd": candidate.updated_at.isoformat(),
        },
        "participatieladder_geschiedenis": [
            {"trede": s.rung, "datum": s.on.isoformat()} for s in candidate.ladder.all()],
        "zrm": [
            {"datum": a.assessed_on.isoformat(),
             "scores": {str(s.domain): s.score for s in a.scores.all()}}
            for a in candidate.zrm.prefetch_related("scores")],
        "contactmomenten": [_moment(m) for m in candidate.contactmoments.all()],
        "acties": [
            {"wat": a.description, "datum": a.due_on.isoformat(),
             "afgerond": a.done_at.isoformat() if a.done_at else None}
            for a in candidate.nextactions.all()],
    }


@transaction.atomic
def erase_candidate(candidate_id: int, *, by=None, reason: str, request=None) -> bool:
    """Delete a candidate with their whole file (timeline, actions, ZRM, ladder, CV).
    The audit log keeps only the number, the reason and who did it. Idempotent."""
    candidate = Candidate.objects.select_for_update().filter(pk=candidate_id).first()
    if candidate is None:
        return False
    if candidate.cv:
        candidate.cv.delete(save=False)
    candidate.delete()
    record("erase", "candidate", candidate_id, actor=by, request=request, detail=reason)
    return True


def expired_candidates():
    municipality = current_municipality()
    # Months counted as 31 days: a file is never deleted before its period has passed.
    cutoff = timezone.now() - timedelta(days=31 * municipality.candidate_retention_months)
    return Candidate.objects.filter(status=Candidate.Status.CLOSED, closed_at__lt=cutoff)


def delete_expired_candidate_files() -> int:
    """Erase closed files past the municipality's retention period. Returns how many."""
    erased = 0
    for pk in expired_candidates().values_list("pk", flat=True):
        erased += erase_candidate(pk, reason="bewaartermijn verstreken")
    return erased


# An upload whose transaction never committed (a crash, a failed save) leaves a file no row
# names; after this long nobody can still be committing it.
ORPHAN_AFTER = timedelta(hours=1)


def delete_orphaned_files() -> int:
    """Delete private files (CVs, import spreadsheets) that no row refers to any more: earlier
    versions, uploads of a failed save. Returns how many. Part of the daily retention run."""
    referenced = {
        "cv": set(Candidate.objects.exclude(cv="").values_list("cv", flat=True)),
        "imports": set(ImportJob.objects.exclude(file="").values_list("file", flat=True)),
    }
    removed = 0
    for folder, names in referenced.items():
        for name in stored_names(folder, older_than=ORPHAN_AFTER):
            if name not in names:
                private_storage.delete(name)
                removed += 1
    return removed


ABANDONED_IMPORT_DAYS = 7


def delete_abandoned_import_files() -> int:
    """Spreadsheets of imports nobody finished are personal data too: gone after a week; so are
    private files no row refers to. Returns how many files were deleted."""
    cutoff = timezone.now() - timedelta(days=ABANDONED_IMPORT_DAYS)
    jobs = list(ImportJob.objects.filter(created_at__lt=cutoff).exclude(file=""))
    for job in jobs:
        discard_file(job)
    return len(jobs) + delete_orphaned_files()
