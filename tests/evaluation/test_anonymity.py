"""Trying to break anonymity: whoever reads the pages, the export or the API must not learn who rated
whom, nor anyone's peer scores but their own (and those only over three raters), nor a unit of two's,
nor anything from watching the numbers move while colleagues fill in."""

from __future__ import annotations

import io
import json
import re
import urllib.parse
from collections.abc import Iterator
from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from perjumpaan.core.scoping import scoped
from perjumpaan.evaluation.models import Assignment, Part, Response
from perjumpaan.org.models import AuditEntry, Employee, User
from tests.evaluation.helpers import AFTER_CLOSE, NOW, WEEK, EvaluationTestCase

SUMMARY = f"/opd/DUKCAPIL/evaluasi/{WEEK}/"
API = f"/api/v1/offices/DUKCAPIL/evaluation?week={WEEK}"


def keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys(inner)


class AnonymityCase(EvaluationTestCase):
    """Everyone fills in; the peer scores single people out on purpose: Lalu Muhammad Zaini gets 1 from
    every colleague, the secretariat (a unit of two) gets 2, everyone else 4. Self-assessments are 5,
    supervisors give 3."""

    def setUp(self) -> None:
        self.traveller = time_machine.travel(NOW, tick=False)
        self.traveller.start()
        self.addCleanup(self.traveller.stop)
        self.round = self.open_round()
        self.secretariat = {self.sekretaris.pk, self.bendahara.pk}
        self.people = list(Employee.objects.filter(office=self.dukcapil))

    def fill(self, skip: set[int] | None = None) -> None:
        for assignment in Assignment.objects.filter(round=self.round, done=False).select_related(
            "round__instrument_version", "rater"
        ):
            if skip and assignment.pk in skip:
                continue
            self.submit(assignment, self.score_for(assignment))

    def score_for(self, assignment: Assignment) -> int:
        if assignment.part == Part.SELF:
            return 5
        if assignment.part == Part.SUPERVISOR:
            return 3
        if assignment.subject_id == self.zaini.pk:
            return 1
        return 2 if assignment.subject_id in self.secretariat else 4

    def coordinator(self) -> Client:
        client = Client()
        client.force_login(self.koord_dukcapil)
        return client

    def names(self) -> list[str]:
        return [text for e in self.people for text in (e.name, e.nip)]


class ClosedRoundTests(AnonymityCase):
    def setUp(self) -> None:
        super().setUp()
        self.fill()
        self.traveller.stop()
        self.traveller = time_machine.travel(AFTER_CLOSE, tick=False)
        self.traveller.start()

    def results(self) -> str:
        """The summary up to its follow-up actions (whose form offers the staff as owners)."""
        page = self.coordinator().get(SUMMARY).content.decode()
        return page[: page.index('id="tindak-lanjut"')]

    def test_the_coordinator_s_summary_names_nobody_and_shows_no_one_s_peer_score(self) -> None:
        page = self.results()
        self.assertIn("Skor per nilai", page)
        leaked = [text for text in self.names() if text in page]
        self.assertEqual(leaked, [], "the summary names people")
        # Zaini's peer average (1,00) and the secretariat's (2,00) would each single someone out.
        self.assertNotIn(">1,00<", page)
        self.assertNotIn(">2,00<", page)

    def test_a_unit_of_two_is_never_its_own_row_and_cannot_be_subtracted_out(self) -> None:
        page = self.results()
        self.assertNotIn("Sekretariat", page)
        self.assertIn("Unit lain (digabung)", page)
        rows = re.findall(
            r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", page
        )
        # Every row covers at least three people assessed by at least three raters.
        self.assertTrue(rows)
        self.assertTrue(
            all(int(subjects) >= 3 and int(raters) >= 3 for _label, subjects, raters in rows), rows
        )

    def test_the_export_holds_no_name_no_nip_no_rater_and_no_time(self) -> None:
        response = self.coordinator().get(f"/opd/DUKCAPIL/evaluasi/{WEEK}/data.xlsx")
        self.assertEqual(response.status_code, 200)
        workbook = load_workbook(io.BytesIO(response.content))
        cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
        texts = [str(c.value) for c in cells if c.value is not None]
        self.assertEqual([t for t in texts if any(n in t for n in self.names())], [])
        self.assertFalse(any(c.is_date for c in cells), "a cell holds a date or time")
        answers = workbook["Jawaban (anonim)"]
        header = [c.value for c in next(answers.iter_rows())]
        self.assertEqual(
            header, ["Pekan", "Bagian", "Kode jawaban", "Kode nilai", "Butir", "Pernyataan", "Skor"]
        )
        # Self (8) and peer (24) responses of 25 items each; the supervisors' part is left out, since one
        # head gave all four of its responses (fewer than three raters).
        shown = Response.objects.filter(round=self.round, part__in=[Part.SELF, Part.PEER]).count()
        self.assertEqual(shown, 32)
        self.assertEqual(answers.max_row - 1, shown * 25)
        self.assertNotIn(
            "Penilaian atasan", {row[1] for row in answers.iter_rows(min_row=2, values_only=True)}
        )
        self.assertFalse([t for t in texts if re.search(r"\d{1,2}[.:]\d{2}", t) and "WITA" in t])

    def test_the_api_answers_aggregates_only(self) -> None:
        response = self.coordinator().get(API)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        text = json.dumps(body, ensure_ascii=False)
        self.assertEqual([n for n in self.names() if n in text], [])
        forbidden = {"rater", "rater_id", "subject", "subject_id", "employee", "nip", "name_of_rater"}
        self.assertEqual(set(keys(body)) & forbidden, set())
        peer = body["overall"]["peer"]
        self.assertGreaterEqual(peer["raters"], 3)
        self.assertTrue(all(u["subjects"] >= 3 and u["raters"] >= 3 for u in body["units"]))
        self.assertNotIn("Sekretariat", text)

    def test_the_person_rated_sees_their_average_and_nobody_behind_it(self) -> None:
        user = User.objects.create_user(username="zaini", password="x")
        Employee.objects.filter(pk=self.zaini.pk).update(user=user)
        client = Client()
        client.force_login(user)
        page = client.get(reverse("evaluation:mine")).content.decode()
        self.assertIn(">1,00<", page)  # three colleagues gave 1 for everything: (1 + 1 + 1) / 3
        others = [text for e in self.people if e.pk != self.zaini.pk for text in (e.name, e.nip)]
        self.assertEqual([t for t in others if t in page], [])
        api = client.get("/api/v1/evaluation/assignments").content.decode()
        self.assertEqual([t for t in others if t in api], [])

    def test_scoping_never_hands_out_a_peer_response_not_even_to_the_person_it_is_about(self) -> None:
        staff = scoped(self.staf_dukcapil, Response.objects.all())
        self.assertEqual({r.part for r in staff}, {Part.SELF})
        self.assertFalse(scoped(self.fasilitator, Response.objects.all()).exists())
        own_assignments = scoped(self.staf_dukcapil, Assignment.objects.all())
        self.assertEqual({a.rater_id for a in own_assignments}, {self.baiq.pk})

    def test_no_audit_entry_or_timestamp_records_a_submission(self) -> None:
        self.assertFalse(AuditEntry.objects.filter(object_type__startswith="evaluation.").exists())
        self.assertEqual(
            {f.name for f in Assignment._meta.get_fields() if f.concrete},
            {"id", "round", "part", "rater", "subject", "done"},
        )
        keys_ = list(Response.objects.filter(part=Part.PEER).values_list("pk", flat=True))
        self.assertEqual(len({k.version for k in keys_}), 1)  # random (v4) keys, no sequence
        self.assertNotEqual(keys_, sorted(keys_), "keys sort in insertion order")


