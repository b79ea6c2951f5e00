"""What fuzzing the API found, kept fixed: each test is one finding of tests/reliability/test_fuzz_api.py
(schemathesis) written down as a plain example."""

from __future__ import annotations

import json

import pytest

from perjumpaan.api.api import api
from perjumpaan.org.models import ApiToken, Employee, Unit
from tests.base import PerjumpaanTestCase

pytestmark = pytest.mark.reliability


class FindingsTests(PerjumpaanTestCase):
    def bearer(self, user: object) -> dict[str, str]:
        token = f"temuan-{user.pk}-0123456789abcdefghij"  # type: ignore[attr-defined]
        ApiToken.objects.get_or_create(digest=ApiToken.digest_of(token), defaults={"user": user})
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def test_me_answers_for_staff_whose_record_names_a_unit(self) -> None:
        # Was 500: the employee was validated twice and the unit's name taken for the unit.
        employee = Employee.objects.get(user=self.staf_dukcapil)
        employee.unit = Unit.objects.get(office=self.dukcapil)
        employee.save()
        response = self.client.get("/api/v1/me", **self.bearer(self.staf_dukcapil))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["employee"]["unit"], "Pelayanan Pendaftaran Penduduk")

    def test_a_body_django_cannot_parse_is_a_400_in_the_one_shape(self) -> None:
        # Was 500 in production: django-axes reads request.POST on a failed login, and a multipart body
        # without a boundary raised there.
        response = self.client.generic(
            "POST",
            "/api/v1/auth/token",
            b'{"username": "tidak.ada", "password": "salah"}',
            content_type="multipart/form-data",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"detail": "Isi permintaan tidak dapat dibaca.", "errors": []})

    def test_the_document_declares_the_refusals_every_operation_can_answer(self) -> None:
        document = api.get_openapi_schema(path_prefix="/api/v1")
        document = json.loads(json.dumps(document, default=str))  # as served: the keys become text
        checkins = document["paths"]["/api/v1/checkins"]["post"]["responses"]
        self.assertTrue({"400", "401", "403", "413", "422", "429"} <= set(checkins))
        me = document["paths"]["/api/v1/me"]["get"]["responses"]
        self.assertIn("401", me)
        office = document["paths"]["/api/v1/offices/{code}"]["get"]["responses"]
        self.assertTrue({"401", "404", "422"} <= set(office))
        self.assertEqual(
            office["422"]["content"]["application/json"]["schema"], {"$ref": "#/components/schemas/ErrorOut"}
        )
