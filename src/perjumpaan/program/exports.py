"""The office week, out of the system: the printable A4 schedule for the notice board and the roster as a
WhatsApp message.

Both are built from one `WeekSchedule`, read through the scoping, so the paper on the wall, the message in
the office group and the week page say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _

from perjumpaan.core.pdf import letterhead, qr_svg, render_pdf
from perjumpaan.core.timeutil import format_date, format_hijri, format_time, zone
from perjumpaan.org.models import Employee, Office
from perjumpaan.program import selectors
from perjumpaan.program.calendar import Calendar
from perjumpaan.program.models import AgendaItem, Gathering

WEEKLY_SCHEDULE_TEMPLATE = "program/pdf/weekly_schedule.typ"
# WhatsApp accepts long messages, but a roster longer than a phone screen or two is not read.
WHATSAPP_MAX_CHARS = 2000
# The parts a staff member looks for on the notice board: whose turn it is and what is taught.
MAIN_KINDS = frozenset({AgendaItem.Kind.KULTUM, AgendaItem.Kind.TAUSIAH, AgendaItem.Kind.MATERI})


@dataclass(frozen=True)
class AgendaLine:
    kind: str  # AgendaItem.Kind value
    label: str  # "Kultum"
    minutes: int
    who: str  # the staff member, guest speaker or lesson; "" when nobody is set yet


@dataclass(frozen=True)
class GatheringLine:
    gathering: Gathering
    start: str  # "12.30"
    end: str  # "13.15"
    zone: str  # "WITA"
    place: str
    track: str  # "Islam"
    title: str
    cancel_reason: str  # "" unless cancelled
    items: list[AgendaLine]

    @property
    def cancelled(self) -> bool:
        return self.gathering.status == Gathering.Status.CANCELLED

    def who(self, kind: str) -> str:
        return next((item.who for item in self.items if item.kind == kind and item.who), "")


@dataclass(frozen=True)
class ScheduleDay:
    date: dt.date
    label: str  # "Senin, 30 November 2026"
    hijri: str  # "19 Jumadilawal 1448 H"
    note: str  # why there is no gathering (a holiday's name), when there is none
    gatherings: list[GatheringLine]


@dataclass(frozen=True)
class WeekSchedule:
    office: Office
    monday: dt.date
    period: str  # "30 November – 4 Desember 2026"
    days: list[ScheduleDay]
    several_tracks: bool

    @property
    def gatherings(self) -> list[GatheringLine]:
        return [line for day in self.days for line in day.gatherings]


def _who(item: AgendaItem) -> str:
    parts = []
    if item.employee is not None:
        parts.append(item.employee.name)
    if item.speaker is not None:
        speaker = str(item.speaker)
        parts.append(f"{speaker} ({item.speaker.institution})" if item.speaker.institution else speaker)
    if item.lesson is not None:
        parts.append(item.lesson.title)
    return " · ".join(parts)


def _period(first: dt.date, last: dt.date) -> str:
    start = format_date(first, weekday=False)
    if first.year == last.year:
        start = start.removesuffix(f" {first.year}")
    return f"{start} – {format_date(last, weekday=False)}"


def week_schedule(*, user: Any, office: Office, monday: dt.date) -> WeekSchedule:
    """The office's gatherings of the week starting `monday`, as `user` may see them, day by day: the
    working days always, Saturday and Sunday only when something is held."""
    tz = zone(office.government.time_zone)
    sunday = monday + dt.timedelta(days=6)
    gatherings = list(selectors.gathering_list(user=user, office=office, start=monday, end=sunday))
    calendar = Calendar(office.government, monday, sunday, office=office)
    days: list[ScheduleDay] = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        todays = [g for g in gatherings if g.date == day]
        if not todays and offset >= 5:
            continue
        info = calendar.day(day)
        days.append(
            ScheduleDay(
                date=day,
                label=format_date(day),
                hijri=format_hijri(day),
                note=info.reason if not todays and not info.is_working_day else "",
                gatherings=[
                    GatheringLine(
                        gathering=g,
                        start=format_time(g.start, tz),
                        end=format_time(g.end, tz),
                        zone=g.start.astimezone(tz).tzname() or "",
                        place=g.place,
                        track=g.get_track_display(),
                        title=g.title,
                        cancel_reason=g.cancel_reason if g.status == Gathering.Status.CANCELLED else "",
                        items=[
                            AgendaLine(
                                kind=item.kind,
                                label=item.get_kind_display(),
                                minutes=item.minutes,
                                who=_who(item),
                            )
                            for item in g.agenda.all()
                        ],
                    )
                    for g in todays
                ],
            )
        )
    shown = [d.date for d in days]
    return WeekSchedule(
        office=office,
        monday=monday,
        period=_period(shown[0], shown[-1]),
        days=days,
        several_tracks=len({g.track for g in gatherings}) > 1,
    )


# --- WhatsApp --------------------------------------------------------------------------------------


def _whatsapp_text(schedule: WeekSchedule) -> str:
    # The office group is everybody's, and not everybody is Muslim: the Islamic greeting only when every
    # gathering of the week is of the Islam track.
    islamic = all(line.gathering.track == Employee.Track.ISLAM for line in schedule.gatherings)
    lines = [
        _("Assalamu'alaikum warahmatullahi wabarakatuh.") if islamic else _("Salam sejahtera."),
        _("Bapak/Ibu, berikut jadwal Perjumpaan {office} pekan {period}:").format(
            office=schedule.office.name, period=schedule.period
        ),
    ]
    for day in schedule.days:
        lines += ["", f"*{day.label}*"]
        if not day.gatherings:
            lines.append(
                _("Tidak ada perjumpaan ({reason}).").format(reason=day.note)
                if day.note
                else _("Tidak ada perjumpaan.")
            )
        for line in day.gatherings:
            heading = f"{line.start}–{line.end} {line.zone} · {line.place}"
            if schedule.several_tracks:
                heading += f" ({line.track})"
            lines.append(heading)
            if line.title:
                lines.append(line.title)
            if line.cancelled:
                lines.append(_("DIBATALKAN: {reason}").format(reason=line.cancel_reason))
                continue
            if any(item.kind == AgendaItem.Kind.KULTUM for item in line.items):
                giver = line.who(AgendaItem.Kind.KULTUM) or _("belum ditentukan")
                lines.append(_("Kultum: {who}").format(who=giver))
            if speaker := line.who(AgendaItem.Kind.TAUSIAH):
                lines.append(_("Tausiah: {who}").format(who=speaker))
            if lesson := line.who(AgendaItem.Kind.MATERI):
                lines.append(_("Materi: {lesson}").format(lesson=lesson))
    lines += ["", _("Wassalam.") if islamic else _("Terima kasih.")]
    text = "\n".join(lines)
    if len(text) > WHATSAPP_MAX_CHARS:
        text = text[: WHATSAPP_MAX_CHARS - 1].rstrip() + "…"
    return text


def week_whatsapp_text(office: Office, monday: dt.date, *, user: Any) -> str:
    """The week's roster as a ready-to-send WhatsApp message (plain text, WhatsApp's *bold* for days)."""
    return _whatsapp_text(week_schedule(user=user, office=office, monday=monday))


def whatsapp_link(text: str) -> str:
    """A wa.me link that opens WhatsApp with `text` typed in, for the user to pick the chat."""
    return "https://wa.me/?text=" + quote(text, safe="")


# --- The printable weekly schedule -----------------------------------------------------------------


def weekly_schedule_pdf(*, user: Any, office: Office, monday: dt.date, week_url: str) -> bytes:
    """The A4 schedule of the week for the notice board, with a QR code to `week_url` (the week page)."""
    schedule = week_schedule(user=user, office=office, monday=monday)
    tz = zone(office.government.time_zone)
    now = timezone.now().astimezone(tz)
    # "Materi Sekolah Perjumpaan" is the agenda's full name; on paper a word is enough.
    short_labels: dict[str, str] = {AgendaItem.Kind.MATERI: _("Materi")}
    data = {
        "title": _("Jadwal Perjumpaan"),
        "period": _("Pekan {period}").format(period=schedule.period),
        "letterhead": letterhead(office=office),
        "footer": _("Dicetak dari Perjumpaan, {date} pukul {time} {zone}").format(
            date=format_date(now.date()), time=format_time(now, tz), zone=now.tzname()
        ),
        "qr_svg": qr_svg(week_url),
        "qr_caption": _("Pindai untuk jadwal terbaru"),
        "cancelled_label": _("Dibatalkan"),
        "order_label": _("Susunan acara"),
        "days": [
            {
                "label": day.label,
                "hijri": day.hijri,
                "note": day.note or (_("Tidak ada perjumpaan") if not day.gatherings else ""),
                "gatherings": [
                    {
                        "start": line.start,
                        "end": line.end,
                        "zone": line.zone,
                        "place": line.place,
                        "track": line.track if schedule.several_tracks else "",
                        "title": line.title,
                        "cancelled": line.cancelled,
                        "cancel_reason": line.cancel_reason,
                        "items": [
                            {
                                "label": short_labels.get(item.kind, item.label),
                                "who": item.who,
                                "main": item.kind in MAIN_KINDS,
                            }
                            for item in line.items
                        ],
                    }
                    for line in day.gatherings
                ],
            }
            for day in schedule.days
        ],
    }
    return render_pdf(WEEKLY_SCHEDULE_TEMPLATE, data)
