"""Importing candidates. Matched on the municipality's client number, else on the e-mail
address (case-insensitive): a re-run updates instead of duplicating. A relationship manager
cannot change, through an import, a candidate in a colleague's portfolio."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Candidate, LadderStep
from ..services import candidate_search_text, normalise_candidate, set_closed_at
from .rows import Importer, bulk_update_changed, changed_fields, snapshot

FIELDS = ["first_name", "last_name", "email", "phone", "year_of_birth", "postcode",
          "languages", "driving_licence", "hours_per_week", "travel_radius_km", "talents",
          "interests", "status", "programme_start", "ladder_rung", "client_reference"]
COMPARED = [*FIELDS, "owner_id", "closed_at", "search_text"]
BATCH = 500


@dataclass
class Target:
    obj: Candidate
    new: bool
    before: dict[str, Any]
    previous_status: str | None
    previous_rung: int | None


class CandidateImport(Importer):
    kind = "candidates"

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        references = {row["client_reference"] for row in rows if row.get("client_reference")}
        emails = {row["email"].strip().upper() for row in rows if row.get("email")}
        candidates = Candidate.objects.annotate(email_upper=Upper("email")).filter(
            Q(client_reference__in=references) | Q(email_upper__in=emails)).order_by("pk")
        if self.lock:
            candidates = candidates.select_for_update(of=("self",))
        candidates = list(candidates)
        self.by_reference = {c.client_reference: c for c in candidates if c.client_reference}
        self.by_email: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            if candidate.email:
                self.by_email[candidate.email.upper()].append(candidate)
        if self.user.has_perm("accounts.view_all_candidates"):
            self.visible = {c.pk for c in candidates}
        else:
            shared = Candidate.shared_with.through.objects.filter(
                user_id=self.user.pk, candidate_id__in=[c.pk for c in candidates])
            self.visible = {c.pk for c in candidates if c.owner_id == self.user.pk}
            self.visible |= set(shared.values_list("candidate_id", flat=True))
        self.seen: dict[Any, int] = {}
        self.targets: list[Target] = []

    def _match(self, number: int, reference: str, email: str) -> tuple[Candidate | None, bool]:
        """The existing candidate this row is about; False when the row cannot be used."""
        if reference and reference in self.by_reference:
            return self.by_reference[reference], True
        if not email:
            return None, True
        # By e-mail address; someone with another client number is another person.
        same = [c for c in self.by_email.get(email.upper(), [])
                if not reference or not c.client_reference]
        if len(same) > 1:
            self.add_error(number, "email", _(
                "Several candidates have this e-mail address. Add their client number to "
                "say which one is meant."))
            return None, False
        return (same[0] if same else None), True

    def check_row(self, number: int, values: dict[str, Any], failed: set[str]) -> None:
        if values.get("name_prefix") and values.get("last_name"):
            values["last_name"] = f"{values['name_prefix']} {values['last_name']}"
        reference = values.get("client_reference", "")
        email = values.get("email", "").strip()
        existing, usable = self._match(number, reference, email)
        if not usable:
            return
        key = existing.pk if existing else (
            ("reference", reference) if reference else ("email", email.upper()) if email
            else ("row", number))
        if key in self.seen:
            self.add_error(number, "client_reference" if reference else "email",
                           _("This candidate is also in row %(row)s.") % {"row": self.seen[key]})
            return
        self.seen[key] = number
        if existing is not None and existing.pk not in self.visible:
            self.add_error(number, "client_reference" if reference else "email", _(
                "A candidate with this client number or e-mail address is in the portfolio "
                "of a colleague. Ask a coordinator to import this row."))
            return
        if existing is not None:
            target = Target(obj=existing, new=False, before=snapshot(existing, COMPARED),
                            previous_status=existing.status, previous_rung=existing.ladder_rung)
        else:
            target = Target(obj=Candidate(owner_id=self.user.pk), new=True, before={},
                            previous_status=None, previous_rung=None)
        candidate = target.obj
        for name in FIELDS:
            if name in values:
                setattr(candidate, name, values[name])
        if "owner" in values:
            candidate.owner_id = values["owner"]
        normalise_candidate(candidate)
        only = None if target.new else set(values) & set(FIELDS)
        if self.full_clean(number, candidate, only=only, failed=failed,
                           exclude=["owner", "cv", "search_text", "version", "closed_at"]):
            self.targets.append(target)

    # --- writing -----------------------------------------------------------------------

    def write(self) -> tuple[int, int, int]:
        now, today = timezone.now(), timezone.localdate()
        created, updated, steps = [], [], []
        unchanged, fields = 0, set()
        for target in self.targets:
            candidate = target.obj
            # As the services do: the date a file is closed, the search text, the ladder.
            set_closed_at(candidate, target.previous_status)
            candidate.search_text = candidate_search_text(candidate)
            if candidate.ladder_rung and candidate.ladder_rung != target.previous_rung:
                steps.append(LadderStep(candidate=candidate, rung=candidate.ladder_rung,
                                        on=today, recorded_by=self.user))
            if target.new:
                created.append(candidate)
            elif changed := changed_fields(candidate, target.before):
                fields |= changed
                candidate.version += 1
                candidate.updated_at = now
                updated.append(candidate)
            else:
                unchanged += 1
        Candidate.objects.bulk_create(created, batch_size=BATCH)
        bulk_update_changed(Candidate, updated, fields)
        LadderStep.objects.bulk_create(steps, batch_size=BATCH)
        return len(created), len(updated), unchanged
