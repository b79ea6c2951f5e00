"""The coordinator's weekly summary: participation, scores per value against the previous week (worked
by hand), the week's attendance, follow-up actions carried until closed, reminders, and its cost."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from fractions import Fraction

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from perjumpaan.attendance.models import Attendance
from perjumpaan.evaluation import selectors, services
from perjumpaan.evaluation.models import FollowUpAction, Item, Part
from perjumpaan.org.models import AuditEntry, Employee
from perjumpaan.program.models import Gathering
from tests.evaluation.helpers import AFTER_CLOSE, FRIDAY, NOW, WEEK, WITA, EvaluationTestCase, at

PREVIOUS_FRIDAY = FRIDAY - dt.timedelta(weeks=1)


def url(week: str = WEEK) -> str:
    return f"/opd/DUKCAPIL/evaluasi/{week}/"


@time_machine.travel(AFTER_CLOSE, tick=False)
class ScoresTests(EvaluationTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with time_machine.travel(at(PREVIOUS_FRIDAY), tick=False):
            # Week 48: self 4, peer 3, supervisor 3 on every item.
            cls.previous = cls.open_round(friday=PREVIOUS_FRIDAY)
            for assignment in cls.previous.assignments.select_related("round__instrument_version", "rater"):
                cls.submit(assignment, {Part.SELF: 4, Part.PEER: 3, Part.SUPERVISOR: 3}[assignment.part])
        with time_machine.travel(NOW, tick=False):
            # Week 49: self 5; peers give BP's three behaviours 5, 4, 3 and 4 elsewhere; supervisors 2.
            cls.current = cls.open_round()
            bp = [i.pk for i in cls.items(cls.current) if i.value_code == "BP"]

            def peer(item: Item) -> int:
                return {bp[0]: 5, bp[1]: 4, bp[2]: 3}.get(item.pk, 4)

            for assignment in cls.current.assignments.select_related("round__instrument_version", "rater"):
                score = {Part.SELF: 5, Part.PEER: peer, Part.SUPERVISOR: 2}[assignment.part]
                cls.submit(assignment, score)  # type: ignore[arg-type]

    def test_scores_per_value_and_part_are_as_worked_by_hand(self) -> None:
        summary = selectors.week_summary(user=self.koord_dukcapil, office=self.dukcapil, week=WEEK)
        bp = next(row for row in summary.values if row.info.code == "BP")
        # Self: every response gives 5 → 5. Peer: each of the 24 responses scores BP (5 + 4 + 3) / 3 = 4 → 4.
        self.assertEqual(bp.scores[Part.SELF].mean, 5)
        self.assertEqual(bp.scores[Part.PEER].mean, 4)
        self.assertEqual((bp.scores[Part.PEER].responses, bp.scores[Part.PEER].raters), (24, 8))
        # Supervisors: 4 responses, but all by the one head → fewer than 3 raters, withheld.
        self.assertTrue(bp.scores[Part.SUPERVISOR].withheld)
        # All: (8 × 5 + 24 × 4 + 4 × 2) / 36 = 144 / 36 = 4.
        self.assertEqual(bp.scores[selectors.ALL].mean, 4)
        # Week 48, all: (8 × 4 + 24 × 3 + 4 × 3) / 36 = 116 / 36 = 29/9; the change is 4 − 29/9 = 7/9.
        assert bp.previous is not None
        self.assertEqual(bp.previous.mean, Fraction(29, 9))
        self.assertEqual(bp.change, Fraction(7, 9))
        # Overall, all parts: every value averages 4 for peers and 5 for self, 2 for supervisors → 4 again.
        self.assertEqual(summary.overall[selectors.ALL].mean, 4)
        self.assertEqual(summary.previous_week, "2026-W48")
        self.assertEqual([p.week for p in summary.trend], ["2026-W48", WEEK])
        self.assertEqual(summary.trend[0].scores[Part.PEER].mean, 3)

    def test_the_page_writes_them_the_indonesian_way(self) -> None:
        client = Client()
        client.force_login(self.koord_dukcapil)
        page = client.get(url()).content.decode()
        row = page[
            page.index("<td>Berorientasi Pelayanan</td>") : page.index(
                "</tr>", page.index("<td>Berorientasi")
            )
        ]
        # Diri 5,00 · Rekan 4,00 · Atasan withheld · Semua 4,00 · 2026-W48 3,22 · +0,78
        self.assertEqual(
            [cell.split(">")[-1] for cell in row.split("</td>")[1:-1]],
            ["5,00", "4,00", "&lt; 3 penilai", "4,00", "3,22", "+0,78"],
        )
        self.assertIn("<svg", page)  # the trend chart, two weeks

    def test_facilitators_and_staff_do_not_read_the_scores_leadership_does(self) -> None:
        for persona, status in (
            ("fasilitator", 404),
            ("staf_dukcapil", 404),
            ("pimpinan", 200),
            ("koord_pupr", 404),
        ):
            client = Client()
            client.force_login(getattr(self, persona))
            with self.subTest(persona=persona):
                self.assertEqual(client.get(url()).status_code, status)

    def test_the_summary_costs_the_same_queries_whatever_the_number_of_weeks(self) -> None:
        client = Client()
        client.force_login(self.koord_dukcapil)
        client.get(url())
        with CaptureQueriesContext(connection) as two_weeks:
            client.get(url())
        for weeks_back in range(2, 6):
            friday = FRIDAY - dt.timedelta(weeks=weeks_back)
            with time_machine.travel(at(friday), tick=False):
                self.fill_everything(self.open_round(friday=friday))
        with CaptureQueriesContext(connection) as six_weeks:
            client.get(url())
        self.assertEqual(len(six_weeks), len(two_weeks), [q["sql"][:90] for q in six_weeks])
        self.assertLessEqual(len(two_weeks), 30)


@time_machine.travel(NOW, tick=False)
class ParticipationAndRemindersTests(EvaluationTestCase):
    def test_participation_counts_what_was_filled_in_against_what_was_expected(self) -> None:
        round_ = self.open_round()
        for assignment in round_.assignments.exclude(rater=self.baiq).select_related(
            "round__instrument_version", "rater"
        ):
            self.submit(assignment, 4)
        summary = selectors.week_summary(user=self.koord_dukcapil, office=self.dukcapil, week=WEEK)
        # 8 people: Baiq's own and her three colleagues are missing.
        self.assertEqual(
            [(p.part, p.done, p.expected) for p in summary.participation],
            [(Part.SELF, 7, 8), (Part.PEER, 21, 24), (Part.SUPERVISOR, 4, 4)],
        )
        self.assertEqual(summary.facilitators, 1)

    def test_reminders_name_who_has_not_finished_with_a_ready_whatsapp_message(self) -> None:
        round_ = self.open_round()
        for assignment in round_.assignments.exclude(rater__in=[self.baiq, self.sekretaris]).select_related(
            "round__instrument_version", "rater"
        ):
            self.submit(assignment, 4)
        client = Client()
        client.force_login(self.koord_dukcapil)
        page = client.get(url()).content.decode()
        section = page[page.index('id="pengingat"') :]
        self.assertIn("Baiq Nurul Aini", section)
        self.assertIn("Ida Ayu Komang Sari", section)
        self.assertNotIn("Lalu Muhammad Zaini</span>", section)
        links = [
            urllib.parse.unquote(part.split('"')[0]) for part in section.split('href="https://wa.me/')[1:]
        ]
        baiq = next(link for link in links if "Baiq" in link)
        self.assertTrue(baiq.startswith("6281234567890?text=Assalamu'alaikum, Ibu Baiq Nurul Aini."))
        self.assertIn("penilaian diri, 3 penilaian rekan", baiq)
        self.assertIn("Senin, 7 Desember 2026 pukul 12.00 WITA", baiq)
        self.assertIn("http://testserver/evaluasi/", baiq)
        sekretaris = next(link for link in links if "Ida Ayu" in link)
        self.assertTrue(sekretaris.startswith("?text=Salam sejahtera, Ibu Ida Ayu Komang Sari."))  # no phone
        leadership = Client()
        leadership.force_login(self.pimpinan)
        self.assertNotIn('id="pengingat"', leadership.get(url()).content.decode())

    def test_a_week_without_a_round_says_so_and_still_answers(self) -> None:
        client = Client()
        client.force_login(self.koord_dukcapil)
        response = client.get(url("2026-W40"))
        self.assertContains(response, "Belum ada putaran evaluasi pada pekan ini.")
        self.assertEqual(client.get(url("2026-W54")).status_code, 404)
        self.assertEqual(client.get(url("minggu-ini")).status_code, 404)


@time_machine.travel(NOW, tick=False)
class AttendanceTests(EvaluationTestCase):
    def test_the_week_s_attendance_is_on_the_summary(self) -> None:
        self.open_round()
        start = dt.datetime(2026, 12, 2, 12, 15, tzinfo=WITA)
        gathering = Gathering.objects.create(
            office=self.dukcapil,
            date=start.date(),
            start=start,
            end=start + dt.timedelta(minutes=45),
            place="Musala",
            status=Gathering.Status.HELD,
        )
        people = list(Employee.objects.filter(office=self.dukcapil).order_by("pk")[:4])
        for employee, status in zip(people, ("H", "H", "T", "TK"), strict=True):
            Attendance.objects.create(
                gathering=gathering, employee=employee, status=status, source="rollcall"
            )
        summary = selectors.week_summary(user=self.koord_dukcapil, office=self.dukcapil, week=WEEK)
        # (H + T) / expected = 3 / 4.
        assert summary.attendance is not None
        self.assertEqual(summary.attendance.rate, Fraction(3, 4))
        client = Client()
        client.force_login(self.koord_dukcapil)
        self.assertContains(client.get(url()), "75,0%")


@time_machine.travel(NOW, tick=False)
class FollowUpTests(EvaluationTestCase):
    def test_an_action_is_carried_week_to_week_until_it_is_closed(self) -> None:
        action = services.action_create(
            office=self.dukcapil,
            week="2026-W47",
            user=self.koord_dukcapil,
            text="Kursi tunggu tambahan di ruang pelayanan",
            owner_id=self.head.pk,
            due_on=dt.date(2026, 12, 11),
        )
        later = services.action_create(
            office=self.dukcapil, week=WEEK, user=self.koord_dukcapil, text="Jadwal piket loket"
        )

        def shown(week: str) -> list[str]:
            return [
                a.text
                for a in selectors.actions_for_week(user=self.koord_dukcapil, office=self.dukcapil, week=week)
            ]

        self.assertEqual(shown("2026-W46"), [])
        self.assertEqual(shown("2026-W48"), ["Kursi tunggu tambahan di ruang pelayanan"])
        services.action_update(
            action=action, week="2026-W48", user=self.koord_dukcapil, status=FollowUpAction.Status.DONE
        )
        action.refresh_from_db()
        self.assertEqual(action.week_closed, "2026-W48")
        self.assertEqual(shown("2026-W48"), ["Kursi tunggu tambahan di ruang pelayanan"])  # closed that week
        self.assertEqual(shown(WEEK), [later.text])
        entry = AuditEntry.objects.get(action="evaluation.action_update")
        self.assertEqual((entry.old["status"], entry.new["status"]), ("open", "done"))
        services.action_update(
            action=action, week=WEEK, user=self.koord_dukcapil, status=FollowUpAction.Status.IN_PROGRESS
        )
        self.assertIn(action.text, shown(WEEK))  # reopened: carried again

    def test_the_page_records_and_updates_an_action_and_a_failed_form_keeps_what_was_typed(self) -> None:
        client = Client()
        client.force_login(self.koord_dukcapil)
        bad = client.post(url() + "tindak-lanjut/", {"text": "Papan alur layanan", "due_on": "31-31-2026"})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "Papan alur layanan", status_code=400)
        good = client.post(
            url() + "tindak-lanjut/",
            {"text": "Papan alur layanan", "owner": self.head.pk, "due_on": "2026-12-18"},
        )
        self.assertEqual(good.status_code, 302)
        action = FollowUpAction.objects.get()
        self.assertEqual(
            (action.owner, action.due_on, action.week_opened), (self.head, dt.date(2026, 12, 18), WEEK)
        )
        page = client.get(url()).content.decode()
        self.assertIn("Papan alur layanan", page)
        self.assertIn("Hj. Rabiatul Adawiyah", page)
        client.post(f"/opd/DUKCAPIL/evaluasi/tindak-lanjut/{action.pk}/", {"status": "done", "week": WEEK})
        action.refresh_from_db()
        self.assertEqual((action.status, action.week_closed), ("done", WEEK))
        other = Employee.objects.get(user=self.staf_pupr)
        client.post(url() + "tindak-lanjut/", {"text": "Bukan pegawai kami", "owner": other.pk})
        self.assertFalse(FollowUpAction.objects.filter(text="Bukan pegawai kami").exists())

    def test_leadership_reads_actions_but_cannot_record_them(self) -> None:
        client = Client()
        client.force_login(self.pimpinan)
        self.assertEqual(client.post(url() + "tindak-lanjut/", {"text": "x"}).status_code, 404)
        self.assertFalse(FollowUpAction.objects.exists())


@time_machine.travel(NOW, tick=False)
class FormsFuzzTests(HypothesisTestCase, EvaluationTestCase):
    fields = st.dictionaries(
        st.sampled_from(["text", "owner", "due_on", "status", "week", "supervisor", "subject"]),
        st.one_of(
            st.text(max_size=40),
            st.integers(-5, 10**6).map(str),
            st.sampled_from(["2026-W49", "done", "2026-12-31"]),
        ),
    )

    @settings(max_examples=40, deadline=None)
    @given(data=fields, target=st.sampled_from(["tindak-lanjut/", "atasan/", "narasi/", "aksi"]))
    def test_any_post_to_the_coordinator_s_forms_is_handled_never_a_server_error(
        self, data: dict[str, str], target: str
    ) -> None:
        if not selectors.round_get(user=self.koord_dukcapil, office=self.dukcapil, week=WEEK):
            self.open_round()
        action = FollowUpAction.objects.first() or services.action_create(
            office=self.dukcapil, week=WEEK, user=self.koord_dukcapil, text="Uji"
        )
        client = Client()
        client.force_login(self.fasilitator if target == "narasi/" else self.koord_dukcapil)
        address = f"/opd/DUKCAPIL/evaluasi/tindak-lanjut/{action.pk}/" if target == "aksi" else url() + target
        self.assertIn(client.post(address, data).status_code, (200, 302, 400))

    @settings(max_examples=30, deadline=None)
    @given(week=st.text(max_size=12), part=st.text(max_size=12))
    def test_any_week_or_part_in_the_address_is_answered(self, week: str, part: str) -> None:
        client = Client()
        client.force_login(self.koord_dukcapil)
        quoted = urllib.parse.quote(week, safe="") or "x"
        self.assertIn(client.get(f"/opd/DUKCAPIL/evaluasi/{quoted}/").status_code, (200, 404))
        self.assertEqual(client.get("/opd/DUKCAPIL/evaluasi/", {"bagian": part}).status_code, 200)
        self.assertIn(
            client.get(f"/api/v1/offices/DUKCAPIL/evaluation?week={quoted}").status_code, (200, 422)
        )
