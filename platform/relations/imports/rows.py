"""What the employer and candidate imports share: parsing the mapped cells of every row,
collecting per-row errors, and validating a model instance without a query per row.

An importer works in two steps. `check(table)` parses and validates every row (two queries to
fetch the records the file refers to, none per row) and fills `errors`. Only when there are no
errors does the caller run `write()`, which saves everything with bulk queries and sets every
field the services would have set.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .fields import MODELS, Column, Parser, columns_for, labels_for
from .files import Table

ProgressCallback = Callable[[int], None]
PROGRESS_EVERY = 100


def workspace_owners() -> dict[str, int]:
    """{lower-case e-mail address: user id} of the active workspace users of this schema:
    relationship managers and coordinators (the same test as `accounts.access_workspace`)."""
    perm = {"codename": "access_workspace", "content_type__app_label": "accounts"}
    workspace = (Q(**{f"groups__permissions__{k}": v for k, v in perm.items()})
                 | Q(**{f"user_permissions__{k}": v for k, v in perm.items()})
                 | Q(is_superuser=True))
    users = get_user_model().objects.filter(workspace, is_active=True)
    return {email.lower(): pk for email, pk in users.values_list("email", "pk").distinct()}


def model_field_names(model: type[models.Model]) -> list[str]:
    return [field.name for field in model._meta.concrete_fields]


class Importer:
    """Base class; see EmployerImport and CandidateImport."""

    kind = ""

    def __init__(self, *, user, mapping: dict[str, int], lock: bool = False,
                 progress: ProgressCallback | None = None) -> None:
        self.user = user
        self.model = MODELS[self.kind]
        self.mapping = {name: int(index) for name, index in mapping.items()}
        self.columns: list[Column] = [c for c in columns_for(self.kind) if c.name in mapping]
        self.lock = lock  # inside the import transaction: lock the records it will change
        self.progress = progress or (lambda done: None)
        self.labels = labels_for(self.kind)
        self.parser = Parser(self.kind, workspace_owners())
        self.errors: list[dict[str, Any]] = []
        self.rows_checked = 0

    # --- errors ------------------------------------------------------------------------

    def add_error(self, row: int | None, field: str, message: str) -> None:
        self.errors.append({"row": row, "field": field, "label": self.labels.get(field, ""),
                            "message": str(message)})

    def add_validation_error(self, row: int, error: ValidationError,
                             fields: dict[str, str] | None = None,
                             skip: Iterable[str] = ()) -> None:
        """Record a model's ValidationError; `fields` renames model fields to columns."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(row, "", message)
            return
        for field, messages in error.message_dict.items():
            column = (fields or {}).get(field, field)
            if column in skip:
                continue
            for message in messages:
                self.add_error(row, "" if column == "__all__" else column, message)

    @property
    def rows_with_errors(self) -> set[int]:
        return {error["row"] for error in self.errors if error["row"] is not None}

    # --- checking ----------------------------------------------------------------------

    def parse_row(self, number: int, cells: list[Any]) -> tuple[dict[str, Any], set[str]]:
        """The values of the mapped, non-empty cells, and the columns that could not be read."""
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for column in self.columns:
            index = self.mapping[column.name]
            raw = cells[index] if 0 <= index < len(cells) else None
            try:
                value = self.parser.parse(column, raw)
            except ValidationError as error:
                failed.add(column.name)
                for message in error.messages:
                    self.add_error(number, column.name, message)
                continue
            if value is not None:
                values[column.name] = value
        return values, failed

    def check(self, table: Table) -> None:
        parsed = [(number, *self.parse_row(number, cells)) for number, cells in table.rows]
        self.prefetch([values for _number, values, _failed in parsed])
        for done, (number, values, failed) in enumerate(parsed, start=1):
            self.check_row(number, values, failed)
            self.rows_checked = done
            if done % PROGRESS_EVERY == 0:
                self.progress(done)
        self.progress(len(parsed))
        self.errors.sort(key=lambda e: (e["row"] is not None, e["row"] or 0))

    def full_clean(self, row: int, obj: models.Model, *, only: set[str] | None,
                   failed: set[str], exclude: Iterable[str] = ()) -> bool:
        """Validate with the model's own validators and messages. Uniqueness is checked by
        the importer against what it fetched (no query per row); `only` limits validation
        to the fields the row changes (an existing record's other fields are left alone)."""
        skip = set(exclude) | set(failed)
        if only is not None:
            skip |= {name for name in model_field_names(type(obj)) if name not in only}
        try:
            obj.full_clean(exclude=sorted(skip), validate_unique=False,
                           validate_constraints=False)
        except ValidationError as error:
            self.add_validation_error(row, error, skip=failed)
            return False
        return True

    # --- to implement ------------------------------------------------------------------

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def check_row(self, number: int, values: dict[str, Any], failed: set[str]) -> None:
        raise NotImplementedError

    def write(self) -> tuple[int, int, int]:
        """Save everything; return (created, updated, unchanged)."""
        raise NotImplementedError


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {field: getattr(obj, field) for field in fields}


def changed_fields(obj: models.Model, before: dict[str, Any]) -> set[str]:
    """The model fields (`owner`, not `owner_id`) whose value differs from `before`."""
    return {name.removesuffix("_id") for name, value in before.items()
            if getattr(obj, name) != value}


UPDATE_BATCH = 100  # bulk_update writes one CASE per field: small batches stay fast


def bulk_update_changed(model: type[models.Model], objects: list[models.Model],
                        fields: set[str]) -> None:
    """Save the changed fields of `objects` (plus version and updated_at) in a few queries."""
    if objects:
        model.objects.bulk_update(objects, sorted(fields | {"version", "updated_at"}),
                                  batch_size=UPDATE_BATCH)
