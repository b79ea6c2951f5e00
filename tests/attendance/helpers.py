from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from perjumpaan.attendance.codes import code_make
from perjumpaan.org.models import Office
from perjumpaan.program.models import Gathering
from perjumpaan.program.services import gathering_add

WITA = ZoneInfo("Asia/Makassar")


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, second, tzinfo=WITA)


def a_gathering(
    office: Office, *, day: int = 2, hour: int = 12, minutes: int = 45, track: str = "islam"
) -> Gathering:
    return gathering_add(office=office, start=at(day, hour), minutes=minutes, track=track)


def code_for(gathering: Gathering, moment: dt.datetime) -> str:
    return code_make(gathering_id=gathering.pk, moment=moment, seconds=gathering.rules.code_seconds)[0]
