"""Schedule generation from templates: working days, enrolment, idempotence, template changes."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from perjumpaan.program.models import AgendaItem, Gathering
from perjumpaan.program.services import enrollment_set, gathering_cancel, gathering_schedule
from tests.base import PerjumpaanTestCase, make_employee
from tests.program.helpers import FRIDAY_AGENDA, enrol_with_templates, template

WITA = ZoneInfo("Asia/Makassar")


@time_machine.travel(dt.datetime(2026, 11, 28, 8, 0, tzinfo=WITA), tick=False)
class ScheduleTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        enrol_with_templates(self.dukcapil)

    def schedule(self, start: dt.date, end: dt.date, **kw: object):  # type: ignore[no-untyped-def]
        return gathering_schedule(office=self.dukcapil, start=start, end=end, **kw)  # type: ignore[arg-type]

    def test_it_schedules_working_days_only_with_the_friday_template_on_fridays(self) -> None:
        # Mon 21 – Sun 27 December 2026: 24th is cuti bersama, 25th Christmas, 26–27 weekend.
        result = self.schedule(dt.date(2026, 12, 21), dt.date(2026, 12, 27))
        self.assertEqual([p.date.day for p in result.planned], [21, 22, 23])
        self.assertEqual(len(result.created), 3)
        first = Gathering.objects.get(date=dt.date(2026, 12, 21))
        # 12.30 WITA is 04.30 UTC: times are stored in UTC and shown in WITA.
        self.assertEqual(first.start, dt.datetime(2026, 12, 21, 4, 30, tzinfo=dt.UTC))
        self.assertEqual(first.end - first.start, dt.timedelta(minutes=45))
        self.assertEqual(
            list(first.agenda.values_list("kind", flat=True)),
            ["kultum", "tadarus", "tadabbur", "materi", "doa"],
        )

        friday = self.schedule(dt.date(2026, 12, 4), dt.date(2026, 12, 4)).created[0]
        self.assertEqual(friday.start.astimezone(WITA).time(), dt.time(9, 0))
        self.assertEqual(list(friday.agenda.values_list("kind", flat=True)), [k for k, _ in FRIDAY_AGENDA])

    def test_running_it_again_changes_nothing(self) -> None:
        self.schedule(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
        before = list(Gathering.objects.values_list("pk", "start", "end", "place", "template_id"))
        again = self.schedule(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
        self.assertEqual((len(again.created), len(again.updated), len(again.cancelled)), (0, 0, 0))
        self.assertEqual(again.unchanged, len(before))
        self.assertEqual(
            list(Gathering.objects.values_list("pk", "start", "end", "place", "template_id")), before
        )

    def test_it_crosses_month_and_year_boundaries(self) -> None:
        result = self.schedule(dt.date(2026, 12, 28), dt.date(2027, 1, 6))
        # 28–31 Dec (Mon–Thu), 1 Jan is New Year, 2–3 weekend, 4 Jan, 5 Jan is Isra Mikraj, 6 Jan.
        self.assertEqual(
            [p.date.isoformat() for p in result.planned],
            ["2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-04", "2027-01-06"],
        )

    def test_nothing_is_scheduled_before_the_enrolment_date(self) -> None:
        enrollment_set(
            actor=self.admin, office=self.dukcapil, enrolled_on=dt.date(2026, 12, 16), note="ralat"
        )
        result = self.schedule(dt.date(2026, 12, 14), dt.date(2026, 12, 18))
        self.assertEqual([p.date.day for p in result.planned], [16, 17, 18])
        # The earlier enrolment row is kept as history.
        self.assertEqual(self.dukcapil.enrollments.count(), 2)

    def test_an_office_that_never_enrolled_gets_a_clear_refusal(self) -> None:
        with self.assertRaisesMessage(ValidationError, "PUPR belum terdaftar"):
            gathering_schedule(office=self.pupr, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 2))

    def test_a_template_change_mid_month_changes_only_future_gatherings(self) -> None:
        with time_machine.travel(dt.datetime(2026, 12, 1, 7, 0, tzinfo=WITA), tick=False):
            self.schedule(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
        # On 15 December the coordinator moves the weekday gathering to 13.00 from 16 December on.
        with time_machine.travel(dt.datetime(2026, 12, 15, 14, 0, tzinfo=WITA), tick=False):
            template(self.dukcapil, start=dt.time(13, 0), valid_from=dt.date(2026, 12, 16), place="Aula")
            result = self.schedule(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
        starts = {
            g.date.day: g.start.astimezone(WITA).time()
            for g in Gathering.objects.filter(date__month=12).exclude(date__week_day=6)
        }
        self.assertEqual(starts[14], dt.time(12, 30))  # held already: untouched
        self.assertEqual(starts[15], dt.time(12, 30))  # today, already started: untouched
        self.assertEqual(starts[16], dt.time(13, 0))
        self.assertEqual(starts[30], dt.time(13, 0))
        self.assertEqual({g.date.day for g in result.updated}, {16, 17, 21, 22, 23, 28, 29, 30, 31})

    def test_a_new_closure_cancels_the_future_gathering_on_that_day(self) -> None:
        from perjumpaan.program.models import Closure

        self.schedule(dt.date(2026, 12, 1), dt.date(2026, 12, 3))
        Closure.objects.create(government=self.government, date=dt.date(2026, 12, 2), reason="Banjir")
        result = self.schedule(dt.date(2026, 12, 1), dt.date(2026, 12, 3))
        self.assertEqual([g.date.day for g in result.cancelled], [2])
        self.assertEqual(Gathering.objects.get(date=dt.date(2026, 12, 2)).cancel_reason, "Banjir")

    def test_each_kultum_is_given_to_someone_in_the_track(self) -> None:
        muslim = make_employee(self.dukcapil, name="Muhammad Saleh", track="islam")
        hindu = make_employee(self.dukcapil, name="I Wayan Sudirta", track="hindu")
        self.schedule(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
        givers = set(AgendaItem.objects.filter(kind="kultum").values_list("employee_id", flat=True))
        self.assertIn(muslim.pk, givers)
        self.assertNotIn(hindu.pk, givers)
        self.assertNotIn(None, givers)

    def test_a_lesson_missed_on_a_cancelled_day_moves_on(self) -> None:
        from perjumpaan.program.models import Lesson, Module

        module = Module.objects.create(
            government=self.government, order=1, title="Akhlak kepada diri sendiri"
        )
        lessons = [Lesson.objects.create(module=module, order=i, title=f"Materi {i}") for i in (1, 2, 3)]
        self.schedule(dt.date(2026, 12, 1), dt.date(2026, 12, 3))

        def lesson_on(day: int) -> int | None:
            return AgendaItem.objects.get(kind="materi", gathering__date=dt.date(2026, 12, day)).lesson_id

        self.assertEqual([lesson_on(d) for d in (1, 2, 3)], [lessons[0].pk, lessons[1].pk, lessons[2].pk])
        gathering_cancel(
            actor=self.koord_dukcapil,
            gathering=Gathering.objects.get(date=dt.date(2026, 12, 1)),
            reason="Rapat",
        )
        self.assertEqual([lesson_on(d) for d in (2, 3)], [lessons[0].pk, lessons[1].pk])


@time_machine.travel(dt.datetime(2026, 11, 28, 8, 0, tzinfo=WITA), tick=False)
class ScheduleCommandTests(PerjumpaanTestCase):
    def test_dry_run_json_lists_the_plan_and_saves_nothing(self) -> None:
        enrol_with_templates(self.dukcapil)
        out = StringIO()
        call_command(
            "schedule",
            "--office",
            "lombok-barat/dukcapil",
            "--from",
            "2026-12-03",
            "--to",
            "2026-12-04",
            "--dry-run",
            "--json",
            stdout=out,
        )
        plan = json.loads(out.getvalue())
        self.assertEqual([p["date"] for p in plan], ["2026-12-03", "2026-12-04"])
        self.assertEqual(plan[0]["start"], "2026-12-03T12:30:00+08:00")
        self.assertEqual(plan[1]["end"], "2026-12-04T09:30:00+08:00")
        self.assertEqual({p["track"] for p in plan}, {"islam"})
        self.assertEqual(plan[0]["place"], "Musala kantor")
        self.assertFalse(Gathering.objects.exists())

    def test_it_reports_what_it_created(self) -> None:
        enrol_with_templates(self.dukcapil)
        out = StringIO()
        call_command(
            "schedule",
            "--office",
            "lombok-barat/DUKCAPIL",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-04",
            stdout=out,
        )
        self.assertIn("dibuat 4, diubah 0, dibatalkan 0, tetap 0", out.getvalue())

    def test_bad_arguments_give_one_clear_line(self) -> None:
        enrol_with_templates(self.dukcapil)
        with self.assertRaisesMessage(CommandError, "bukan tanggal"):
            call_command(
                "schedule", "--office", "lombok-barat/DUKCAPIL", "--from", "2026-13-01", "--to", "2026-12-04"
            )
        with self.assertRaisesMessage(CommandError, "tidak ada"):
            call_command("schedule", "--office", "NOPE", "--from", "2026-12-01", "--to", "2026-12-04")
        with self.assertRaisesMessage(CommandError, "sebelum tanggal awal"):
            call_command(
                "schedule", "--office", "lombok-barat/DUKCAPIL", "--from", "2026-12-04", "--to", "2026-12-01"
            )

    def test_gathering_add_prints_the_new_id_and_its_local_times(self) -> None:
        out = StringIO()
        call_command(
            "gathering_add",
            "--office",
            "PUPR",
            "--start",
            "2026-12-10 13:15",
            "--minutes",
            "60",
            "--json",
            stdout=out,
        )
        data = json.loads(out.getvalue())
        gathering = Gathering.objects.get(pk=data["id"])
        self.assertEqual(gathering.kind, "adhoc")
        self.assertEqual(data["start"], "2026-12-10T13:15:00+08:00")
        self.assertEqual(data["end"], "2026-12-10T14:15:00+08:00")
        with self.assertRaisesMessage(CommandError, "JJ:MM"):
            call_command("gathering_add", "--office", "PUPR", "--start", "10/12/2026", "--minutes", "60")
        with self.assertRaisesMessage(CommandError, "antara 5 dan 240"):
            call_command("gathering_add", "--office", "PUPR", "--start", "2026-12-10 13:15", "--minutes", "0")
