"""What a signal says, in the user's language (built when shown, never stored)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from targets.progress import LABELS

from .kinds import Kind

if TYPE_CHECKING:
    from .models import Signal


def _day(value: str | None) -> str:
    return date_format(date.fromisoformat(value), "j F Y") if value else ""


def _target_label(key: str) -> str:
    return str(LABELS.get(key, key))


def describe(signal: Signal) -> str:
    """One sentence. Needs `candidate`, `employer` and `opportunity` selected along."""
    data = signal.data or {}
    name = signal.candidate.full_name if signal.candidate_id else ""
    employer = signal.employer.name if signal.employer_id else ""
    if signal.kind == Kind.PROGRAMME_9_MONTHS:
        return _("%(name)s has been in the programme for nine months (since %(date)s) without "
                 "an offer. Make an offer within twelve months.") % {
            "name": name, "date": _day(data.get("since"))}
    if signal.kind == Kind.PROGRAMME_12_MONTHS:
        return _("%(name)s has been in the programme for twelve months (since %(date)s) "
                 "without an offer. Escalated to the coordinator.") % {
            "name": name, "date": _day(data.get("since"))}
    if signal.kind == Kind.FOLLOW_UP_DUE:
        return _("The six-month follow-up of the placement of %(name)s at %(employer)s is due "
                 "on %(date)s.") % {"name": name, "employer": employer,
                                     "date": _day(data.get("due_on"))}
    if signal.kind == Kind.NO_CONTACT:
        if data.get("had_contact"):
            return _("No contact with %(name)s for %(weeks)s weeks or more: the last contact "
                     "was on %(date)s.") % {"name": name, "weeks": data.get("weeks"),
                                             "date": _day(data.get("since"))}
        return _("No contact with %(name)s yet: entered on %(date)s, more than %(weeks)s "
                 "weeks ago.") % {"name": name, "weeks": data.get("weeks"),
                                  "date": _day(data.get("since"))}
    if signal.kind == Kind.OPPORTUNITY_WITHOUT_CANDIDATE:
        title = signal.opportunity.title if signal.opportunity_id else ""
        return _("%(employer)s has had the opportunity “%(title)s” open since "
                 "%(date)s and no candidate has been proposed yet.") % {
            "employer": employer, "title": title, "date": _day(data.get("since"))}
    figures = {"target": _target_label(data.get("target", "")), "count": data.get("count"),
               "goal": data.get("goal"), "expected": data.get("expected")}
    if signal.kind == Kind.TARGET_REACHED:
        return _("Target reached: %(count)s of %(goal)s %(target)s.") % figures
    if signal.kind == Kind.TARGET_BEHIND_PACE:
        return _("Behind pace: %(count)s of %(goal)s %(target)s, where %(expected)s were "
                 "expected by now.") % figures
    return signal.get_kind_display()
