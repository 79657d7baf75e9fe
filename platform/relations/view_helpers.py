"""Small helpers the workspace views share."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .forms import ContactMomentForm, DoneForm, NextActionForm
from .services import StaleEdit, stale_edit_message

PAGE_SIZE = 25


def workspace_view(view: Callable) -> Callable:
    """Logged in, and a relationship manager or coordinator."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm("accounts.access_workspace"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def relation_context(request: HttpRequest, relation, **forms) -> dict:
    """What the detail page of an employer or a candidate shows of its timeline and actions
    (forms passed in are bound ones with errors, shown again)."""
    return {
        "timeline": selectors.timeline(relation),
        "actions": selectors.open_actions(relation),
        "moment_form": forms.get("moment_form") or ContactMomentForm(),
        "action_form": forms.get("action_form") or NextActionForm(user=request.user),
        "done_form": DoneForm(),
        "today": timezone.localdate(),
    }


def paginate(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    paginator = Paginator(queryset, size)
    return paginator.get_page(request.GET.get("pagina"))


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


def submit(form: Form, action: Callable[[], Any], *, reload: Callable[[], Model] | None = None):
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
