"""Building blocks for tadarus tests: an office with a schedule, held gatherings, a khatam plan."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from perjumpaan.org.models import Office
from perjumpaan.program.models import Gathering
from perjumpaan.program.services import gathering_schedule
from perjumpaan.tadarus.models import KhatamPlan
from perjumpaan.tadarus.quran import Ref
from tests.program.helpers import enrol_with_templates

WITA = ZoneInfo("Asia/Makassar")
# Tests run on Wednesday 2 December 2026, 08.00 WITA, before that day's gathering at 12.30.
NOW = dt.datetime(2026, 12, 2, 8, 0, tzinfo=WITA)
TODAY = NOW.date()
AL_FATIHAH = Ref(1, 1)


def schedule(
    office: Office, start: dt.date = dt.date(2026, 11, 2), end: dt.date = dt.date(2026, 12, 11)
) -> None:
    """Enrol the office with the usual templates (tadarus every day) and generate its gatherings."""
    enrol_with_templates(office, since=start)
    gathering_schedule(office=office, start=start, end=end)


def hold(
    office: Office, *, until: dt.date = TODAY - dt.timedelta(days=1), since: dt.date | None = None
) -> int:
    """Mark the office's gatherings up to `until` as held; returns how many."""
    gatherings = Gathering.objects.filter(office=office, date__lte=until)
    if since is not None:
        gatherings = gatherings.filter(date__gte=since)
    return gatherings.update(status=Gathering.Status.HELD)


def plan(
    office: Office,
    *,
    unit: str = "pages",
    amount: int = 2,
    per: int = 1,
    start: Ref | None = AL_FATIHAH,
    valid_from: dt.date = dt.date(2026, 11, 2),
) -> KhatamPlan:
    return KhatamPlan.objects.create(
        office=office,
        valid_from=valid_from,
        unit=unit,
        amount=amount,
        per=per,
        start_surah=start.surah if start else None,
        start_ayah=start.ayah if start else None,
    )


def gathering_on(office: Office, day: dt.date) -> Gathering:
    return Gathering.objects.prefetch_related("agenda").get(office=office, date=day, kind="regular")
