"""The evaluation API: an office's week as aggregates, and staff answering from a phone."""

from __future__ import annotations

import json
from typing import Any

import time_machine
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from perjumpaan.evaluation.models import Assignment, Item, Part, Response
from tests.api.shape import error_body
from tests.evaluation.helpers import AFTER_CLOSE, NOW, WEEK, EvaluationTestCase

URL = f"/api/v1/offices/DUKCAPIL/evaluation?week={WEEK}"
POST = "/api/v1/evaluation/responses"


@time_machine.travel(NOW, tick=False)
class OfficeEvaluationApiTests(EvaluationTestCase):
    def client_for(self, persona: str) -> Client:
        client = Client()
        client.force_login(getattr(self, persona))
        return client

    def test_a_closed_week_answers_its_aggregates(self) -> None:
        round_ = self.open_round()
        self.fill_everything(round_, 4)
        with time_machine.travel(AFTER_CLOSE, tick=False):
            body = self.client_for("koord_dukcapil").get(URL).json()
        self.assertEqual((body["office"], body["week"], body["threshold"]), ("DUKCAPIL", WEEK, 3))
        self.assertTrue(body["round"]["closed"])
        self.assertEqual(body["round"]["friday"], "2026-12-04")
        self.assertEqual(
            [(p["part"], p["done"], p["expected"]) for p in body["participation"]],
            [("self", 8, 8), ("peer", 24, 24), ("supervisor", 4, 4)],
        )
        bp = body["values"][0]
        self.assertEqual((bp["code"], bp["group"]), ("BP", "berakhlak"))
        self.assertEqual(bp["scores"]["peer"], {"mean": 4.0, "responses": 24, "raters": 8, "withheld": False})
        self.assertEqual(
            bp["scores"]["supervisor"], {"mean": None, "responses": 4, "raters": 1, "withheld": True}
        )
        self.assertEqual(len(body["values"]), 11)
        self.assertEqual([q["code"] for q in body["open_questions"]], ["BAIK", "PERBAIKI"])

    def test_an_open_week_answers_participation_only(self) -> None:
        self.fill_everything(self.open_round(), 4)
        body = self.client_for("koord_dukcapil").get(URL).json()
        self.assertFalse(body["round"]["closed"])
        self.assertEqual(
            (body["values"], body["overall"], body["units"], body["open_questions"]), ([], {}, [], [])
        )
        self.assertEqual(body["participation"][0]["done"], 8)

    def test_a_week_without_a_round_answers_an_empty_week(self) -> None:
        body = self.client_for("admin").get("/api/v1/offices/PUPR/evaluation?week=2026-W10").json()
        self.assertIsNone(body["round"])
        self.assertEqual(body["participation"], [])

    def test_refusals_come_in_the_one_error_shape(self) -> None:
        self.assertEqual(
            error_body(Client().get(URL), 401)["detail"], "Perlu masuk terlebih dahulu (sesi atau token)."
        )
        for persona in ("koord_pupr", "staf_dukcapil", "fasilitator", "outsider"):
            with self.subTest(persona=persona):
                error_body(self.client_for(persona).get(URL), 404)
        bad = error_body(
            self.client_for("koord_dukcapil").get("/api/v1/offices/DUKCAPIL/evaluation?week=2026-48"), 422
        )
        self.assertEqual(bad["errors"][0]["loc"], ["query", "week"])
        missing = error_body(
            self.client_for("koord_dukcapil").get("/api/v1/offices/DUKCAPIL/evaluation"), 422
        )
        self.assertEqual(missing["errors"][0]["loc"][-1], "week")


