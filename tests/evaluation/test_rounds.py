"""Opening and closing rounds: who takes part, who rates whom, idempotent commands, the race between
servers, the closing time, and supervisor corrections carried to the next week."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from unittest import mock

import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction

from perjumpaan.evaluation import services
from perjumpaan.evaluation.models import Assignment, EvaluationPolicy, Part, Round
from perjumpaan.org.models import Employee
from perjumpaan.program.models import Enrollment
from tests.base import make_employee
from tests.evaluation.helpers import AFTER_CLOSE, FRIDAY, NOW, WEEK, WITA, EvaluationTestCase, at


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=out)
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
class OpenRoundsTests(EvaluationTestCase):
    def test_it_opens_a_round_for_every_enrolled_office_and_running_it_again_changes_nothing(self) -> None:
        output = run("open_rounds")
        self.assertIn("DUKCAPIL: putaran 2026-W49 dibuka", output)
        self.assertIn("PUPR: putaran 2026-W49 dibuka", output)
        self.assertEqual(
            set(Round.objects.values_list("office__code", "week")), {("DUKCAPIL", WEEK), ("PUPR", WEEK)}
        )
        assignments = sorted(Assignment.objects.values_list("round_id", "part", "rater_id", "subject_id"))
        again = run("open_rounds")
        self.assertIn("DUKCAPIL: sudah dibuka sebelumnya.", again)
        self.assertIn("0 putaran dibuka, 2 sudah ada", again)
        self.assertEqual(Round.objects.count(), 2)
        self.assertEqual(
            sorted(Assignment.objects.values_list("round_id", "part", "rater_id", "subject_id")), assignments
        )

    def test_an_office_enrolled_after_that_friday_gets_no_round(self) -> None:
        Enrollment.objects.create(office=self.pupr, enrolled_on=dt.date(2026, 12, 7), note="dipindah")
        run("open_rounds")
        self.assertEqual(list(Round.objects.values_list("office__code", flat=True)), ["DUKCAPIL"])

    def test_an_office_that_left_gets_no_round(self) -> None:
        Enrollment.objects.create(office=self.pupr, enrolled_on=None, note="berhenti")
        run("open_rounds")
        self.assertFalse(Round.objects.filter(office=self.pupr).exists())

    def test_a_date_later_in_the_week_opens_that_week_s_friday_round(self) -> None:
        run("open_rounds", "--date", "2026-12-06")
        self.assertEqual(set(Round.objects.values_list("week", flat=True)), {WEEK})

    def test_a_round_whose_closing_time_has_passed_is_not_opened(self) -> None:
        with time_machine.travel(AFTER_CLOSE, tick=False):
            output = run("open_rounds", "--date", "2026-12-04")
        self.assertIn("sudah lewat", output)
        self.assertFalse(Round.objects.exists())

    def test_a_bad_date_is_one_clear_line(self) -> None:
        with self.assertRaisesMessage(Exception, "bukan tanggal"):
            run("open_rounds", "--date", "4-12-2026")

    def test_everyone_active_assesses_themselves_three_colleagues_and_heads_their_team(self) -> None:
        Employee.objects.filter(name="Saiful Hamdi").update(is_active=False)
        round_ = self.open_round()
        active = set(
            Employee.objects.filter(office=self.dukcapil, is_active=True).values_list("pk", flat=True)
        )
        self_pairs = self.assignments(round_, Part.SELF)
        self.assertEqual({(a.rater_id, a.subject_id) for a in self_pairs}, {(pk, pk) for pk in active})
        peers = self.assignments(round_, Part.PEER)
        self.assertEqual(set(Counter(a.rater_id for a in peers).values()), {3})
        self.assertEqual(set(Counter(a.subject_id for a in peers).values()), {3})
        self.assertTrue(all(a.rater_id != a.subject_id for a in peers))
        self.assertLessEqual({a.rater_id for a in peers} | {a.subject_id for a in peers}, active)
        team = {(a.rater.name, a.subject.name) for a in self.assignments(round_, Part.SUPERVISOR)}
        self.assertEqual(
            team,
            {
                ("Hj. Rabiatul Adawiyah", name)
                for name in ("Baiq Nurul Aini", "Lalu Muhammad Zaini", "Hairul Anwar", "Siti Maryam")
            },
        )
        self.assertEqual(round_.closes_at, dt.datetime(2026, 12, 7, 12, 0, tzinfo=WITA))
        self.assertEqual(round_.peers_per_person, 3)

    def test_the_office_s_rules_set_the_number_of_colleagues_and_the_closing_time(self) -> None:
        EvaluationPolicy.objects.create(
            office=self.dukcapil, peers_per_person=2, close_days_after=0, close_time=dt.time(16, 0)
        )
        round_ = self.open_round()
        self.assertEqual(round_.closes_at, dt.datetime(2026, 12, 4, 16, 0, tzinfo=WITA))
        self.assertEqual(set(Counter(a.rater_id for a in self.assignments(round_, Part.PEER)).values()), {2})

    def test_the_database_refuses_a_second_round_of_the_same_week(self) -> None:
        round_ = self.open_round()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Round.objects.create(
                office=self.dukcapil,
                week=WEEK,
                instrument_version=round_.instrument_version,
                opens_at=round_.opens_at,
                closes_at=round_.closes_at,
                peers_per_person=3,
            )

    def test_when_another_server_opens_the_round_first_this_one_steps_back(self) -> None:
        version = services.evaluation_instrument_default(government=self.government)
        real = services.enrolled_since

        def another_server_is_faster(*, office: object) -> object:
            # Between this server's check and its insert, the other server commits its round.
            if not Round.objects.filter(office=self.dukcapil, week=WEEK).exists():
                Round.objects.create(
                    office=self.dukcapil,
                    week=WEEK,
                    instrument_version=version,
                    opens_at=at(FRIDAY, 7),
                    closes_at=at(FRIDAY, 20),
                    peers_per_person=3,
                )
            return real(office=office)  # type: ignore[arg-type]

        with mock.patch.object(services, "enrolled_since", side_effect=another_server_is_faster):
            self.assertIsNone(services.round_open(office=self.dukcapil, friday=FRIDAY, now=at(FRIDAY, 7)))
        self.assertEqual(Round.objects.filter(office=self.dukcapil).count(), 1)
        self.assertFalse(Assignment.objects.exists())


@time_machine.travel(NOW, tick=False)
class CloseRoundsTests(EvaluationTestCase):
    def test_it_closes_rounds_whose_time_has_come_once(self) -> None:
        round_ = self.open_round()
        self.assertIn("0 putaran ditutup", run("close_rounds", "--now", "2026-12-07T11:59"))
        output = run("close_rounds", "--now", "2026-12-07T12:00+08:00")
        self.assertIn("DUKCAPIL: putaran 2026-W49 ditutup", output)
        round_.refresh_from_db()
        self.assertEqual(round_.closed_at, dt.datetime(2026, 12, 7, 12, 0, tzinfo=WITA))
        self.assertIn("0 putaran ditutup", run("close_rounds", "--now", "2026-12-08T09:00"))

    def test_a_bad_now_is_one_clear_line(self) -> None:
        with self.assertRaisesMessage(Exception, "bukan waktu yang sah"):
            run("close_rounds", "--now", "Senin siang")

    def test_no_answer_is_taken_after_the_closing_time_even_before_the_command_runs(self) -> None:
        round_ = self.open_round()
        assignment = self.assignments(round_, Part.SELF, rater=self.baiq)[0]
        with self.assertRaisesMessage(services.EvaluationError, "sudah ditutup"):
            self.submit(assignment, 4, now=AFTER_CLOSE)
        self.assertTrue(round_.closes_at < AFTER_CLOSE)
        self.assertFalse(Assignment.objects.get(pk=assignment.pk).done)


@time_machine.travel(NOW, tick=False)
class SupervisorCorrectionTests(EvaluationTestCase):
    def test_the_coordinator_s_corrections_carry_to_the_next_round_and_newcomers_get_the_heuristic(
        self,
    ) -> None:
        round_ = self.open_round()
        removed = self.assignments(round_, Part.SUPERVISOR, subject=self.zaini)[0]
        services.assignment_remove(assignment=removed, user=self.koord_dukcapil, now=at(FRIDAY, 9))
        services.assignment_supervisor_add(
            round_=round_,
            supervisor_id=self.sekretaris.pk,
            subject_id=self.bendahara.pk,
            user=self.koord_dukcapil,
            now=at(FRIDAY, 9),
        )
        newcomer = make_employee(
            self.dukcapil, name="Rizal Fahmi", unit=self.head.unit, position="Operator Layanan Operasional"
        )
        next_round = self.open_round(friday=FRIDAY + dt.timedelta(weeks=1))
        pairs = {(a.rater_id, a.subject_id) for a in self.assignments(next_round, Part.SUPERVISOR)}
        self.assertIn((self.sekretaris.pk, self.bendahara.pk), pairs)
        self.assertNotIn((self.head.pk, self.zaini.pk), pairs)
        self.assertIn((self.head.pk, self.baiq.pk), pairs)
        self.assertIn((self.head.pk, newcomer.pk), pairs)

    def test_corrections_are_audited_and_refused_when_they_make_no_sense(self) -> None:
        from perjumpaan.org.models import AuditEntry

        round_ = self.open_round()
        with self.assertRaisesMessage(services.EvaluationError, services.SAME_PERSON):
            services.assignment_supervisor_add(
                round_=round_, supervisor_id=self.head.pk, subject_id=self.head.pk, user=self.koord_dukcapil
            )
        outsider = Employee.objects.get(user=self.staf_pupr)
        with self.assertRaisesMessage(services.EvaluationError, services.NOT_OFFICE_STAFF):
            services.assignment_supervisor_add(
                round_=round_, supervisor_id=self.head.pk, subject_id=outsider.pk, user=self.koord_dukcapil
            )
        with self.assertRaisesMessage(services.EvaluationError, services.ALREADY_ASSIGNED):
            services.assignment_supervisor_add(
                round_=round_, supervisor_id=self.head.pk, subject_id=self.baiq.pk, user=self.koord_dukcapil
            )
        own = self.assignments(round_, Part.SELF, rater=self.baiq)[0]
        with self.assertRaisesMessage(services.EvaluationError, services.NOT_SUPERVISOR_ASSIGNMENT):
            services.assignment_remove(assignment=own, user=self.koord_dukcapil)
        filled = self.assignments(round_, Part.SUPERVISOR, subject=self.baiq)[0]
        self.submit(filled, 4)
        with self.assertRaisesMessage(services.EvaluationError, services.SUPERVISOR_DONE):
            services.assignment_remove(assignment=filled, user=self.koord_dukcapil)
        removed = self.assignments(round_, Part.SUPERVISOR, subject=self.zaini)[0]
        services.assignment_remove(assignment=removed, user=self.koord_dukcapil)
        entry = AuditEntry.objects.get(action="evaluation.supervisor_remove")
        self.assertEqual(entry.actor, self.koord_dukcapil)
        self.assertEqual(entry.old["subject"], "Lalu Muhammad Zaini")
