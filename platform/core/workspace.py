"""What every workspace view shares, whatever the feature: the `workspace_view` decorator (the
`accounts.access_workspace` permission), running a service with a form's data (`submit`: its
validation errors and a stale edit land on the form), and pagination (`paginate`,
`query_without_page`).

Services that refuse an edit made on an old version raise `StaleEdit` (optimistic locking);
`submit` explains it on the form. The core imports no feature: only Django and `core`."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

PAGE_SIZE = 25


class StaleEdit(Exception):
    """Someone else saved the record after this edit started."""


def stale_edit_message() -> str:
    return _("Someone else changed this record in the meantime. Your changes were not saved "
             "but are still in the form: compare them with the new version and save again.")


def workspace_view(view: Callable) -> Callable:
    """Logged in, and a relationship manager or coordinator."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm("accounts.access_workspace"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def paginate(request: HttpRequest, queryset, size: int = PAGE_SIZE) -> Page:
    """The page of `queryset` named by the `pagina` parameter (the first if absent or wrong)."""
    paginator = Paginator(queryset, size)
    return paginator.get_page(request.GET.get("pagina"))


def query_without_page(request: HttpRequest) -> str:
    """The query string without `pagina`, for the pagination links."""
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


def submit(form: Form, action: Callable[[], Any], *,
           reload: Callable[[], Model] | None = None) -> Any:
    """Run a service with a valid form's data. Its validation errors land on the form, and a
    stale edit is explained with the record as it is now (`reload`); then None is returned
    (services return what they saved, never None)
    and the page is shown again with everything the user typed."""
    try:
        return action()
    except StaleEdit:
        explain_stale_edit(form, reload())
    except ValidationError as error:
        add_service_errors(form, error)
    return None


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Put a service's validation errors on the form fields (or on top if not a field)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def explain_stale_edit(form: Form, current: Model) -> None:
    """Someone saved in the meantime: keep the user's input, say what changed, and let a
    second save (deliberately) go through on top of the new version."""
    changed = []
    for name in form.fields:
        if name == "version" or name not in form.cleaned_data:
            continue
        if not hasattr(current, name):
            continue
        theirs = getattr(current, name)
        theirs = getattr(theirs, "pk", theirs)
        mine = form.cleaned_data[name]
        mine = getattr(mine, "pk", mine)
        if theirs != mine and not (theirs in (None, "") and mine in (None, "")):
            changed.append(str(form.fields[name].label))
    message = stale_edit_message()
    if changed:
        message += " " + _("Different now: %(fields)s.") % {"fields": ", ".join(changed)}
    form.add_error(None, message)
    data = form.data.copy()
    data["version"] = str(current.version)
    form.data = data