@time_machine.travel(NOW, tick=False)
class ResponsesApiTests(EvaluationTestCase):
    def setUp(self) -> None:
        self.round = self.open_round()
        self.client.force_login(self.staf_dukcapil)
        self.peer = Assignment.objects.filter(round=self.round, part=Part.PEER, rater=self.baiq).order_by(
            "pk"
        )[0]

    def post(self, body: Any, client: Client | None = None) -> Any:
        return (client or self.client).post(POST, data=json.dumps(body), content_type="application/json")

    def answers(self, part: str = Part.PEER, score: int = 4) -> list[dict[str, Any]]:
        return [{"item_id": i.pk, "score": score} for i in self.items(self.round, part)]

    def test_a_phone_lists_its_assignments_with_their_items(self) -> None:
        body = self.client.get("/api/v1/evaluation/assignments").json()
        self.assertEqual([a["part"] for a in body], ["self", "peer", "peer", "peer"])
        self.assertEqual(len(body[1]["items"]), 25)
        self.assertEqual(len(body[0]["items"]), 27)  # with the two open questions
        self.assertEqual(body[0]["scale_labels"][0], "Sangat kurang")

    def test_a_phone_submits_one_assessment_once(self) -> None:
        response = self.post({"assignment_id": self.peer.pk, "answers": self.answers()})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json(), {"assignment_id": self.peer.pk, "done": True, "remaining": 3})
        self.assertIsNone(Response.objects.get().rater_id)
        again = error_body(self.post({"assignment_id": self.peer.pk, "answers": self.answers(score=1)}), 409)
        self.assertIn("sudah dikirim", again["detail"])

    def test_missing_or_wrong_scores_are_named_item_by_item(self) -> None:
        answers = self.answers()
        answers[0]["score"] = 7
        body = error_body(self.post({"assignment_id": self.peer.pk, "answers": answers[:-2]}), 400)
        self.assertIn("Masih ada 2 butir", body["detail"])
        self.assertEqual(len(body["errors"]), 3)
        self.assertIn(["body", "answers", str(answers[0]["item_id"])], [e["loc"] for e in body["errors"]])
        self.assertFalse(Response.objects.exists())

    def test_someone_else_s_or_an_unknown_assignment_is_refused(self) -> None:
        other = Assignment.objects.filter(round=self.round, part=Part.PEER).exclude(rater=self.baiq).first()
        assert other is not None
        for assignment_id in (other.pk, 999_999):
            body = error_body(self.post({"assignment_id": assignment_id, "answers": self.answers()}), 400)
            self.assertIn("bukan milik Anda", body["detail"])
        coordinator = Client()
        coordinator.force_login(self.koord_dukcapil)
        error_body(self.post({"assignment_id": self.peer.pk, "answers": self.answers()}, coordinator), 403)
        self.assertFalse(Response.objects.exists())

    def test_a_body_that_is_not_an_assessment_gets_the_one_error_shape(self) -> None:
        for body in (
            [],
            {"assignment_id": "x"},
            {"answers": []},
            "teks",
            {"assignment_id": 1, "answers": [{"item_id": "a"}]},
        ):
            with self.subTest(body=body):
                error_body(self.post(body), 422)

    def test_open_answers_arrive_without_their_author(self) -> None:
        own = Assignment.objects.get(round=self.round, part=Part.SELF, rater=self.baiq)
        question = next(
            i for i in self.items(self.round, Part.SELF, Item.Kind.OPEN) if i.value_code == "PERBAIKI"
        )
        answers = [
            *self.answers(Part.SELF, 5),
            {"item_id": question.pk, "text": "Piket loket saat istirahat."},
        ]
        self.assertEqual(self.post({"assignment_id": own.pk, "answers": answers}).status_code, 201)
        self.assertEqual(
            list(self.round.open_answers.values_list("text", flat=True)), ["Piket loket saat istirahat."]
        )


json_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(-10, 10**9), st.floats(allow_nan=False), st.text(max_size=20)
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@time_machine.travel(NOW, tick=False)
class ResponsesApiFuzzTests(HypothesisTestCase, EvaluationTestCase):
    @settings(max_examples=40, deadline=None)
    @given(
        body=st.one_of(
            json_values,
            st.fixed_dictionaries(
                {
                    "assignment_id": st.integers(-5, 10**6),
                    "answers": st.lists(
                        st.fixed_dictionaries(
                            {}, optional={"item_id": json_values, "score": json_values, "text": json_values}
                        ),
                        max_size=5,
                    ),
                }
            ),
        )
    )
    def test_any_json_body_is_stored_or_refused_in_the_one_shape(self, body: Any) -> None:
        client = Client()
        client.force_login(self.staf_dukcapil)
        response = client.post(POST, data=json.dumps(body), content_type="application/json")
        self.assertIn(response.status_code, (201, 400, 409, 422), response.content)
        if response.status_code != 201:
            error_body(response, response.status_code)
