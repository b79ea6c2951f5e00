"""The attack surface: security headers and the Content-Security-Policy, CSRF everywhere, production
settings that pass `check --deploy`, the check-in rate limit, and an audit trail nobody edits."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.test import Client, SimpleTestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from perjumpaan.attendance.services import rules_freeze
from perjumpaan.org.models import ApiToken, AuditEntry
from tests.attendance.helpers import a_gathering, at, code_for
from tests.base import PerjumpaanTestCase

SRC = Path(__file__).resolve().parents[2] / "src" / "perjumpaan"

# Views that may skip CSRF, and why. Anything else that does fails the test below.
CSRF_EXEMPT_ALLOWED = {
    # The API's catch-all that answers 404 for an unknown API path in the JSON error shape: it changes
    # nothing and has nothing to protect. API operations themselves check CSRF for session callers.
    "api:unknown-path",
}


class ContentSecurityPolicyTests(PerjumpaanTestCase):
    def test_every_page_has_a_strict_policy(self) -> None:
        for path in ("/masuk/", "/healthz", "/api/v1/offices", "/tidak-ada/"):
            response = self.client.get(path)
            policy = response["Content-Security-Policy"]
            self.assertIn("default-src 'self'", policy, path)
            self.assertIn("script-src 'self'", policy, path)
            self.assertIn("style-src 'self'", policy, path)
            self.assertNotIn("unsafe-inline", policy, path)
            self.assertIn("frame-ancestors 'none'", policy, path)
            self.assertIn("form-action 'self'", policy, path)
            self.assertIn("base-uri 'none'", policy, path)
            self.assertIn("geolocation=(self)", response["Permissions-Policy"], path)
            self.assertEqual(response["X-Frame-Options"], "DENY", path)
            self.assertEqual(response["X-Content-Type-Options"], "nosniff", path)

    def test_the_swagger_page_runs_from_our_own_files_under_the_same_policy(self) -> None:
        response = self.client.get("/api/v1/docs")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Security-Policy"], settings.PERJUMPAAN_CSP)
        html = response.content.decode()
        # Scripts only from files (the JSON settings block is data, not a script that runs).
        for tag in re.findall(r"<script\b[^>]*>", html):
            self.assertTrue("src=" in tag or 'type="application/json"' in tag, tag)

    def test_no_template_has_inline_script_style_or_event_handlers(self) -> None:
        # The policy forbids them: a page that has one would silently lose its script or its look.
        problems = []
        patterns = {
            "inline <script>": re.compile(
                r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I
            ),
            "<style> element": re.compile(r"<style\b", re.I),
            "style attribute": re.compile(r"\sstyle\s*=", re.I),
            "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
            "javascript: URL": re.compile(r"javascript:", re.I),
        }
        for template in sorted(SRC.rglob("templates/**/*.html")):
            text = template.read_text(encoding="utf-8")
            for what, pattern in patterns.items():
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{template.relative_to(SRC)}:{line}: {what}")
        self.assertEqual(problems, [], "move it into static/perjumpaan/*.js or app.css")

    def test_charts_draw_without_inline_css(self) -> None:
        from perjumpaan.core.charts import Series, bar_chart

        svg = bar_chart(["a", "b"], [Series("x", [1, 2])], value_labels=True).svg()
        self.assertNotIn("style=", svg)
        self.assertNotIn("<style", svg)
        self.assertIn('fill="#0f766e"', svg)

    @override_settings(DEBUG=True)
    def test_in_debug_django_technical_error_pages_go_out_without_the_policy(self) -> None:
        response = self.client.get("/tidak-ada/")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Content-Security-Policy", response)


class CsrfTests(SimpleTestCase):
    def test_no_view_skips_csrf_except_the_listed_ones(self) -> None:
        exempt = []

        def walk(patterns: list[URLPattern | URLResolver], namespace: str = "") -> None:
            for pattern in patterns:
                if isinstance(pattern, URLResolver):
                    inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                    walk(pattern.url_patterns, inner)
                elif getattr(pattern.callback, "csrf_exempt", False):
                    exempt.append(f"{namespace}{pattern.name or pattern.pattern}")

        walk(get_resolver().url_patterns)
        unexpected = sorted(set(exempt) - CSRF_EXEMPT_ALLOWED)
        # Django's own admin and ninja's operation views are exempt at the Django level because they check
        # CSRF themselves (the admin's login through its form, ninja through the session authentication).
        unexpected = [name for name in unexpected if not name.startswith(("admin:", "api:"))]
        self.assertEqual(unexpected, [])

    def test_the_middleware_is_on(self) -> None:
        self.assertIn("django.middleware.csrf.CsrfViewMiddleware", settings.MIDDLEWARE)


class CsrfOnTheApiTests(PerjumpaanTestCase):
    def test_a_session_cannot_change_anything_through_the_api_without_the_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.staf_dukcapil)
        response = client.post("/api/v1/checkins", {"code": "1-1-x"}, content_type="application/json")
        self.assertEqual(response.status_code, 403)
        self.assertIn("CSRF", response.json()["detail"])


class DeploySettingsTests(SimpleTestCase):
    def test_production_settings_pass_the_deploy_check(self) -> None:
        env = {
            # Not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly refuses.
            **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "PERJUMPAAN_DEBUG": "false",
            "PERJUMPAAN_SECRET_KEY": secrets.token_urlsafe(50),
            "PERJUMPAAN_ALLOWED_HOSTS": "perjumpaan.example.go.id",
            "PERJUMPAAN_CSRF_TRUSTED_ORIGINS": "https://perjumpaan.example.go.id",
            "DJANGO_SETTINGS_MODULE": "perjumpaan.settings",
        }
        command = [
            str(Path(sys.executable).with_name("perjumpaan")),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("no issues", done.stdout)

    def test_production_settings_lock_cookies_down(self) -> None:
        env = {**os.environ, "PERJUMPAAN_DEBUG": "false", "PERJUMPAAN_SECRET_KEY": secrets.token_urlsafe(50)}
        code = (
            "import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
            "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SAMESITE]))"
        )
        env["DJANGO_SETTINGS_MODULE"] = "perjumpaan.settings"
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.strip().splitlines()[-1], '[true, true, true, 31536000, true, "Lax"]')


class CheckinRateLimitTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        from django.core.cache import cache

        cache.clear()
        self.token = "uji-batas-" + secrets.token_urlsafe(20)
        ApiToken.objects.create(user=self.staf_dukcapil, digest=ApiToken.digest_of(self.token))

    @override_settings(PERJUMPAAN_CHECKIN_RATE="3/m")
    def test_a_user_posting_too_many_checkins_is_told_to_wait(self) -> None:
        import time_machine

        gathering = a_gathering(self.dukcapil, day=2)
        rules_freeze(gathering=gathering)
        with time_machine.travel(at(2, 12, 5), tick=False):
            code = code_for(gathering, at(2, 12, 5))
            answers = [
                self.client.post(
                    "/api/v1/checkins",
                    {"code": code},
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {self.token}",
                )
                for _ in range(4)
            ]
        self.assertEqual([a.status_code for a in answers], [201, 200, 200, 429])
        refused = answers[-1]
        self.assertEqual(refused.json()["errors"], [])
        self.assertIn("Terlalu banyak permintaan", refused.json()["detail"])
        self.assertGreater(int(refused["Retry-After"]), 0)

    @override_settings(PERJUMPAAN_CHECKIN_RATE="3/m")
    def test_the_limit_is_per_user(self) -> None:
        from perjumpaan.core.ratelimit import rate_limited

        for _ in range(3):
            self.assertFalse(rate_limited("checkin", "user:1", "3/m", now=1_000_020)[0])
        self.assertTrue(rate_limited("checkin", "user:1", "3/m", now=1_000_030)[0])
        self.assertFalse(rate_limited("checkin", "user:2", "3/m", now=1_000_030)[0])
        self.assertFalse(rate_limited("checkin", "user:1", "3/m", now=1_000_080)[0])  # the next minute


class AuditTrailTests(PerjumpaanTestCase):
    def test_nobody_can_change_or_delete_an_entry_in_the_admin(self) -> None:
        model_admin = admin.site._registry[AuditEntry]
        request = Client().request().wsgi_request
        self.admin.is_superuser = True
        request.user = self.admin
        self.assertFalse(model_admin.has_add_permission(request))
        self.assertFalse(model_admin.has_change_permission(request))
        self.assertFalse(model_admin.has_delete_permission(request))

    def test_no_code_changes_or_deletes_an_entry_but_the_retention_job(self) -> None:
        # Entries are appended (core.audit.audit_record; the demo data bulk-creates some); deleting old
        # ones is core.purge's job; nothing updates one.
        allowed = {"core/purge.py"}
        changes = re.compile(r"AuditEntry\b[^\n]*\.(update|delete|bulk_update|update_or_create)\(")
        found = [
            str(path.relative_to(SRC))
            for path in SRC.rglob("*.py")
            if "migrations" not in path.parts
            and str(path.relative_to(SRC)) not in allowed
            and changes.search(path.read_text(encoding="utf-8"))
        ]
        self.assertEqual(found, [])


class RequestSizeTests(PerjumpaanTestCase):
    def test_a_body_declared_larger_than_the_limit_is_refused_before_it_is_read(self) -> None:
        big = str(13 * 1024 * 1024)
        response = self.client.post(
            "/api/v1/auth/token", b"{}", content_type="application/json", CONTENT_LENGTH=big
        )
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json(), {"detail": "Isi permintaan terlalu besar.", "errors": []})
        self.client.force_login(self.koord_dukcapil)
        response = self.client.post("/opd/DUKCAPIL/impor/", {}, CONTENT_LENGTH=big)
        self.assertContains(response, "Berkas terlalu besar", status_code=413)