class FewRatersTests(AnonymityCase):
    def test_fewer_than_three_raters_show_no_average_to_the_person(self) -> None:
        # Two of Zaini's three raters fill in; the third does not.
        third = Assignment.objects.filter(round=self.round, part=Part.PEER, subject=self.zaini).order_by(
            "pk"
        )[0]
        self.fill(skip={third.pk})
        user = User.objects.create_user(username="zaini", password="x")
        Employee.objects.filter(pk=self.zaini.pk).update(user=user)
        client = Client()
        client.force_login(user)
        with time_machine.travel(AFTER_CLOSE, tick=False):
            page = client.get(reverse("evaluation:mine")).content.decode()
        self.assertIn("&lt; 3 penilai", page)
        self.assertNotIn(">1,00<", page)


class OpenRoundTests(AnonymityCase):
    def test_nothing_moves_on_the_summary_or_the_api_when_one_colleague_finishes(self) -> None:
        self.fill(
            skip=set(
                Assignment.objects.filter(round=self.round, rater=self.baiq).values_list("pk", flat=True)
            )
        )
        coordinator = self.coordinator()
        before_page = coordinator.get(SUMMARY).content.decode()
        before_api = coordinator.get(API).json()
        for assignment in Assignment.objects.filter(round=self.round, rater=self.baiq).select_related(
            "round__instrument_version", "rater"
        ):
            self.submit(assignment, self.score_for(assignment))
        after_api = coordinator.get(API).json()
        self.assertEqual(before_api["values"], [])
        self.assertEqual(after_api["values"], [])
        self.assertEqual(before_api["overall"], after_api["overall"])
        self.assertEqual(before_api["open_questions"], after_api["open_questions"])
        self.assertNotEqual(before_api["participation"], after_api["participation"])  # only the counts move
        self.assertIn("tampil setelah putaran ditutup", before_page)
        self.assertNotIn("Skor per nilai", before_page)

    def test_open_answers_wait_for_the_close_and_come_without_names(self) -> None:
        own = Assignment.objects.get(round=self.round, part=Part.SELF, rater=self.baiq)
        self.submit(own, 5, texts={"BAIK": "Loket dibuka tepat waktu setiap pagi."})
        coordinator = self.coordinator()
        self.assertNotContains(coordinator.get(SUMMARY), "Loket dibuka tepat waktu")
        with time_machine.travel(AFTER_CLOSE, tick=False):
            page = coordinator.get(SUMMARY).content.decode()
        results = page[: page.index('id="tindak-lanjut"')]
        self.assertIn("Loket dibuka tepat waktu setiap pagi.", results)
        self.assertNotIn(self.baiq.name, results)

    def test_reminders_say_who_has_not_finished_but_never_whom_they_were_to_rate(self) -> None:
        page = self.coordinator().get(SUMMARY).content.decode()
        section = page[page.index('id="pengingat"') : page.index("</section>", page.index('id="pengingat"'))]
        items = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
        self.assertEqual(len(items), len(self.people))
        for item in items:
            named = [e.name for e in self.people if e.name in urllib.parse.unquote(item)]
            self.assertEqual(len(named), 1, f"a reminder names more than its addressee: {named}")
        self.assertIn("https://wa.me/6281234567890?text=", section)
        self.assertIn(urllib.parse.quote("3 penilaian rekan", safe=""), section)

    def test_staff_cannot_reach_the_summary_or_the_api_of_their_own_office(self) -> None:
        client = Client()
        client.force_login(self.staf_dukcapil)
        self.assertEqual(client.get(SUMMARY).status_code, 404)
        self.assertEqual(client.get(API).status_code, 404)
        self.assertEqual(client.get(f"/opd/DUKCAPIL/evaluasi/{WEEK}/data.xlsx").status_code, 404)
