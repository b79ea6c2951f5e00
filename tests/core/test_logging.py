"""Structured logs: one JSON line per request, with its id, user, path, status and duration, and nothing
personal."""

from __future__ import annotations

import json
import logging

from django.test import override_settings

from perjumpaan.core.logging import JsonFormatter, RequestIdFilter, request_id_var
from tests.base import PerjumpaanTestCase


class RequestLogTests(PerjumpaanTestCase):
    def records(self, path: str, **extra: str) -> tuple[list[logging.LogRecord], object]:
        with self.assertLogs("perjumpaan.request", level="INFO") as captured:
            response = self.client.get(path, **extra)
        return captured.records, response

    def test_every_request_gets_an_id_and_one_line_with_what_happened(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        records, response = self.records("/saya/?nik=5201010101010001")
        self.assertEqual(len(records), 1)
        record = records[0]
        self.assertEqual(record.method, "GET")  # type: ignore[attr-defined]
        self.assertEqual(record.path, "/saya/")  # type: ignore[attr-defined]  # no query string
        self.assertEqual(record.status, 200)  # type: ignore[attr-defined]
        self.assertEqual(record.user_id, self.staf_dukcapil.pk)  # type: ignore[attr-defined]
        self.assertGreaterEqual(record.duration_ms, 0)  # type: ignore[attr-defined]
        self.assertRegex(record.request_id, r"^[0-9a-f]{32}$")  # type: ignore[attr-defined]
        self.assertEqual(response["X-Request-ID"], record.request_id)  # type: ignore[attr-defined,index]

        line = JsonFormatter().format(record)
        entry = json.loads(line)
        self.assertEqual(
            set(entry),
            {
                "ts",
                "level",
                "logger",
                "message",
                "request_id",
                "user_id",
                "method",
                "path",
                "status",
                "duration_ms",
            },
        )
        self.assertNotIn("5201010101010001", line)
        self.assertNotIn(self.staf_dukcapil.username, line)
        self.assertTrue(entry["ts"].endswith("Z"))

    def test_a_proxy_request_id_is_kept_and_a_strange_one_replaced(self) -> None:
        records, response = self.records("/healthz", HTTP_X_REQUEST_ID="nginx-0123456789abcdef")
        self.assertEqual(records[0].request_id, "nginx-0123456789abcdef")  # type: ignore[attr-defined]
        self.assertEqual(response["X-Request-ID"], "nginx-0123456789abcdef")  # type: ignore[index]
        records, _response = self.records("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
        self.assertRegex(records[0].request_id, r"^[0-9a-f]{32}$")  # type: ignore[attr-defined]

    def test_an_anonymous_request_has_no_user(self) -> None:
        records, _response = self.records("/masuk/")
        self.assertIsNone(records[0].user_id)  # type: ignore[attr-defined]
        self.assertNotIn("user_id", json.loads(JsonFormatter().format(records[0])))


class FormatterTests(PerjumpaanTestCase):
    def test_other_records_carry_the_request_id_and_drop_what_is_attached(self) -> None:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Boom %s", ("x",), None)
        record.request = object()  # type: ignore[attr-defined]  # Django attaches the request: never logged
        record.status_code = 500  # type: ignore[attr-defined]
        token = request_id_var.set("abc12345")
        try:
            RequestIdFilter().filter(record)
        finally:
            request_id_var.reset(token)
        entry = json.loads(JsonFormatter().format(record))
        self.assertEqual(entry["request_id"], "abc12345")
        self.assertEqual(entry["status"], 500)
        self.assertEqual(entry["message"], "Boom x")
        self.assertNotIn("request", entry)

    def test_an_exception_is_logged_as_text(self) -> None:
        try:
            raise ValueError("rusak")
        except ValueError:
            import sys

            record = logging.LogRecord("x", logging.ERROR, __file__, 1, "gagal", (), sys.exc_info())
        entry = json.loads(JsonFormatter().format(record))
        self.assertIn("ValueError: rusak", entry["exc"])

    @override_settings(DEBUG=False)
    def test_production_logs_json_lines_to_stdout(self) -> None:
        import os
        import secrets
        import subprocess
        import sys

        env = {
            **os.environ,
            "PERJUMPAAN_DEBUG": "false",
            "PERJUMPAAN_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SETTINGS_MODULE": "perjumpaan.settings",
        }
        code = (
            "import django; django.setup(); import logging; "
            "logging.getLogger('perjumpaan.request').info('GET / 200', extra={'status': 200, 'path': '/'})"
        )
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        entry = json.loads(done.stdout.strip().splitlines()[-1])
        self.assertEqual(entry["logger"], "perjumpaan.request")
        self.assertEqual(entry["status"], 200)
