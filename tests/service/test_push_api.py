"""The queue machine's push: POST /api/v1/service-records, all or nothing, idempotent, one error shape."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from perjumpaan.org.models import ApiToken, Employee, Role, User
from perjumpaan.service.models import ServiceRecord
from tests.api.shape import error_body
from tests.service.helpers import ServiceTestCase, stored_answer, wita

URL = "/api/v1/service-records"
DAY = dt.date(2026, 11, 27)


def item(ticket: str = "A001", **extra: Any) -> dict[str, Any]:
    body = {
        "office": "DUKCAPIL",
        "date": DAY.isoformat(),
        "ticket": ticket,
        "service": "KTP-EL",
        "arrival": "2026-11-27T08:15:00+08:00",
        "called": "2026-11-27T08:40:00+08:00",
        "finished": "2026-11-27T08:52:30+08:00",
        "counter": "2",
        "result": "selesai",
    }
    body.update(extra)
    return body


class PushCase(ServiceTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A machine account: no password, a coordinator role on its office, a token.
        cls.machine = User.objects.create_user(username="mesin.antrian.dukcapil")
        Role.objects.create(
            user=cls.machine, kind=Role.Kind.COORDINATOR, government=cls.government, office=cls.dukcapil
        )
        ApiToken.objects.create(
            user=cls.machine, digest=ApiToken.digest_of("mesin-token"), name="mesin antrian"
        )
        ApiToken.objects.create(user=cls.staf_dukcapil, digest=ApiToken.digest_of("staf-token"))

    def push(self, body: Any, token: str = "mesin-token") -> Any:  # noqa: S107 - a test token
        return Client().post(
            URL, data=json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )


class PushTests(PushCase):
    def test_a_machine_account_stores_a_batch_and_gets_one_result_per_item(self) -> None:
        response = self.push([item("A001"), item("A002", service="Kartu Keluarga", result="ditunda")])
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual((body["created"], body["updated"], body["unchanged"]), (2, 0, 0))
        self.assertEqual([r["outcome"] for r in body["results"]], ["created", "created"])
        record = ServiceRecord.objects.get(pk=body["results"][0]["id"])
        self.assertEqual((record.ticket, record.arrival, record.source), ("A001", wita(DAY, 8, 15), "mesin"))
        self.assertEqual(ServiceRecord.objects.get(ticket="A002").service.code, "KK")

    def test_sending_the_same_batch_again_changes_nothing(self) -> None:
        batch = [item("A001"), item("A002")]
        self.push(batch)
        before = list(ServiceRecord.objects.order_by("pk").values())
        body = self.push(batch).json()
        self.assertEqual((body["created"], body["updated"], body["unchanged"]), (0, 0, 2))
        self.assertEqual(list(ServiceRecord.objects.order_by("pk").values()), before)

    def test_a_changed_item_updates_its_record(self) -> None:
        self.push([item("A001")])
        body = self.push([item("A001", finished="2026-11-27T09:00:00+08:00")]).json()
        self.assertEqual(body["results"][0]["outcome"], "updated")
        self.assertEqual(ServiceRecord.objects.get().finished, wita(DAY, 9, 0))

    def test_times_without_a_zone_are_wita(self) -> None:
        self.push(
            [
                item(
                    "A001",
                    arrival="2026-11-27T08:15:00",
                    called="2026-11-27T08:20:00",
                    finished="2026-11-27T08:25:00",
                )
            ]
        )
        self.assertEqual(ServiceRecord.objects.get().arrival, wita(DAY, 8, 15))

    def test_an_officer_is_named_by_nip(self) -> None:
        officer = Employee.objects.get(name="Lalu Muhammad Zaini")
        self.push([item("A001", officer_nip=officer.nip)])
        self.assertEqual(ServiceRecord.objects.get().officer, officer)

    def test_an_empty_batch_is_answered_with_nothing_done(self) -> None:
        body = self.push([]).json()
        self.assertEqual(body, {"created": 0, "updated": 0, "unchanged": 0, "results": []})


class PushErrorTests(PushCase):
    def test_one_bad_item_stores_nothing_and_each_problem_names_its_item_and_field(self) -> None:
        response = self.push(
            [
                item("A001"),
                item("A002", service="PASPOR"),
                item("A003", called="2026-11-27T08:00:00+08:00"),
                item("A001"),
                item("A004", date="2026-11-28"),
                item("A005", finished=None, result="selesai"),
            ]
        )
        body = error_body(response, 422)
        self.assertEqual(ServiceRecord.objects.count(), 0)
        self.assertEqual(
            {tuple(e["loc"]) for e in body["errors"]},
            {
                ("body", "payload", "1", "service"),
                ("body", "payload", "2", "called"),
                ("body", "payload", "3", "ticket"),
                ("body", "payload", "4", "date"),
                ("body", "payload", "5", "finished"),
            },
        )
        self.assertIn("tidak ada yang disimpan", body["detail"])

    def test_a_schema_error_is_422_in_the_one_shape(self) -> None:
        body = error_body(self.push([item("A001", result="hilang", nik="5201010101010001")]), 422)
        self.assertEqual({e["loc"][-1] for e in body["errors"]}, {"result", "nik"})

    def test_a_body_that_is_not_a_list_is_422(self) -> None:
        error_body(self.push(item("A001")), 422)

    def test_an_office_the_account_cannot_manage_is_an_item_error_that_does_not_say_whether_it_exists(
        self,
    ) -> None:
        messages = set()
        for office in ("PUPR", "TIDAKADA"):
            with self.subTest(office=office):
                body = error_body(self.push([item("A001", office=office)]), 422)
                self.assertEqual(body["errors"][0]["loc"], ["body", "payload", "0", "office"])
                messages.add(body["errors"][0]["msg"].replace(office, "?"))
        self.assertEqual(len(messages), 1, messages)

    def test_staff_cannot_push_even_for_their_own_office(self) -> None:
        error_body(self.push([item("A001")], token="staf-token"), 422)
        self.assertFalse(ServiceRecord.objects.exists())

    def test_without_a_token_it_is_401(self) -> None:
        error_body(Client().post(URL, data="[]", content_type="application/json"), 401)


class CatalogueAndIkmApiTests(PushCase):
    def test_the_catalogue_lists_the_codes_a_machine_sends(self) -> None:
        response = Client().get("/api/v1/offices/DUKCAPIL/services", HTTP_AUTHORIZATION="Bearer mesin-token")
        self.assertEqual([s["code"] for s in response.json()][:2], ["KTP-EL", "KK"])

    def test_the_ikm_of_a_period_says_n_the_weight_and_the_sample_check(self) -> None:
        self.record(DAY, "A1")
        stored_answer(
            office=self.dukcapil, submitted_at=wita(DAY, 9, 0), **{f"u{i}": 4 for i in range(1, 10)}
        )
        response = Client().get(
            "/api/v1/offices/DUKCAPIL/ikm?period=2026-11", HTTP_AUTHORIZATION="Bearer mesin-token"
        )
        body = response.json()
        self.assertEqual(
            (
                body["n"],
                body["ikm"],
                body["mutu"],
                body["weight"],
                body["population"],
                body["minimum_sample"],
            ),
            (1, 100.0, "A", "exact", 1, 1),
        )

    def test_a_bad_period_is_422(self) -> None:
        response = Client().get(
            "/api/v1/offices/DUKCAPIL/ikm?period=2026-13", HTTP_AUTHORIZATION="Bearer mesin-token"
        )
        self.assertEqual(error_body(response, 422)["errors"][0]["loc"], ["query", "period"])


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.floats(allow_nan=False),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)


class PushNeverCrashTests(PushCase, HypothesisTestCase):
    @settings(max_examples=80, deadline=None)
    @given(
        st.lists(
            st.fixed_dictionaries({}, optional={k: _json_values | st.just(v) for k, v in item().items()}),
            max_size=4,
        )
    )
    def test_any_json_batch_is_stored_or_refused_in_the_one_shape(self, batch: list[dict[str, Any]]) -> None:
        response = self.push(batch)
        self.assertIn(response.status_code, (200, 422), response.content)
        if response.status_code == 422:
            error_body(response, 422)

    @settings(max_examples=40, deadline=None)
    @given(_json_values)
    def test_any_json_body_is_stored_or_refused_in_the_one_shape(self, body: Any) -> None:
        response = self.push(body)
        self.assertIn(response.status_code, (200, 422), response.content)
