"""Calendar entries (.ics, RFC 5545/5546) for meetups, attached to the e-mails.

One meetup keeps one UID for its whole life, so a calendar replaces the entry when the time
changes (same UID, higher SEQUENCE) and removes it on METHOD:CANCEL. The sequence comes from
`meetup.updated_at` (`meetup_sequence`): every change of the meetup raises it, and two mails
about the same state carry the same number.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.schemas import current_schema

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
METHODS = ("REQUEST", "PUBLISH", "CANCEL")


def meetup_uid(meetup) -> str:
    """Stable per meetup and per municipality (a pk alone repeats across schemas)."""
    return f"meetup-{meetup.pk}@{current_schema()}.werktop"


def meetup_sequence(meetup) -> int:
    """Grows with every saved change of the meetup (seconds since 1970: fits 32 bits)."""
    return int(meetup.updated_at.timestamp())


def meetup_location(meetup) -> str:
    place = ", ".join(part for part in (meetup.location_name, meetup.address) if part)
    return place or meetup.online_link


def _description(meetup, url: str) -> str:
    lines = []
    if meetup.theme:
        lines.append(_("Theme: %(theme)s") % {"theme": meetup.theme})
    if meetup.description:
        lines.append(meetup.description)
    if meetup.online_link and meetup.online_link != meetup_location(meetup):
        lines.append(_("Online: %(link)s") % {"link": meetup.online_link})
    if meetup.accessibility_notes:
        lines.append(_("Accessibility: %(notes)s") % {"notes": meetup.accessibility_notes})
    if url:
        lines.append(_("Your registration: %(url)s") % {"url": url})
    return "\n\n".join(lines)


def _address_only(from_email: str) -> str:
    return from_email.rsplit("<", 1)[-1].rstrip(">").strip()


def meetup_calendar(meetup, *, method: str = "REQUEST", sequence: int,
                    attendee: str = "", url: str = "") -> bytes:
    """The calendar entry of `meetup` as bytes (UTF-8, CRLF lines).

    REQUEST puts it in the recipient's calendar (or moves it: pass a higher `sequence`),
    CANCEL removes it, PUBLISH is a plain entry for downloading. `attendee` is the recipient's
    own address (REQUEST and CANCEL need one); `url` their personal page, if any."""
    if method not in METHODS:
        raise ValueError(f"unknown calendar method {method!r}")
    if meetup.starts_at is None:
        raise ValueError("a meetup without a date has no calendar entry")
    with translation.override("nl"):
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Werktop//Prettig gesprek//NL")
        calendar.add("version", "2.0")
        calendar.add("method", method)
        event = icalendar.Event()
        event.add("uid", meetup_uid(meetup))
        event.add("sequence", sequence)
        event.add("dtstamp", timezone.now())
        event.add("dtstart", timezone.localtime(meetup.starts_at, AMSTERDAM))
        event.add("dtend", timezone.localtime(meetup.ends_at, AMSTERDAM))
        event.add("summary", _("Meetup: %(title)s") % {"title": meetup.title})
        event.add("location", meetup_location(meetup))
        event.add("description", _description(meetup, url))
        if meetup.online_link:
            event.add("url", meetup.online_link)
        event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
        event.add("transp", "OPAQUE")
        event.add("organizer", f"mailto:{_address_only(settings.DEFAULT_FROM_EMAIL)}",
                  parameters={"CN": "Werktop"})
        if attendee:
            event.add("attendee", f"mailto:{attendee}",
                      parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"})
        calendar.add_component(event)
        # Only the daylight-saving rules around this date: a compact VTIMEZONE.
        day = meetup.starts_at.date()
        calendar.add_missing_timezones(first_date=day - timedelta(days=366),
                                       last_date=day + timedelta(days=366))
        return calendar.to_ical()
