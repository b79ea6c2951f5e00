"""Building blocks for programme tests: enrol an office and give it the usual templates."""

from __future__ import annotations

import datetime as dt

from perjumpaan.org.models import Office
from perjumpaan.program.models import GatheringTemplate, TemplateAgendaItem
from perjumpaan.program.services import enrollment_set

REGULAR_AGENDA = [("kultum", 7), ("tadarus", 15), ("tadabbur", 8), ("materi", 10), ("doa", 5)]
FRIDAY_AGENDA = [("kultum", 7), ("tadarus", 10), ("doa", 3)]


def template(
    office: Office,
    *,
    variant: str = "regular",
    weekdays: str = "0123",
    start: dt.time = dt.time(12, 30),
    minutes: int = 45,
    valid_from: dt.date = dt.date(2026, 1, 1),
    track: str = "islam",
    place: str = "Musala kantor",
    agenda: list[tuple[str, int]] | None = None,
) -> GatheringTemplate:
    made = GatheringTemplate.objects.create(
        office=office,
        track=track,
        variant=variant,
        weekdays=weekdays,
        start_mode="fixed",
        start_time=start,
        duration_minutes=minutes,
        place=place,
        valid_from=valid_from,
    )
    for order, (kind, mins) in enumerate(agenda or REGULAR_AGENDA, 1):
        TemplateAgendaItem.objects.create(template=made, order=order, kind=kind, minutes=mins)
    return made


def enrol_with_templates(office: Office, since: dt.date = dt.date(2026, 1, 5)) -> None:
    enrollment_set(actor=None, office=office, enrolled_on=since)
    template(office)
    template(office, variant="friday", weekdays="4", start=dt.time(9, 0), minutes=30, agenda=FRIDAY_AGENDA)
