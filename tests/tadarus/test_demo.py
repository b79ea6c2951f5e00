"""The tadarus demo step: consistent with the gatherings it finds, idempotent, deterministic."""

from __future__ import annotations

import datetime as dt
import random

import time_machine

from perjumpaan.program.models import Gathering
from perjumpaan.tadarus import odoj, selectors
from perjumpaan.tadarus.demo import tadarus_demo
from perjumpaan.tadarus.models import (
    GroupMember,
    JuzHandover,
    KhatamPlan,
    LevelEnrolment,
    Part,
    ReadingGroup,
    ReadingLog,
    ReadingReport,
    TadabburNote,
)
from tests.base import PerjumpaanTestCase, make_employee
from tests.tadarus.helpers import NOW, TODAY, hold, schedule


@time_machine.travel(NOW, tick=False)
class TadarusDemoTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for i in range(12):
            make_employee(cls.dukcapil, name=f"Pegawai Muslim {i}", track="islam")
        schedule(cls.dukcapil)  # PUPR is not enrolled
        hold(cls.dukcapil)

    def test_it_creates_plans_logs_groups_notes_and_learners_consistent_with_the_gatherings(self) -> None:
        created = tadarus_demo(self.government, random.Random("uji"))
        self.assertGreater(created, 0)
        self.assertEqual(list(KhatamPlan.objects.values_list("office__code", flat=True)), ["DUKCAPIL"])
        first = Gathering.objects.filter(office=self.dukcapil).order_by("date").first()
        assert first is not None
        self.assertEqual(KhatamPlan.objects.get().valid_from, first.date)
        # Logs only on gatherings that were held.
        self.assertFalse(ReadingLog.objects.exclude(gathering__status=Gathering.Status.HELD).exists())
        progress = selectors.khatam_progress(self.dukcapil)
        assert progress is not None
        self.assertGreater(progress.held, 0)
        self.assertEqual(ReadingGroup.objects.filter(office=self.dukcapil).count(), 1)
        self.assertFalse(ReadingGroup.objects.filter(office=self.pupr).exists())  # PUPR's staff are Hindu
        self.assertLessEqual(GroupMember.objects.count(), 30)
        self.assertGreater(TadabburNote.objects.count(), 0)
        self.assertGreater(LevelEnrolment.objects.count(), 0)

    def test_every_demo_report_is_about_a_piece_its_member_held_that_day(self) -> None:
        tadarus_demo(self.government, random.Random("uji"))
        group = ReadingGroup.objects.get()
        ledger = odoj.ledger(group, TODAY)
        handed = {(h.date, h.juz, h.part): h.volunteer_id for h in JuzHandover.objects.all()}
        for report in ReadingReport.objects.all():
            day = ledger.day(report.date)
            assert day is not None
            piece = next(p for p in day.pieces if (p.juz, p.part) == (report.juz, report.part))
            own = piece.assignee_id == report.member_id and report.part != Part.TAIL
            self.assertTrue(
                own or handed.get((report.date, report.juz, report.part)) == report.member_id, report
            )
        self.assertGreater(ledger.khatam_count, 0)
        self.assertEqual(group.started_on, TODAY - dt.timedelta(days=45))

    def test_running_it_again_creates_nothing(self) -> None:
        tadarus_demo(self.government, random.Random("uji"))
        counts = [model.objects.count() for model in (KhatamPlan, ReadingLog, ReadingReport, TadabburNote)]
        self.assertEqual(tadarus_demo(self.government, random.Random("lain")), 0)
        self.assertEqual(
            counts, [model.objects.count() for model in (KhatamPlan, ReadingLog, ReadingReport, TadabburNote)]
        )

    def test_the_same_seed_gives_the_same_data(self) -> None:
        tadarus_demo(self.government, random.Random("uji"))
        first = sorted(
            ReadingReport.objects.values_list("member__employee__nip", "date", "juz", "part", "done")
        )
        logs = sorted(ReadingLog.objects.values_list("gathering__date", "stopped_surah", "stopped_ayah"))
        for model in (ReadingReport, JuzHandover, GroupMember, ReadingGroup, ReadingLog, KhatamPlan):
            model.objects.all().delete()
        TadabburNote.objects.all().delete()
        LevelEnrolment.objects.all().delete()
        tadarus_demo(self.government, random.Random("uji"))
        self.assertEqual(
            first,
            sorted(ReadingReport.objects.values_list("member__employee__nip", "date", "juz", "part", "done")),
        )
        self.assertEqual(
            logs, sorted(ReadingLog.objects.values_list("gathering__date", "stopped_surah", "stopped_ayah"))
        )
