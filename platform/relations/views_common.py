"""What the relations views share beyond the core's workspace helpers (`core.workspace`)."""

from django.http import HttpRequest
from django.utils import timezone

from . import selectors
from .forms import ContactMomentForm, DoneForm, NextActionForm


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
