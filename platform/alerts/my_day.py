"""The workspace's start page, "my day": the user's open actions (relations) with their open
signals on top. It lives with the signals, the higher of the two rooms (docs/architecture.md)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workspace import workspace_view
from relations import selectors as relation_selectors
from relations.forms import DoneForm

from .selectors import open_signals

MY_DAY_SIGNALS = 10


@workspace_view
def my_day(request: HttpRequest) -> HttpResponse:
    """Open actions of the user: overdue first, then today, then later."""
    today = timezone.localdate()
    actions = list(relation_selectors.my_day(request.user))
    groups = [
        ("overdue", _("Overdue"), [a for a in actions if a.due_on < today]),
        ("today", _("Today"), [a for a in actions if a.due_on == today]),
        ("later", _("Later"), [a for a in actions if a.due_on > today]),
    ]
    # Open signals on top: one query, at most MY_DAY_SIGNALS (the rest on the signal list).
    signals = list(open_signals(request.user)[:MY_DAY_SIGNALS + 1])
    return render(request, "alerts/my_day.html", {
        "groups": groups, "today": today, "done_form": DoneForm(), "count": len(actions),
        "signals": signals[:MY_DAY_SIGNALS], "more_signals": len(signals) > MY_DAY_SIGNALS})
