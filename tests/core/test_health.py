"""Liveness (/healthz) and readiness (/readyz): the database answers, and every migration is applied."""

from __future__ import annotations

from unittest import mock

from django.test import TestCase

from perjumpaan.core import views


class ReadinessTests(TestCase):
    def setUp(self) -> None:
        views._ready_until = 0.0

    def test_ready_when_the_database_answers_and_migrations_are_applied(self) -> None:
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["migrations"], "applied")
        self.assertEqual(response["Cache-Control"], "max-age=0, no-cache, no-store, must-revalidate, private")

    def test_not_ready_while_migrations_are_pending(self) -> None:
        with mock.patch.object(views, "pending_migrations", return_value=["org.0099_baru"]):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(
            response.json(),
            {
                "status": "error",
                "database": response.json()["database"],
                "migrations": "pending",
                "pending": 1,
            },
        )
        # /healthz is liveness only: the process is alive and reaches its database.
        self.assertEqual(self.client.get("/healthz").status_code, 200)

    def test_not_ready_when_the_database_does_not_answer(self) -> None:
        with mock.patch.object(views.connection, "cursor", side_effect=OSError("mati")):
            self.assertEqual(self.client.get("/readyz").status_code, 503)
            self.assertEqual(self.client.get("/healthz").status_code, 503)

    def test_a_positive_answer_is_remembered_for_a_minute(self) -> None:
        self.client.get("/readyz")
        with mock.patch.object(views, "pending_migrations", side_effect=AssertionError("not asked")):
            self.assertEqual(self.client.get("/readyz").status_code, 200)
