"""The attendance demo step: realistic marks for the demo's past gatherings, written once."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import TestCase

from perjumpaan.attendance import services
from perjumpaan.attendance.models import Attendance, FollowUp, LeaveRequest
from perjumpaan.org import demo
from perjumpaan.org.demo import demo_load
from perjumpaan.org.models import AuditEntry, Employee, Government
from perjumpaan.program.models import Gathering
from tests.attendance.helpers import WITA

NOW = dt.datetime(2026, 12, 12, 10, 0, tzinfo=WITA)  # a Saturday


def load_with(prefixes: tuple[str, ...]) -> demo.DemoSummary:
    """demo_load with only the steps whose names start with `prefixes` (the org steps and ours)."""
    demo.demo_steps()
    saved = dict(demo._steps)
    try:
        demo._steps.clear()
        demo._steps.update({name: step for name, step in saved.items() if name.startswith(prefixes)})
        return demo_load()
    finally:
        demo._steps.clear()
        demo._steps.update(saved)


@time_machine.travel(NOW, tick=False)
class AttendanceDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_with(("org.",))
        cls.government = Government.objects.get(slug="lombok-barat")
        gatherings = []
        tracks = set(Employee.objects.values_list("office_id", "track"))
        for day in range(1, 12):
            date = dt.date(2026, 12, day)
            if date.weekday() >= 5:
                continue
            start = dt.datetime.combine(date, dt.time(12, 30), tzinfo=WITA)
            for office_id, track in sorted(tracks, key=str):
                gatherings.append(
                    Gathering(
                        office_id=office_id,
                        track=track or "islam",
                        date=date,
                        start=start,
                        end=start + dt.timedelta(minutes=45),
                        place="Musala kantor",
                    )
                )
        Gathering.objects.bulk_create(gatherings, ignore_conflicts=True)
        dukcapil = cls.government.offices.get(code="DUKCAPIL")
        cls.cancelled = Gathering.objects.filter(office=dukcapil, date=dt.date(2026, 12, 8)).first()
        Gathering.objects.filter(pk=cls.cancelled.pk).update(status=Gathering.Status.CANCELLED)
        later = NOW + dt.timedelta(hours=2)
        cls.upcoming = Gathering.objects.create(
            office=dukcapil, kind="adhoc", date=later.date(), start=later, end=later + dt.timedelta(hours=1)
        )
        cls.summary = load_with(("org.", "attendance."))

    def test_every_past_gathering_is_marked_for_everyone_expected_and_closed(self) -> None:
        past = Gathering.objects.filter(end__lt=NOW).exclude(status=Gathering.Status.CANCELLED)
        self.assertGreater(past.count(), 100)
        self.assertFalse(past.exclude(status=Gathering.Status.HELD).exists())
        for gathering in past.order_by("pk")[:40]:
            expected = set(services.expected_employees(gathering).values_list("pk", flat=True))
            marked = set(Attendance.objects.filter(gathering=gathering).values_list("employee_id", flat=True))
            self.assertEqual(marked, expected, gathering)
        self.assertFalse(Attendance.objects.filter(gathering__in=[self.cancelled, self.upcoming]).exists())
        self.assertEqual(Gathering.objects.get(pk=self.upcoming.pk).status, Gathering.Status.SCHEDULED)

    def test_most_are_present_some_late_some_on_leave_a_few_absent(self) -> None:
        total = Attendance.objects.count()
        by_status = {
            s: Attendance.objects.filter(status=s).count() for s in ("H", "T", "I", "S", "C", "DL", "TK")
        }
        self.assertGreater((by_status["H"] + by_status["T"]) / total, 0.8)
        self.assertGreater(by_status["T"], 0)
        self.assertGreater(by_status["C"] + by_status["DL"], 0)
        self.assertTrue(0 < by_status["TK"] / total < 0.1, by_status)
        self.assertTrue(Attendance.objects.filter(status="C", source="leave").exists())
        self.assertTrue(LeaveRequest.objects.filter(status="approved", kind="C").exists())
        self.assertTrue(LeaveRequest.objects.filter(status="pending").exists())
        late = Attendance.objects.filter(status="T").select_related("gathering").first()
        assert late is not None
        self.assertGreater(late.marked_at, late.gathering.start + dt.timedelta(minutes=10))

    def test_absent_streaks_open_follow_ups_for_the_coordinator(self) -> None:
        follow_ups = FollowUp.objects.filter(closed=False)
        self.assertGreater(follow_ups.count(), 0)
        for follow_up in follow_ups:
            latest = list(
                Attendance.objects.filter(employee=follow_up.employee, gathering__status="held")
                .order_by("-gathering__start")
                .values_list("status", flat=True)[: follow_up.streak]
            )
            self.assertEqual(latest, ["TK"] * follow_up.streak)
            self.assertGreaterEqual(follow_up.streak, 3)

    def test_dukcapil_shows_flags_and_audited_corrections_to_judge(self) -> None:
        flags = Attendance.objects.filter(gathering__office__code="DUKCAPIL").values_list("flags", flat=True)
        self.assertTrue(any("shared_device" in f for f in flags))
        corrections = AuditEntry.objects.filter(action="attendance.change", office__code="DUKCAPIL")
        self.assertEqual(corrections.count(), 3)
        for entry in corrections:
            mark = Attendance.objects.get(pk=entry.object_id)
            self.assertEqual((entry.old, entry.new, mark.status), ({"status": "TK"}, {"status": "S"}, "S"))

    def test_a_second_run_changes_nothing(self) -> None:
        marks, follow_ups, leave = (
            Attendance.objects.count(),
            FollowUp.objects.count(),
            LeaveRequest.objects.count(),
        )
        summary = load_with(("org.", "attendance."))
        self.assertEqual(summary.created, 0)
        self.assertEqual(
            (Attendance.objects.count(), FollowUp.objects.count(), LeaveRequest.objects.count()),
            (marks, follow_ups, leave),
        )
        self.assertEqual(summary.counts["Catatan kehadiran"], marks)
