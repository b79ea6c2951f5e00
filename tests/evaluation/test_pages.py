"""The other pages: the facilitator's narrative, supervisor assignments, the office's trends and one's
own results over time."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client

from perjumpaan.evaluation.models import Assignment, Narrative, Part
from perjumpaan.org.models import AuditEntry
from tests.evaluation.helpers import AFTER_CLOSE, FRIDAY, NOW, WEEK, EvaluationTestCase, at

NARRATIVE = f"/opd/DUKCAPIL/evaluasi/{WEEK}/narasi/"
SUPERVISORS = f"/opd/DUKCAPIL/evaluasi/{WEEK}/atasan/"


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@time_machine.travel(NOW, tick=False)
class NarrativeTests(EvaluationTestCase):
    def test_the_facilitator_writes_the_week_s_narrative_and_the_summary_shows_it(self) -> None:
        self.open_round()
        facilitator = client_for(self.fasilitator)
        self.assertContains(facilitator.get(NARRATIVE), "Catatan fasilitator pekan ini")
        empty = facilitator.post(NARRATIVE, {"text": "   "})
        self.assertEqual(empty.status_code, 400)
        response = facilitator.post(NARRATIVE, {"text": "Perjumpaan hangat; tadabbur tentang sabar."})
        self.assertEqual(response.status_code, 302)
        with time_machine.travel(AFTER_CLOSE, tick=False):
            summary = client_for(self.koord_dukcapil).get(f"/opd/DUKCAPIL/evaluasi/{WEEK}/").content.decode()
        self.assertIn("Perjumpaan hangat; tadabbur tentang sabar.", summary)

    def test_a_rewrite_after_the_close_is_audited(self) -> None:
        self.open_round()
        facilitator = client_for(self.fasilitator)
        facilitator.post(NARRATIVE, {"text": "Versi pertama."})
        facilitator.post(NARRATIVE, {"text": "Versi kedua."})
        self.assertFalse(AuditEntry.objects.exists())  # before the close, a draft being written
        with time_machine.travel(AFTER_CLOSE, tick=False):
            facilitator.post(NARRATIVE, {"text": "Versi ketiga, sesudah ditutup."})
        entry = AuditEntry.objects.get(action="evaluation.narrative_edit")
        self.assertEqual(
            (entry.old["text"], entry.new["text"]), ("Versi kedua.", "Versi ketiga, sesudah ditutup.")
        )
        self.assertEqual(Narrative.objects.get().text, "Versi ketiga, sesudah ditutup.")

    def test_only_a_facilitator_of_the_office_writes_and_only_when_there_is_a_round(self) -> None:
        facilitator = client_for(self.fasilitator)
        self.assertContains(facilitator.get(NARRATIVE), "Belum ada putaran")
        self.assertEqual(facilitator.post(NARRATIVE, {"text": "x"}).status_code, 302)
        self.open_round()
        coordinator = client_for(self.koord_dukcapil)
        self.assertEqual(coordinator.get(NARRATIVE).status_code, 200)
        self.assertEqual(coordinator.post(NARRATIVE, {"text": "Bukan fasilitator"}).status_code, 302)
        self.assertEqual(client_for(self.staf_dukcapil).get(NARRATIVE).status_code, 404)
        # The office's evaluation link takes a facilitator to the week's narrative.
        self.assertRedirects(
            facilitator.get("/opd/DUKCAPIL/evaluasi/"), NARRATIVE, fetch_redirect_response=False
        )
        self.assertEqual(client_for(self.staf_dukcapil).get("/opd/DUKCAPIL/evaluasi/").status_code, 404)
        self.assertEqual(client_for(self.koord_pupr).get(NARRATIVE).status_code, 404)
        self.assertFalse(Narrative.objects.exists())


@time_machine.travel(NOW, tick=False)
class SupervisorPageTests(EvaluationTestCase):
    def test_the_coordinator_sees_adds_and_removes_supervisor_assignments(self) -> None:
        round_ = self.open_round()
        coordinator = client_for(self.koord_dukcapil)
        page = coordinator.get(SUPERVISORS).content.decode()
        self.assertEqual(page.count("Hj. Rabiatul Adawiyah<br>"), 4)
        added = coordinator.post(
            SUPERVISORS, {"supervisor": self.sekretaris.pk, "subject": self.bendahara.pk}
        )
        self.assertEqual(added.status_code, 302)
        self.assertTrue(
            Assignment.objects.filter(round=round_, part=Part.SUPERVISOR, rater=self.sekretaris).exists()
        )
        again = coordinator.post(
            SUPERVISORS, {"supervisor": self.sekretaris.pk, "subject": self.bendahara.pk}
        )
        self.assertContains(again, "sudah ada", status_code=400)
        removed = Assignment.objects.get(round=round_, part=Part.SUPERVISOR, subject=self.zaini)
        coordinator.post(f"/opd/DUKCAPIL/evaluasi/penugasan/{removed.pk}/hapus/")
        self.assertFalse(Assignment.objects.filter(pk=removed.pk).exists())
        own = Assignment.objects.get(round=round_, part=Part.SELF, rater=self.baiq)
        coordinator.post(f"/opd/DUKCAPIL/evaluasi/penugasan/{own.pk}/hapus/")
        self.assertTrue(Assignment.objects.filter(pk=own.pk).exists())

    def test_a_closed_round_cannot_be_changed_and_others_cannot_reach_the_page(self) -> None:
        self.open_round()
        with time_machine.travel(AFTER_CLOSE, tick=False):
            page = client_for(self.koord_dukcapil).get(SUPERVISORS)
            self.assertContains(page, "sudah ditutup")
            self.assertNotContains(page, "Tambah penugasan")
        for persona in (self.pimpinan, self.fasilitator, self.staf_dukcapil, self.koord_pupr):
            self.assertEqual(client_for(persona).get(SUPERVISORS).status_code, 404)


class TrendTests(EvaluationTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Three closed weeks, peers giving 3, then 3 (BP 4), then 4; self always 5.
        for weeks_back, peer in ((2, 3), (1, 3), (0, 4)):
            friday = FRIDAY - dt.timedelta(weeks=weeks_back)
            with time_machine.travel(at(friday), tick=False):
                round_ = cls.open_round(friday=friday)
                for assignment in round_.assignments.select_related("round__instrument_version", "rater"):
                    if assignment.part == Part.SELF:
                        cls.submit(assignment, 5)
                    elif assignment.part == Part.PEER:
                        cls.submit(
                            assignment,
                            lambda item, p=peer, w=weeks_back: (
                                4 if (w == 1 and item.value_code == "BP") else p
                            ),
                        )

    @time_machine.travel(AFTER_CLOSE, tick=False)
    def test_the_office_s_trend_shows_each_value_week_by_week(self) -> None:
        page = (
            client_for(self.koord_dukcapil)
            .get("/opd/DUKCAPIL/evaluasi/", {"bagian": "peer"})
            .content.decode()
        )
        self.assertIn("P47", page)
        self.assertIn("P49", page)
        row = page[
            page.index("<td>Berorientasi Pelayanan</td>") : page.index(
                "</tr>", page.index("<td>Berorientasi")
            )
        ]
        self.assertEqual([c.split(">")[-1] for c in row.split("</td>")[1:-1]], ["3,00", "4,00", "4,00"])
        self.assertEqual(page.count("<svg"), 2)  # BerAKHLAK and the programme's aims
        self.assertIn('<option value="peer" selected>', page)

    @time_machine.travel(AFTER_CLOSE, tick=False)
    def test_one_s_own_page_shows_self_and_peer_averages_over_the_weeks(self) -> None:
        page = client_for(self.staf_dukcapil).get("/saya/evaluasi/").content.decode()
        self.assertIn("2026-W47", page)
        self.assertIn("<svg", page)
        latest = page[page.index("<tbody>") : page.index("</tr>", page.index("<tbody>"))]
        self.assertIn("2026-W49", latest)
        self.assertEqual([c.split(">")[-1] for c in latest.split("</td>")[1:-1]], ["5,00", "4,00"])

    @time_machine.travel(NOW, tick=False)
    def test_the_week_still_open_is_not_on_one_s_own_page(self) -> None:
        page = client_for(self.staf_dukcapil).get("/saya/evaluasi/").content.decode()
        self.assertNotIn("2026-W49", page)
        self.assertIn("2026-W48", page)

    def test_someone_who_is_not_staff_has_no_page_of_their_own(self) -> None:
        self.assertEqual(client_for(self.koord_dukcapil).get("/saya/evaluasi/").status_code, 404)
