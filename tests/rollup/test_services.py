"""The hooks keep each aggregate current in the write's own transaction; the rebuild repairs what bypassed
them. Worked examples with known numbers (the property test covers random sequences)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perjumpaan.attendance import services as attendance
from perjumpaan.attendance.models import Attendance
from perjumpaan.evaluation.models import Assignment, Part
from perjumpaan.evaluation.services import rounds_close_due
from perjumpaan.org.models import Employee
from perjumpaan.program.services import gathering_add, gathering_cancel
from perjumpaan.rollup import selectors
from perjumpaan.rollup.histogram import SERVICE_EDGES, bucket_of
from perjumpaan.rollup.models import (
    WAIT_HISTOGRAM,
    AttendanceDay,
    ComplaintDay,
    EvaluationWeek,
    GatheringTally,
    ServiceDay,
    SkmDay,
)
from perjumpaan.rollup.services import rollup_rebuild, rollup_rounds_closed
from perjumpaan.service import services as service
from perjumpaan.service.models import Service
from perjumpaan.service.periods import make_period
from tests.attendance.helpers import code_for
from tests.base import PerjumpaanTestCase
from tests.evaluation.helpers import AFTER_CLOSE, EvaluationTestCase
from tests.rollup.helpers import snapshot, wita

MONDAY = dt.date(2026, 11, 30)


def day_row(office: object, day: dt.date = MONDAY, track: str = "islam") -> dict[str, int]:
    return (
        AttendanceDay.objects.filter(office=office, date=day, track=track)
        .values("gatherings", "expected", "h", "t", "i", "s", "c", "dl", "tk")
        .get()
    )


class AttendanceRollupTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        self.gathering = gathering_add(office=self.dukcapil, start=wita(MONDAY, 12), minutes=45)
        self.baiq = Employee.objects.get(user=self.staf_dukcapil)
        self.zaini = Employee.objects.get(name="Lalu Muhammad Zaini")

    def test_a_check_in_writes_nothing_to_the_rollups(self) -> None:
        moment = wita(MONDAY, 12, 5)
        with CaptureQueriesContext(connection) as queries:
            attendance.checkin(employee=self.baiq, code=code_for(self.gathering, moment), now=moment)
        self.assertFalse(any("rollup_" in q["sql"] for q in queries.captured_queries))
        self.assertFalse(AttendanceDay.objects.exists())

    def test_closing_a_gathering_adds_its_marks_to_its_day(self) -> None:
        moment = wita(MONDAY, 12, 20)
        attendance.checkin(employee=self.baiq, code=code_for(self.gathering, moment), now=moment)
        attendance.gathering_close(gathering=self.gathering)
        self.assertEqual(
            day_row(self.dukcapil),
            {"gatherings": 1, "expected": 2, "h": 0, "t": 1, "i": 0, "s": 0, "c": 0, "dl": 0, "tk": 1},
        )
        # Closing again changes nothing.
        attendance.gathering_close(gathering=self.gathering)
        self.assertEqual(day_row(self.dukcapil)["expected"], 2)

    def test_a_correction_after_closing_moves_one_mark_between_statuses(self) -> None:
        attendance.gathering_close(gathering=self.gathering)
        attendance.rollcall_mark(
            actor=self.koord_dukcapil,
            gathering=self.gathering,
            employee=self.zaini,
            status="S",
            reason="surat",
        )
        row = day_row(self.dukcapil)
        self.assertEqual((row["expected"], row["tk"], row["s"]), (2, 1, 1))
        self.assertEqual(GatheringTally.objects.get(gathering=self.gathering).s, 1)

    def test_an_approved_leave_turns_tk_into_its_kind_in_the_rollup(self) -> None:
        attendance.gathering_close(gathering=self.gathering)
        leave = attendance.leave_request(
            employee=self.zaini, kind="DL", start_date=MONDAY, end_date=MONDAY, reason="rapat di Mataram"
        )
        attendance.leave_decide(actor=self.koord_dukcapil, leave=leave, approve=True)
        row = day_row(self.dukcapil)
        self.assertEqual((row["tk"], row["dl"]), (1, 1))

    def test_a_held_gathering_cancelled_afterwards_is_repaired_by_the_rebuild(self) -> None:
        attendance.gathering_close(gathering=self.gathering)
        gathering_cancel(actor=self.koord_dukcapil, gathering=self.gathering, reason="salah jadwal")
        # Cancelling is not one of the hooked writes: the rollup still counts it until a rebuild.
        self.assertEqual(day_row(self.dukcapil)["gatherings"], 1)
        call_command(
            "rebuild_rollups",
            "--office",
            "lombok-barat/DUKCAPIL",
            "--from",
            "2026-11-30",
            "--to",
            "2026-11-30",
        )
        self.assertFalse(AttendanceDay.objects.filter(office=self.dukcapil).exclude(gatherings=0).exists())
        self.assertFalse(GatheringTally.objects.exists())

    def test_the_rebuild_of_one_office_and_period_leaves_everything_else_alone(self) -> None:
        attendance.gathering_close(gathering=self.gathering)
        other = gathering_add(office=self.pupr, start=wita(MONDAY, 12), minutes=45, track="hindu")
        attendance.gathering_close(gathering=other)
        AttendanceDay.objects.filter(office=self.pupr).update(tk=99)  # drift in another office
        before = snapshot()
        call_command(
            "rebuild_rollups",
            "--office",
            "lombok-barat/DUKCAPIL",
            "--from",
            "2026-11-30",
            "--to",
            "2026-11-30",
        )
        self.assertEqual(snapshot(), before)
        self.assertEqual(day_row(self.pupr, track="hindu")["tk"], 99)
        call_command("rebuild_rollups")
        self.assertEqual(day_row(self.pupr, track="hindu")["tk"], 2)

    def test_the_command_refuses_bad_arguments_with_one_clear_line(self) -> None:
        for arguments in (
            ["--from", "kemarin"],
            ["--from", "2026-12-02", "--to", "2026-12-01"],
            ["--days", "3", "--from", "2026-12-01"],
            ["--office", "TIDAKADA"],
        ):
            with self.assertRaises(CommandError):
                call_command("rebuild_rollups", *arguments)


class ServiceRollupTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ktp = Service.objects.create(office=cls.dukcapil, code="KTP-EL", name="KTP-el")

    def push(self, ticket: str, wait_minutes: int, serve_minutes: int | None = 10) -> None:
        arrival = wita(MONDAY, 8)
        called = arrival + dt.timedelta(minutes=wait_minutes)
        finished = None if serve_minutes is None else called + dt.timedelta(minutes=serve_minutes)
        result = service.service_records_push(
            user=self.koord_dukcapil,
            items=[
                service.PushItem(
                    office="DUKCAPIL",
                    date=MONDAY,
                    ticket=ticket,
                    service="KTP-EL",
                    arrival=arrival,
                    called=called,
                    finished=finished,
                    result="selesai" if finished else "ditunda",
                )
            ],
        )
        self.assertFalse(result.errors)

    def test_an_updated_record_moves_its_waiting_time_to_its_new_bucket(self) -> None:
        self.push("A001", wait_minutes=20)
        row = ServiceDay.objects.get(office=self.dukcapil, date=MONDAY)
        self.assertEqual((row.volume, row.done, row.done_same_day, row.wait_sum), (1, 1, 1, 20 * 60))
        self.assertEqual(getattr(row, WAIT_HISTOGRAM[bucket_of(20 * 60, SERVICE_EDGES)]), 1)
        self.push("A001", wait_minutes=95, serve_minutes=None)
        row.refresh_from_db()
        self.assertEqual(
            (row.volume, row.done, row.done_same_day, row.wait_sum, row.serve_n), (1, 0, 0, 95 * 60, 0)
        )
        self.assertEqual(getattr(row, WAIT_HISTOGRAM[bucket_of(20 * 60, SERVICE_EDGES)]), 0)
        self.assertEqual(getattr(row, WAIT_HISTOGRAM[bucket_of(95 * 60, SERVICE_EDGES)]), 1)

    def test_the_service_times_of_a_month_match_the_raw_records(self) -> None:
        for n, wait in enumerate((5, 12, 31, 44, 47, 58, 90)):
            self.push(f"A{n:03d}", wait_minutes=wait)
        period = make_period("month", 2026, 11)
        kept = selectors.service_times(user=self.koord_dukcapil, office=self.dukcapil, period=period)
        raw = selectors.service_times_raw(user=self.koord_dukcapil, office=self.dukcapil, period=period)
        self.assertTrue(kept.same_counts(raw))
        median = kept.wait.median
        assert median is not None and raw.wait.exact_median is not None
        self.assertEqual(raw.wait.exact_median, 44 * 60)
        self.assertTrue(median.low <= raw.wait.exact_median < (median.high or 10**9))
        self.assertEqual(kept.volume_per_day, 7.0)

    def test_an_skm_answer_counts_on_the_local_date_it_was_given(self) -> None:
        # 23.30 WITA on Monday is 15.30 UTC: Monday in Lombok.
        with time_machine.travel(wita(MONDAY, 23, 30), tick=False):
            service.survey_response_submit(
                office=self.dukcapil, service=self.ktp, answers={"U1": 4, "U2": 3, "U9": 2}
            )
        row = SkmDay.objects.get(office=self.dukcapil)
        self.assertEqual((row.date, row.respondents, row.u1_sum, row.u2_n, row.u3_n), (MONDAY, 1, 4, 1, 0))

    def test_complaints_count_on_the_days_they_are_received_answered_and_closed(self) -> None:
        complaint = service.complaint_submit(
            office=self.dukcapil, category="waktu", description="Lama", received_at=wita(MONDAY, 9)
        )
        with time_machine.travel(wita(MONDAY + dt.timedelta(days=1), 9), tick=False):
            service.complaint_respond(
                actor=self.koord_dukcapil, complaint=complaint, status="diproses", note="ok"
            )
        with time_machine.travel(wita(MONDAY + dt.timedelta(days=3), 15), tick=False):
            service.complaint_respond(
                actor=self.koord_dukcapil, complaint=complaint, status="selesai", note="ok"
            )
        rows = {
            row["date"]: row
            for row in ComplaintDay.objects.values(
                "date", "opened", "responded", "response_sum", "closed", "resolved"
            )
        }
        self.assertEqual(rows[MONDAY]["opened"], 1)
        self.assertEqual(rows[MONDAY + dt.timedelta(days=1)]["response_sum"], 24 * 3600)
        self.assertEqual(rows[MONDAY + dt.timedelta(days=3)]["resolved"], 1)
        before = snapshot()
        rollup_rebuild()
        self.assertEqual(snapshot(), before)


class EvaluationRollupTests(EvaluationTestCase):
    def test_a_closed_round_is_aggregated_per_part_and_value_as_the_rebuild_and_raw_rows_say(self) -> None:
        round_ = self.open_round()
        self.fill_everything(round_, score=lambda item: 3 if item.value_code == "BP" else 4)
        self.assertFalse(EvaluationWeek.objects.exists())
        rounds_close_due(now=AFTER_CLOSE)  # records the closing, and the aggregates with it
        self_bp = EvaluationWeek.objects.get(part=Part.SELF, value_code="BP")
        people = Assignment.objects.filter(round=round_, part=Part.SELF).count()
        self.assertEqual((self_bp.responses, self_bp.raters), (people, people))
        self.assertEqual(Fraction(self_bp.score_sum, self_bp.score_n), 3)
        before = snapshot()
        rollup_rebuild()
        self.assertEqual(snapshot(), before)

        monday = round_.monday
        for user in (self.koord_dukcapil, self.pimpinan, self.staf_dukcapil, self.koord_pupr):
            kept = selectors.office_week_series(user=user, office=self.dukcapil, start=monday, end=monday)
            raw = selectors.office_week_series_raw(user=user, office=self.dukcapil, start=monday, end=monday)
            self.assertEqual(kept[0].evaluation, raw[0].evaluation, user)
        scores = {
            (s.part, s.value_code): s
            for s in selectors.office_week_series(
                user=self.koord_dukcapil, office=self.dukcapil, start=monday, end=monday
            )[0].evaluation
        }
        self.assertEqual(scores[(Part.PEER, "BP")].mean, 3)
        self.assertEqual(scores[(Part.SELF, "AK")].mean, 4)
        # Staff read the office's service figures but not its evaluation or attendance aggregates.
        staff = selectors.office_week_series(
            user=self.staf_dukcapil, office=self.dukcapil, start=monday, end=monday
        )
        self.assertEqual(staff[0].evaluation, ())

    def test_others_ratings_below_three_raters_are_withheld(self) -> None:
        round_ = self.open_round()
        for assignment in self.assignments(round_, Part.PEER)[:2]:
            self.submit(assignment)
        rounds_close_due(now=AFTER_CLOSE)
        # Closing twice, or aggregating a closed round again, changes nothing.
        rollup_rounds_closed(round_ids=[round_.pk])
        scores = selectors.office_week_series(
            user=self.koord_dukcapil, office=self.dukcapil, start=round_.monday, end=round_.monday
        )[0].evaluation
        peer = [s for s in scores if s.part == Part.PEER]
        self.assertTrue(peer)
        self.assertTrue(all(s.mean is None and s.responses == 2 for s in peer))


class IkmRollupTests(PerjumpaanTestCase):
    def test_the_ikm_from_the_daily_sums_is_the_ikm_from_the_answer_sheets(self) -> None:
        ktp = Service.objects.create(office=self.dukcapil, code="KTP-EL", name="KTP-el")
        for hour, answers in ((9, [4, 4, 3, 3, 4, 4, 3, 4, 4]), (10, [3, 2, 3, None, 4, 3, 3, 3, 2])):
            with time_machine.travel(wita(MONDAY, hour), tick=False):
                service.survey_response_submit(
                    office=self.dukcapil,
                    service=ktp,
                    answers={f"U{n + 1}": a for n, a in enumerate(answers)},
                )
        period = make_period("month", 2026, 11)
        kept = selectors.ikm_for(user=self.pimpinan, office=self.dukcapil, period=period)
        self.assertEqual(
            kept.as_dict(),
            selectors.ikm_for_raw(user=self.pimpinan, office=self.dukcapil, period=period).as_dict(),
        )
        self.assertEqual(kept.n, 2)
        self.assertIsNotNone(kept.ikm)
        # A coordinator of another office reads nothing of DUKCAPIL.
        self.assertEqual(selectors.ikm_for(user=self.koord_pupr, office=self.dukcapil, period=period).n, 0)
        self.assertEqual(Attendance.objects.count(), 0)
