"""The evaluation's test office: DUKCAPIL with a unit of five led by a "Kepala", a unit of two, and
someone without a unit; enrolled since March 2026. Time is frozen on Friday 4 December 2026 (2026-W49)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

from perjumpaan.evaluation import services
from perjumpaan.evaluation.models import Assignment, Item, Part, Round
from perjumpaan.org.models import Employee, Office, Unit
from perjumpaan.program.models import Enrollment
from tests.base import PerjumpaanTestCase, make_employee

WITA = ZoneInfo("Asia/Makassar")
FRIDAY = dt.date(2026, 12, 4)
WEEK = "2026-W49"
NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=WITA)
# The default rules close a round on the Monday after its Friday at 12.00.
AFTER_CLOSE = dt.datetime(2026, 12, 7, 12, 1, tzinfo=WITA)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=WITA)


class EvaluationTestCase(PerjumpaanTestCase):
    head: Employee
    baiq: Employee
    zaini: Employee
    sekretaris: Employee
    bendahara: Employee

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for office in (cls.dukcapil, cls.pupr):
            Enrollment.objects.create(office=office, enrolled_on=dt.date(2026, 3, 2))
        service = Unit.objects.get(office=cls.dukcapil, name="Pelayanan Pendaftaran Penduduk")
        secretariat = Unit.objects.create(office=cls.dukcapil, name="Sekretariat")
        Employee.objects.filter(office=cls.dukcapil).update(unit=service, phone="081234567890")
        cls.baiq = Employee.objects.get(user=cls.staf_dukcapil)
        cls.zaini = Employee.objects.get(name="Lalu Muhammad Zaini")
        cls.head = make_employee(
            cls.dukcapil,
            name="Hj. Rabiatul Adawiyah",
            gender="P",
            unit=service,
            position="Kepala Bidang Pelayanan Pendaftaran Penduduk",
            track="islam",
        )
        for name in ("Hairul Anwar", "Siti Maryam"):
            make_employee(cls.dukcapil, name=name, unit=service, position="Operator Layanan Operasional")
        cls.sekretaris = make_employee(
            cls.dukcapil,
            name="Ida Ayu Komang Sari",
            gender="P",
            unit=secretariat,
            position="Sekretaris",
            track="hindu",
        )
        cls.bendahara = make_employee(
            cls.dukcapil, name="Yohanes Bili", unit=secretariat, position="Bendahara", track="kristen"
        )
        make_employee(cls.dukcapil, name="Saiful Hamdi", position="Pranata Komputer Ahli Pertama")

    # --- helpers ---------------------------------------------------------------------------------

    @classmethod
    def open_round(cls, office: Office | None = None, friday: dt.date = FRIDAY, seed: int = 1) -> Round:
        round_ = services.round_open(
            office=office or cls.dukcapil, friday=friday, now=at(friday, 7), rng=random.Random(seed)
        )
        assert round_ is not None
        return round_

    @classmethod
    def items(cls, round_: Round, part: str = Part.SELF, kind: str = Item.Kind.SCALE) -> list[Item]:
        return [i for i in services.items_for(version=round_.instrument_version, part=part) if i.kind == kind]

    @classmethod
    def submit(
        cls,
        assignment: Assignment,
        score: int | Callable[[Item], int] = 4,
        texts: dict[str, str] | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        """Submit `assignment` with `score` for every item (or `score(item)`), and open answers by code."""
        round_ = assignment.round
        scale = cls.items(round_, assignment.part)
        opened = {i.value_code: i for i in cls.items(round_, assignment.part, Item.Kind.OPEN)}
        services.response_submit(
            employee=assignment.rater,
            assignment_id=assignment.pk,
            scores={i.pk: score(i) if callable(score) else score for i in scale},
            texts={opened[code].pk: text for code, text in (texts or {}).items()},
            now=now or at(round_.friday, 11),
        )

    @classmethod
    def assignments(cls, round_: Round, part: str, **filters: object) -> list[Assignment]:
        return list(
            Assignment.objects.filter(round=round_, part=part, **filters)
            .select_related("round__instrument_version", "rater", "subject")
            .order_by("pk")
        )

    @classmethod
    def fill_everything(cls, round_: Round, score: int | Callable[[Item], int] = 4) -> None:
        for assignment in Assignment.objects.filter(round=round_, done=False).select_related(
            "round__instrument_version", "rater"
        ):
            cls.submit(assignment, score)
