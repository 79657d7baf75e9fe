"""Opening one record of personal data by its number: the one lookup every screen, the API
and every action use.

A record outside the user's reach (a colleague's unshared candidate, an import job of
someone else) does not exist for them: the answer is a 404, exactly as for a number that
does not exist, so nothing is given away. But the attempt is a security event: it is written
to the audit trail as "refused" (who, which type and number, from where, and through which
page: the URL name), so a security officer sees someone trying colleagues' files one by one.
A number that does not exist at all is recorded too, marked "bestaat niet".
"""

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from audit.services import record

from . import selectors
from .models import Candidate

M = TypeVar("M", bound=Model)

LOOKUP_ERRORS = (ObjectDoesNotExist, ValueError, TypeError, OverflowError, ValidationError)


def _where(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.url_name or "") if match is not None else ""


def object_exists(model: type[Model], pk: object) -> bool:
    try:
        return model._base_manager.filter(pk=pk).exists()
    except LOOKUP_ERRORS:
        return False


def record_refusal(request: HttpRequest, object_type: str, pk: object, *,
                   exists: bool = True, detail: str = "") -> None:
    """Write the refused attempt to the audit trail (no personal data: type and number)."""
    where = detail or _where(request)
    record("refused", object_type, pk, request=request,
           detail=where if exists else f"{where} (bestaat niet)".strip())


def visible_or_404(request: HttpRequest, queryset: QuerySet[M], pk: object, *,
                   object_type: str, detail: str = "") -> M:
    """The object `pk` from `queryset`, which holds only what the user may see; otherwise
    the refusal is recorded and Http404 raised."""
    try:
        return queryset.get(pk=pk)
    except LOOKUP_ERRORS:
        record_refusal(request, object_type, pk, exists=object_exists(queryset.model, pk),
                       detail=detail)
        raise Http404 from None


def candidate_or_404(request: HttpRequest, pk: object, *, select_related: tuple[str, ...] = (),
                     detail: str = "") -> Candidate:
    """A candidate of the user's portfolio (or shared with them, or any for a coordinator)."""
    visible = selectors.visible_candidates(request.user)
    if select_related:
        visible = visible.select_related(*select_related)
    return visible_or_404(request, visible, pk, object_type="candidate", detail=detail)
