"""Staff fill in the evaluation: one screen per person, big 1–5 buttons, a failed submit keeps what was
typed, a peer's answers are stored without them, and nothing is answered twice or for someone else."""

from __future__ import annotations

import re
from typing import Any

import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from perjumpaan.evaluation import services
from perjumpaan.evaluation.models import Assignment, Item, OpenAnswer, Part, Response, Round
from tests.evaluation.helpers import AFTER_CLOSE, NOW, EvaluationTestCase


def checked(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="(\d)" checked', page)


@time_machine.travel(NOW, tick=False)
class FillPagesTests(EvaluationTestCase):
    def setUp(self) -> None:
        self.round = self.open_round()
        self.client.force_login(self.staf_dukcapil)
        self.mine = {a.part: a for a in reversed(self.assignments(self.round, Part.PEER, rater=self.baiq))}
        self.own = self.assignments(self.round, Part.SELF, rater=self.baiq)[0]
        self.peer = self.assignments(self.round, Part.PEER, rater=self.baiq)[0]

    def form(self, assignment: Assignment, score: str = "4", **extra: str) -> dict[str, str]:
        data = {f"s{i.pk}": score for i in self.items(self.round, assignment.part)}
        data.update(extra)
        return data

    def test_the_list_shows_oneself_then_the_colleagues_to_rate(self) -> None:
        page = self.client.get(reverse("evaluation:fill")).content.decode()
        self.assertIn("dari 4 penilaian selesai", page)
        self.assertLess(page.index("Diri sendiri"), page.index(self.peer.subject.name))
        for assignment in self.assignments(self.round, Part.PEER, rater=self.baiq):
            self.assertIn(reverse("evaluation:fill_assignment", args=[assignment.pk]), page)
        self.assertNotIn("<script>", page)

    def test_one_screen_per_person_with_five_labelled_buttons_per_behaviour(self) -> None:
        page = self.client.get(reverse("evaluation:fill_assignment", args=[self.peer.pk])).content.decode()
        self.assertIn(self.peer.subject.name, page)
        self.assertEqual(page.count('role="radiogroup"'), 25)
        self.assertEqual(page.count('type="radio"'), 125)
        for label in ("Sangat kurang", "Kurang", "Cukup", "Baik", "Sangat baik"):
            self.assertIn(label, page)
        self.assertIn("Memahami dan memenuhi kebutuhan masyarakat", page)
        self.assertIn("Anonim", page)
        self.assertNotIn("<textarea", page)  # open questions are asked once, of oneself
        own = self.client.get(reverse("evaluation:fill_assignment", args=[self.own.pk])).content.decode()
        self.assertEqual(own.count("<textarea"), 2)
        self.assertIn("Apa yang sudah baik di kantor kita pekan ini?", own)

    def test_a_complete_submit_stores_it_and_moves_on_to_the_next_person(self) -> None:
        response = self.client.post(
            reverse("evaluation:fill_assignment", args=[self.own.pk]),
            self.form(
                self.own,
                t0="",
                **{
                    f"t{i.pk}": "Tadarus tepat waktu."
                    for i in self.items(self.round, Part.SELF, Item.Kind.OPEN)[:1]
                },
            ),
        )
        self.assertEqual(response.status_code, 302)
        following = Assignment.objects.filter(rater=self.baiq, done=False).order_by("pk").first()
        self.assertIsNotNone(following)
        self.assertTrue(Assignment.objects.get(pk=self.own.pk).done)
        stored = Response.objects.get(round=self.round, part=Part.SELF)
        self.assertEqual((stored.rater_id, stored.subject_id), (self.baiq.pk, self.baiq.pk))
        self.assertEqual(set(stored.scores.values()), {4})
        self.assertEqual(len(stored.scores), 25)
        self.assertEqual(list(OpenAnswer.objects.values_list("text", flat=True)), ["Tadarus tepat waktu."])

    def test_a_failed_submit_keeps_every_choice_and_every_word(self) -> None:
        items = self.items(self.round, Part.SELF)
        question = self.items(self.round, Part.SELF, Item.Kind.OPEN)[0]
        data = {f"s{i.pk}": str(1 + n % 5) for n, i in enumerate(items[:20])}
        data[f"t{question.pk}"] = "Kami saling membantu di loket."
        response = self.client.post(reverse("evaluation:fill_assignment", args=[self.own.pk]), data)
        self.assertEqual(response.status_code, 400)
        page = response.content.decode()
        self.assertIn("Masih ada 5 butir yang belum dinilai", page)
        self.assertEqual(page.count("Pilih salah satu nilai 1–5."), 5)
        for n, item in enumerate(items[:20]):
            self.assertEqual(checked(page, f"s{item.pk}"), [str(1 + n % 5)])
        for item in items[20:]:
            self.assertEqual(checked(page, f"s{item.pk}"), [])
        self.assertIn("Kami saling membantu di loket.</textarea>", page)
        self.assertFalse(Response.objects.exists())
        self.assertFalse(Assignment.objects.get(pk=self.own.pk).done)

    def test_a_peer_s_answers_are_stored_without_them_and_cannot_be_sent_twice(self) -> None:
        url = reverse("evaluation:fill_assignment", args=[self.peer.pk])
        self.assertEqual(self.client.post(url, self.form(self.peer, "5")).status_code, 302)
        stored = Response.objects.get(part=Part.PEER)
        self.assertIsNone(stored.rater_id)
        self.assertEqual(stored.subject_id, self.peer.subject_id)
        self.assertEqual(
            {f.name for f in Response._meta.get_fields() if f.concrete},
            {"id", "round", "part", "subject", "rater", "scores"},
            "a response must carry no time or any other trace of its author",
        )
        again = self.client.post(url, self.form(self.peer, "1"))
        self.assertEqual(again.status_code, 400)
        self.assertEqual(Response.objects.filter(part=Part.PEER).count(), 1)
        self.assertContains(self.client.get(url), "sudah terkirim")

    def test_the_database_itself_refuses_a_peer_response_that_names_its_rater(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            Response.objects.create(
                round=self.round, part=Part.PEER, subject=self.zaini, rater=self.baiq, scores={}
            )

    def test_nobody_opens_someone_else_s_assignment(self) -> None:
        colleague_s = (
            Assignment.objects.filter(round=self.round, part=Part.PEER).exclude(rater=self.baiq).first()
        )
        assert colleague_s is not None
        url = reverse("evaluation:fill_assignment", args=[colleague_s.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, self.form(colleague_s)).status_code, 404)
        coordinator = Client()
        coordinator.force_login(self.koord_dukcapil)
        self.assertEqual(coordinator.get(url).status_code, 404)
        self.assertFalse(Response.objects.exists())

    def test_after_the_closing_time_the_screen_says_so_and_takes_nothing(self) -> None:
        url = reverse("evaluation:fill_assignment", args=[self.own.pk])
        with time_machine.travel(AFTER_CLOSE, tick=False):
            self.assertContains(self.client.get(url), "sudah ditutup")
            self.assertEqual(self.client.post(url, self.form(self.own)).status_code, 400)
            self.assertNotContains(self.client.get(reverse("evaluation:fill")), self.peer.subject.name)
        self.assertFalse(Response.objects.exists())

    def test_scores_outside_one_to_five_and_unknown_items_are_refused(self) -> None:
        items = self.items(self.round, Part.PEER)
        for bad in (0, 6, "abc", "4.5", 4.5, True, "04"):
            with self.subTest(bad=bad), self.assertRaises(services.EvaluationError) as caught:
                services.response_submit(
                    employee=self.baiq,
                    assignment_id=self.peer.pk,
                    scores={**{i.pk: 4 for i in items}, items[0].pk: bad},
                )
            self.assertEqual(caught.exception.errors, {items[0].pk: services.SCORE_INVALID})
        with self.assertRaisesMessage(services.EvaluationError, "bukan bagian"):
            services.response_submit(
                employee=self.baiq,
                assignment_id=self.peer.pk,
                scores={**{i.pk: 4 for i in items}, 999_999: 4},
            )
        with self.assertRaisesMessage(services.EvaluationError, services.TEXT_TOO_LONG.format(limit=2000)):
            self.submit(self.own, 4, texts={"BAIK": "x" * 2001})
        self.assertFalse(Response.objects.exists())

    def test_someone_without_an_employee_record_is_told_so(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        self.assertContains(
            self.client.get(reverse("evaluation:fill")), "tidak terhubung dengan data pegawai"
        )
        with self.assertRaisesMessage(services.EvaluationError, services.NOT_STAFF):
            services.response_submit(employee=None, assignment_id=self.own.pk, scores={})

    def test_the_pages_load_their_script_from_a_file(self) -> None:
        for url in (reverse("evaluation:fill"), reverse("evaluation:fill_assignment", args=[self.own.pk])):
            page = self.client.get(url).content.decode()
            self.assertIn("perjumpaan/evaluation.js", page)
            self.assertNotRegex(page, r"<script(?![^>]*\bsrc=)")
            self.assertNotRegex(page, r"\son[a-z]+=")


@time_machine.travel(NOW, tick=False)
class FillFuzzTests(HypothesisTestCase, EvaluationTestCase):
    values = st.one_of(
        st.sampled_from(["1", "3", "5", "0", "6", "", "4.0", "-1", "١"]),
        st.text(max_size=30),
        st.integers().map(str),
    )

    @settings(max_examples=30, deadline=None)
    @given(data=st.dictionaries(st.text(max_size=8), values, max_size=30), complete=st.booleans())
    def test_any_post_is_stored_or_refused_never_a_server_error(
        self, data: dict[str, str], complete: bool
    ) -> None:
        round_ = Round.objects.first() or self.open_round()
        own = Assignment.objects.get(round=round_, part=Part.SELF, rater=self.baiq)
        body: dict[str, Any] = dict(data)
        if complete:
            body.update({f"s{i.pk}": "3" for i in self.items(round_, Part.SELF)})
        client = Client()
        client.force_login(self.staf_dukcapil)
        response = client.post(reverse("evaluation:fill_assignment", args=[own.pk]), body)
        self.assertIn(response.status_code, (200, 302, 400))
