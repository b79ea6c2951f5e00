"""One built week of DUKCAPIL for the "calendars out" tests (PDF, WhatsApp, calendar feeds).

Week 2026-W49, Monday 30 November to Friday 4 December 2026: the regular gathering at 12.30–13.15 WITA
Monday to Thursday and the Friday one at 09.00–09.30, all in "Musala kantor"; the kultum given in turn by
Baiq Nurul Aini and Lalu Muhammad Zaini; the four lessons of the curriculum Monday to Thursday; a tausiah
by a guest from UIN Mataram on Wednesday. Build it with the clock frozen before the week (`BEFORE_WEEK`);
a closure made before building it leaves its day out.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from perjumpaan.org.models import Employee, Office
from perjumpaan.program.models import AgendaItem, Gathering, Lesson, Module, Speaker
from perjumpaan.program.services import gathering_schedule
from tests.program.helpers import enrol_with_templates

WITA = ZoneInfo("Asia/Makassar")
BEFORE_WEEK = dt.datetime(2026, 11, 27, 8, 0, tzinfo=WITA)  # Friday before week 49
MONDAY = dt.date(2026, 11, 30)
LESSONS = [
    "Menjaga lisan di tempat kerja",
    "Jujur dalam melayani warga",
    "Sabar menghadapi keluhan",
    "Kebersamaan dan kekeluargaan",
]


def build_week(office: Office) -> list[Gathering]:
    """The week's gatherings of `office` (whose employees include the two DUKCAPIL personas)."""
    government = office.government
    module = Module.objects.get_or_create(government=government, order=1, title="Akhlak kepada sesama")[0]
    for order, title in enumerate(LESSONS, 1):
        Lesson.objects.get_or_create(module=module, order=order, title=title)
    enrol_with_templates(office)
    gathering_schedule(office=office, start=MONDAY, end=MONDAY + dt.timedelta(days=6))
    aini = Employee.objects.get(office=office, name="Baiq Nurul Aini")
    zaini = Employee.objects.get(office=office, name="Lalu Muhammad Zaini")
    gatherings = list(Gathering.objects.filter(office=office, date__gte=MONDAY).order_by("start"))
    givers = [aini, zaini, aini, zaini, zaini]  # Monday to Friday
    for gathering in gatherings:
        giver = givers[gathering.date.weekday()]
        gathering.agenda.filter(kind=AgendaItem.Kind.KULTUM).update(employee=giver)
    speaker = Speaker.objects.create(
        government=government, title="Prof. Dr. H.", name="Ahmad Fauzi, M.Ag.", institution="UIN Mataram"
    )
    wednesday = next((g for g in gatherings if g.date.weekday() == 2), None)
    if wednesday is not None:
        AgendaItem.objects.create(
            gathering=wednesday, order=6, kind=AgendaItem.Kind.TAUSIAH, minutes=20, speaker=speaker
        )
    return gatherings
