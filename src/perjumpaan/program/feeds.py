"""Calendar feeds (iCalendar, RFC 5545): the gatherings in the calendar app people already look at.

Two feeds, each at a secret address (`CalendarToken`) because calendar apps cannot log in:

- the **personal** feed (`/kalender/saya/<token>.ics`): the gatherings of the owner's office and track,
  titled "Kultum: Anda bertugas" when it is their turn;
- the **office** feed (`/kalender/opd/<token>.ics`), for its coordinators: every gathering of the office.

A feed shows only what its owner may see *now*, read through the scoping as that user: a token whose owner
left the office, lost the role, was deactivated, or is a demo account on a production system, shows
nothing (404), as does a revoked or unknown token.

Events are every gathering from `PAST_DAYS` ago to `FUTURE_DAYS` ahead. Cancelled ones stay in the feed
with STATUS:CANCELLED so that subscribed phones drop them; each keeps its UID (`gathering-<pk>@perjumpaan`)
for good, so an edited gathering replaces itself instead of appearing twice. Times are written in UTC,
which every calendar app converts to the phone's own zone.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from typing import Any

import icalendar
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perjumpaan.core.scoping import access_for, can
from perjumpaan.core.timeutil import zone
from perjumpaan.org.models import Employee, Office
from perjumpaan.program import selectors
from perjumpaan.program.models import AgendaItem, CalendarToken, Gathering

PAST_DAYS = 60
FUTURE_DAYS = 370
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")
PRODID = "-//Perjumpaan//Kalender Perjumpaan//ID"
# How often calendar apps are asked to fetch again (those that honour it; Google decides for itself).
REFRESH = dt.timedelta(hours=3)


# --- Tokens -----------------------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)  # 43 characters, 256 bits


def calendar_token_for(*, user: Any, office: Office | None = None) -> CalendarToken:
    """The user's current token for their personal feed (`office` None) or for `office`'s feed, issued
    the first time it is asked for."""
    current = CalendarToken.objects.filter(user=user, office=office, revoked=False).first()
    if current is not None:
        return current
    try:
        with transaction.atomic():
            token = CalendarToken(user=user, office=office, token=_new_token())
            token.full_clean()
            token.save()
            return token
    except IntegrityError:
        # Issued by a simultaneous request (two tabs opening the page at once): use that one.
        return CalendarToken.objects.get(user=user, office=office, revoked=False)


@transaction.atomic
def calendar_token_regenerate(*, user: Any, office: Office | None = None) -> CalendarToken:
    """Revoke the user's current token for this feed (its address stops working at once) and issue a
    new one."""
    CalendarToken.objects.filter(user=user, office=office, revoked=False).update(revoked=True)
    token = CalendarToken(user=user, office=office, token=_new_token())
    token.full_clean()
    token.save()
    return token


def token_owner_usable(user: Any) -> bool:
    return bool(user.is_active) and not (user.is_demo and not settings.DEBUG)


def _resolve(token: str, *, personal: bool) -> CalendarToken | None:
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    row = (
        CalendarToken.objects.select_related("user", "office__government")
        .filter(token=token, revoked=False, office__isnull=personal)
        .first()
    )
    if row is None or not token_owner_usable(row.user):
        return None
    return row


# --- Feeds ------------------------------------------------------------------------------------------


def _window(tz: Any) -> tuple[dt.date, dt.date]:
    today = timezone.now().astimezone(tz).date()
    return today - dt.timedelta(days=PAST_DAYS), today + dt.timedelta(days=FUTURE_DAYS)


def office_feed(*, token: str, site: str) -> bytes | None:
    """The office feed behind `token`, or None when the token does not (or no longer) open it. `site` is
    the absolute root URL ("https://perjumpaan.example.go.id/") for the links in the events."""
    row = _resolve(token, personal=False)
    if row is None or row.office is None:
        return None
    office, user = row.office, row.user
    if not office.is_active or not can(user, office):
        return None
    start, end = _window(zone(office.government.time_zone))
    gatherings = list(selectors.gathering_list(user=user, office=office, start=start, end=end))
    several_tracks = len({g.track for g in gatherings}) > 1
    events = [
        _event(
            gathering,
            summary=_("Perjumpaan {office}").format(office=office.code),
            several_tracks=several_tracks,
            site=site,
        )
        for gathering in gatherings
    ]
    return _calendar(_("Perjumpaan {office}").format(office=office.code), events, office)


def personal_feed(*, token: str, site: str) -> bytes | None:
    """The personal feed behind `token`: the owner's office and track, their turns marked."""
    row = _resolve(token, personal=True)
    if row is None:
        return None
    user = row.user
    employee_id = access_for(user).employee_id
    if employee_id is None:
        return None
    employee = Employee.objects.select_related("office__government").get(pk=employee_id)
    office = employee.office
    start, end = _window(zone(office.government.time_zone))
    gatherings = selectors.gathering_list(user=user, office=office, start=start, end=end).filter(
        track=employee.track or Employee.Track.ISLAM
    )
    events = []
    for gathering in gatherings:
        mine = next((item for item in gathering.agenda.all() if item.employee_id == employee.pk), None)
        summary = (
            _("{part}: Anda bertugas").format(part=mine.get_kind_display())
            if mine is not None
            else _("Perjumpaan {office}").format(office=office.code)
        )
        events.append(_event(gathering, summary=summary, several_tracks=False, site=site))
    return _calendar(_("Perjumpaan {office} (saya)").format(office=office.code), events, office)


def _agenda_line(item: AgendaItem) -> str:
    line = _("{part} ({minutes} menit)").format(part=item.get_kind_display(), minutes=item.minutes)
    who = [
        part
        for part in (
            item.employee.name if item.employee else "",
            str(item.speaker) if item.speaker else "",
            item.lesson.title if item.lesson else "",
        )
        if part
    ]
    return f"{line}: {', '.join(who)}" if who else line


def _event(gathering: Gathering, *, summary: str, several_tracks: bool, site: str) -> icalendar.Event:
    office = gathering.office
    cancelled = gathering.status == Gathering.Status.CANCELLED
    if gathering.title:
        summary = f"{summary} · {gathering.title}"
    if several_tracks:
        summary = f"{summary} ({gathering.get_track_display()})"
    if cancelled:
        summary = _("Dibatalkan: {summary}").format(summary=summary)

    description = []
    if cancelled:
        description += [_("Dibatalkan: {reason}").format(reason=gathering.cancel_reason), ""]
    description += [_agenda_line(item) for item in gathering.agenda.all()]
    monday = gathering.date - dt.timedelta(days=gathering.date.weekday())
    year, week, _weekday = monday.isocalendar()
    url = site.rstrip("/") + reverse("program:week", kwargs={"office_code": office.code})
    url += f"?w={year}-W{week:02d}"

    event = icalendar.Event()
    event.add("uid", f"gathering-{gathering.pk}@perjumpaan")
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", gathering.start.astimezone(dt.UTC))
    event.add("dtend", gathering.end.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("location", f"{gathering.place}, {office.name}" if gathering.place else office.name)
    event.add("description", "\n".join(description).strip())
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("url", url)
    return event


def _calendar(name: str, events: Iterable[icalendar.Event], office: Office) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", office.government.time_zone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    for event in events:
        calendar.add_component(event)
    return bytes(calendar.to_ical())
