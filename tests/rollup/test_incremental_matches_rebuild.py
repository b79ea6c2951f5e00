"""The maintained aggregates after any sequence of writes equal a rebuild from the raw rows, and the
dashboards' selectors read the same figures from them as their raw twins compute.

Hypothesis draws a sequence of check-ins, roll-call marks (before and after closing), closings, leave
requests approved or rejected, service records created and updated (the counter, the machine's push),
SKM answers, complaints received, answered, resolved and rejected, all through the real services; then
the rollup tables are compared with what `perjumpaan rebuild_rollups` writes from the raw rows.

Random sequences rarely reach some paths (a complaint answered, then resolved; a ticket pushed twice; a
leave approved for a gathering already closed), so explicit examples walk each of them every run: with
any one hook left out or miscounting, one of them fails.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from io import StringIO
from typing import Any

import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from perjumpaan.attendance import services as attendance
from perjumpaan.attendance.codes import code_make
from perjumpaan.core.scoping import scoped
from perjumpaan.org.models import Employee, Role
from perjumpaan.program.models import Gathering
from perjumpaan.program.services import gathering_add
from perjumpaan.rollup import selectors
from perjumpaan.service import selectors as service_selectors
from perjumpaan.service import services as service
from perjumpaan.service.ikm import ikm_from_answers
from perjumpaan.service.models import Complaint, Service, ServiceRecord, SurveyResponse
from perjumpaan.service.periods import make_period
from tests.base import PerjumpaanTestCase, make_employee
from tests.rollup.helpers import snapshot, wita

DAYS = [dt.date(2026, 11, 30) + dt.timedelta(days=n) for n in range(5)]  # Monday 30 Nov – Friday 4 Dec
STATUSES = ["H", "T", "I", "S", "C", "DL", "TK"]

# Employees by index (setUpTestData order): 0, 1 DUKCAPIL islam; 2, 3 PUPR hindu; 4 DUKCAPIL without a
# track; 5–7 DUKCAPIL islam; 8 DUKCAPIL hindu.
PEOPLE = st.integers(0, 8)
checkin = st.tuples(st.just("checkin"), st.integers(0, 5), PEOPLE, st.integers(-20, 50))
rollcall = st.tuples(st.just("rollcall"), st.integers(0, 5), PEOPLE, st.sampled_from(STATUSES))
close = st.tuples(st.just("close"), st.integers(0, 5))
leave = st.tuples(
    st.just("leave"),
    PEOPLE,
    st.integers(0, 4),
    st.integers(0, 2),
    st.sampled_from("ICD"),
    st.booleans(),
)
record = st.tuples(
    st.just("record"),
    st.integers(0, 4),  # day
    st.integers(1, 3),  # ticket: few, so that a ticket is often pushed again (an update)
    st.integers(0, 420),  # arrival, minutes after 07:30
    st.one_of(st.none(), st.integers(0, 200 * 60)),  # wait, seconds
    st.one_of(st.none(), st.integers(0, 90 * 60)),  # service time, seconds
    st.sampled_from(["selesai", "ditunda", "ditolak"]),
    st.booleans(),  # at the counter (else pushed by the machine)
)
survey = st.tuples(
    st.just("survey"),
    st.integers(0, 4),
    st.integers(0, 23),
    st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=9, max_size=9).filter(
        lambda answers: any(a is not None for a in answers)
    ),
    st.sampled_from(["KTP-EL", "KK", ""]),  # the service the answer names, or none
)
complaint = st.tuples(st.just("complaint"), st.integers(0, 4), st.integers(0, 23))
# A step in handling a complaint: "jawab" answers without changing its status, "lanjut" moves it on
# (diterima → diproses → selesai), "tolak" rejects it. Hours after its receipt.
respond = st.tuples(
    st.just("respond"),
    st.integers(0, 3),
    st.sampled_from(["jawab", "lanjut", "tolak"]),
    st.integers(0, 80),
)
NEXT_STATUS = {
    Complaint.Status.RECEIVED: Complaint.Status.IN_PROGRESS,
    Complaint.Status.IN_PROGRESS: Complaint.Status.RESOLVED,
}
operation = st.one_of(checkin, rollcall, close, leave, record, survey, complaint, respond)


class IncrementalMatchesRebuildTests(PerjumpaanTestCase, HypothesisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for n in range(4):
            make_employee(cls.dukcapil, name=f"Pegawai Uji {n}", track="islam" if n else "")
        make_employee(cls.dukcapil, name="I Ketut Sudiarta", track="hindu")
        cls.ktp = Service.objects.create(office=cls.dukcapil, code="KTP-EL", name="KTP-el")
        cls.kk = Service.objects.create(office=cls.dukcapil, code="KK", name="Kartu Keluarga", order=1)
        Role.objects.create(
            user=cls.koord_dukcapil, kind=Role.Kind.COORDINATOR, government=cls.government, office=cls.pupr
        )

    def setUp(self) -> None:
        self.employees = list(Employee.objects.filter(office__in=[self.dukcapil, self.pupr]).order_by("pk"))
        self.gatherings = [
            gathering_add(office=self.dukcapil, start=wita(day, 12), minutes=45, track="islam")
            for day in DAYS[:4]
        ]
        self.gatherings.append(
            gathering_add(office=self.dukcapil, start=wita(DAYS[1], 12), minutes=45, track="hindu")
        )
        self.gatherings.append(
            gathering_add(office=self.pupr, start=wita(DAYS[2], 12), minutes=45, track="hindu")
        )

    def run_operation(self, op: tuple[Any, ...]) -> None:
        kind = op[0]
        if kind == "checkin":
            gathering, employee = self.gatherings[op[1]], self.employees[op[2]]
            moment = gathering.start + dt.timedelta(minutes=op[3])
            code = code_make(gathering_id=gathering.pk, moment=moment, seconds=gathering.rules.code_seconds)[
                0
            ]
            with contextlib.suppress(attendance.CheckinError):
                attendance.checkin(employee=employee, code=code, now=moment)
        elif kind == "rollcall":
            gathering = Gathering.objects.get(pk=self.gatherings[op[1]].pk)
            with contextlib.suppress(ValidationError):
                attendance.rollcall_mark(
                    actor=self.koord_dukcapil,
                    gathering=gathering,
                    employee=self.employees[op[2]],
                    status=op[3],
                    reason="koreksi",
                )
        elif kind == "close":
            attendance.gathering_close(gathering=self.gatherings[op[1]])
        elif kind == "leave":
            _kind, who, first, length, leave_kind, approve = op
            request = attendance.leave_request(
                employee=self.employees[who],
                kind={"I": "I", "C": "C", "D": "DL"}[leave_kind],
                start_date=DAYS[first],
                end_date=DAYS[min(4, first + length)],
                reason="keperluan keluarga",
            )
            attendance.leave_decide(actor=self.koord_dukcapil, leave=request, approve=approve)
        elif kind == "record":
            self.record(op)
        elif kind == "survey":
            _kind, day, hour, answers, code = op
            with time_machine.travel(wita(DAYS[day], hour, 30), tick=False):
                service.survey_response_submit(
                    office=self.dukcapil,
                    service={"KTP-EL": self.ktp, "KK": self.kk}.get(code),
                    answers={f"U{n + 1}": a for n, a in enumerate(answers)},
                )
        elif kind == "complaint":
            _kind, day, hour = op
            self.complaints.append(
                service.complaint_submit(
                    office=self.dukcapil,
                    category="waktu",
                    description="Antrean lama sekali",
                    received_at=wita(DAYS[day], hour, 10),
                )
            )
        elif kind == "respond" and self.complaints:
            _kind, index, step, hours = op
            target = self.complaints[index % len(self.complaints)]
            target.refresh_from_db()
            status = {
                "jawab": target.status,
                "lanjut": NEXT_STATUS.get(target.status, target.status),
                "tolak": "ditolak",
            }[step]
            moment = target.received_at + dt.timedelta(hours=hours, seconds=7)
            with time_machine.travel(moment, tick=False), contextlib.suppress(ValidationError):
                service.complaint_respond(
                    actor=self.koord_dukcapil, complaint=target, status=status, note="ok"
                )

    def record(self, op: tuple[Any, ...]) -> None:
        _kind, day, ticket, arrival_minutes, wait, serve, result, at_counter = op
        # Fractions of a second too: durations are whole seconds of truncated timestamps, in SQL and Python.
        arrival = wita(DAYS[day], 7, 30) + dt.timedelta(
            minutes=arrival_minutes, seconds=ticket * 7, microseconds=(arrival_minutes * 7919) % 1_000_000
        )
        called = (
            None if wait is None else arrival + dt.timedelta(seconds=wait, microseconds=wait * 37 % 999_999)
        )
        finished = None if called is None or serve is None else called + dt.timedelta(seconds=serve)
        if result == "selesai" and finished is None:
            result = "ditunda"
        if at_counter:
            with contextlib.suppress(ValidationError):
                service.service_record_enter(
                    actor=self.koord_dukcapil,
                    office=self.dukcapil,
                    service=self.ktp,
                    date=DAYS[day],
                    ticket=f"C{ticket}",
                    arrival=arrival.timetz().replace(tzinfo=None),
                    called=called.timetz().replace(tzinfo=None)
                    if called and called.date() == DAYS[day]
                    else None,
                    finished=None,
                    counter="1",
                    result="ditunda",
                )
            return
        outcome = service.service_records_push(
            user=self.koord_dukcapil,
            items=[
                service.PushItem(
                    office="DUKCAPIL",
                    date=DAYS[day],
                    ticket=f"A{ticket}",
                    # An odd arrival minute is KK: a ticket pushed again may move to the other service.
                    service="KK" if arrival_minutes % 2 else "KTP-EL",
                    arrival=arrival,
                    called=called,
                    finished=finished,
                    result=result,
                )
            ],
        )
        assert not outcome.errors, outcome.errors

    def ikm_of_service_raw(self, user: Any, choice: Service, month: Any) -> Any:
        """One service's IKM from its answer sheets and its records, as `user` may see them."""
        first, last = service_selectors.period_bounds(self.dukcapil, month)
        sheets = scoped(
            user,
            SurveyResponse.objects.filter(
                office=self.dukcapil, service=choice, submitted_at__gte=first, submitted_at__lt=last
            ),
        )
        records = scoped(
            user,
            ServiceRecord.objects.filter(
                office=self.dukcapil, service=choice, date__range=(month.start, month.end)
            ),
        ).count()
        return ikm_from_answers(
            [{f"U{n}": getattr(sheet, f"u{n}") for n in range(1, 10)} for sheet in sheets],
            population=records or None,
        )

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    @given(st.lists(operation, min_size=1, max_size=30))
    # A correction after closing, and a leave approved for a closed gathering (employee 0 is TK there).
    @example([("checkin", 0, 1, 5), ("close", 0), ("rollcall", 0, 1, "S"), ("leave", 0, 0, 0, "C", True)])
    # The same ticket pushed twice: the update moves the record's times to other buckets.
    @example(
        [("record", 1, 1, 30, 600, 900, "selesai", False), ("record", 1, 1, 31, 3000, None, "ditunda", False)]
    )
    # A complaint answered, moved on and resolved days later; another rejected on receipt.
    @example(
        [
            ("complaint", 1, 9),
            ("respond", 0, "jawab", 1),
            ("respond", 0, "lanjut", 3),
            ("respond", 0, "lanjut", 30),
            ("complaint", 2, 23),
            ("respond", 1, "tolak", 80),
        ]
    )
    # SKM answers just before and after local midnight, and a record typed at the counter.
    @example(
        [
            ("survey", 0, 23, [4, 4, 3, None, 4, 4, 4, 2, 4], "KTP-EL"),
            ("survey", 1, 0, [1, None, None, None, None, None, None, None, 3], ""),
            ("survey", 1, 9, [2, 3, None, None, None, None, None, None, 3], "KK"),
            ("record", 2, 2, 10, 120, None, "ditunda", True),
        ]
    )
    def test_any_sequence_of_writes_leaves_the_rollups_equal_to_a_rebuild(self, ops: list[Any]) -> None:
        # The gatherings (from setUp) outlive the examples; what an example writes does not.
        self.complaints: list[Complaint] = []
        for op in ops:
            self.run_operation(op)
        incremental = snapshot()
        call_command("rebuild_rollups", stdout=StringIO(), stderr=StringIO())
        self.assertEqual(snapshot(), incremental)

        period = make_period("month", 2026, 12)
        november = make_period("month", 2026, 11)
        for user in (self.admin, self.koord_dukcapil, self.staf_dukcapil, self.koord_pupr):
            for month in (november, period):
                self.assertEqual(
                    selectors.ikm_for(user=user, office=self.dukcapil, period=month).as_dict(),
                    selectors.ikm_for_raw(user=user, office=self.dukcapil, period=month).as_dict(),
                )
                # The IKM pages (office and per service) read the daily sums; the answer sheets say the same.
                self.assertEqual(
                    service_selectors.ikm_summary(user=user, office=self.dukcapil, period=month).result,
                    selectors.ikm_for_raw(user=user, office=self.dukcapil, period=month),
                )
                by_service = service_selectors.ikm_by_service(user=user, office=self.dukcapil, period=month)
                self.assertEqual(
                    [(s.code, result) for s, result in by_service],
                    [
                        (s.code, raw)
                        for s in (self.ktp, self.kk)
                        if (raw := self.ikm_of_service_raw(user, s, month)).n
                    ],
                )
                for choice in (self.ktp, self.kk):
                    self.assertEqual(
                        service_selectors.ikm_summary(
                            user=user, office=self.dukcapil, period=month, service=choice
                        ).result,
                        self.ikm_of_service_raw(user, choice, month),
                    )
                kept = selectors.service_times(user=user, office=self.dukcapil, period=month)
                raw = selectors.service_times_raw(user=user, office=self.dukcapil, period=month)
                self.assertTrue(kept.same_counts(raw), (kept, raw))
            series = selectors.office_week_series(
                user=user, office=self.dukcapil, start=DAYS[0], end=DAYS[-1]
            )
            raw_series = selectors.office_week_series_raw(
                user=user, office=self.dukcapil, start=DAYS[0], end=DAYS[-1]
            )
            for kept_week, raw_week in zip(series, raw_series, strict=True):
                self.assertEqual(kept_week.attendance, raw_week.attendance)
                self.assertTrue(kept_week.service.same_counts(raw_week.service))
                self.assertEqual(kept_week.skm, raw_week.skm)
                self.assertEqual(kept_week.complaints, raw_week.complaints)
            matrix = selectors.regency_week_matrix(user=user, start=DAYS[0], end=DAYS[-1])
            raw_matrix = selectors.regency_week_matrix_raw(user=user, start=DAYS[0], end=DAYS[-1])
            self.assertEqual(matrix.offices, raw_matrix.offices)
            for office in matrix.offices:
                for week in matrix.weeks:
                    self.assertEqual(matrix.cell(office, week), raw_matrix.cell(office, week))
