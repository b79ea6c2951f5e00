"""Bearer tokens and browser sessions on the API: issue, use, revoke, lock-out, CSRF."""

from __future__ import annotations

import json
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from perjumpaan.api.auth_api import ERROR_LOCKED_OUT, ERROR_WRONG_CREDENTIALS
from perjumpaan.org.models import ApiToken, Employee, User
from tests.api.shape import error_body
from tests.base import PerjumpaanTestCase

PASSWORD = "rahasia-uji-123"
TOKEN_URL = "/api/v1/auth/token"


def ask_token(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> HttpResponse:
    return client.post(
        TOKEN_URL, {"username": username, "password": password, **extra}, content_type="application/json"
    )


class TokenTests(PerjumpaanTestCase):
    def token_for(self, username: str, password: str = PASSWORD) -> str:
        response = ask_token(self.client, username, password)
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(set(body), {"token"})
        return str(body["token"])

    def bearer(self, token: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def test_a_username_and_password_buy_a_token_that_opens_the_api(self) -> None:
        token = self.token_for("koordinator.dukcapil")
        response = Client().get("/api/v1/me", **self.bearer(token))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["username"], "koordinator.dukcapil")
        self.assertEqual(response.json()["roles"], ["coordinator"])

    def test_an_nip_buys_a_token_for_the_employee_s_login(self) -> None:
        nip = Employee.objects.get(user=self.staf_pupr).nip
        token = self.token_for(nip)
        me = Client().get("/api/v1/me", **self.bearer(token)).json()
        self.assertEqual(me["username"], "staf.pupr")
        self.assertEqual(me["employee"]["nip"], nip)

    def test_only_the_token_s_digest_is_stored(self) -> None:
        token = self.token_for("admin")
        row = ApiToken.objects.get(user=self.admin)
        self.assertEqual(row.digest, ApiToken.digest_of(token))
        self.assertNotIn(token, json.dumps(list(ApiToken.objects.values()), default=str))

    def test_a_device_name_is_kept_with_the_token(self) -> None:
        ask_token(self.client, "admin", name="HP Android")
        self.assertEqual(ApiToken.objects.get(user=self.admin).name, "HP Android")

    def test_using_a_token_records_when_it_was_last_used(self) -> None:
        token = self.token_for("admin")
        self.assertIsNone(ApiToken.objects.get().last_used_at)
        Client().get("/api/v1/offices", **self.bearer(token))
        self.assertIsNotNone(ApiToken.objects.get().last_used_at)

    def test_a_wrong_password_answers_401_in_the_one_shape(self) -> None:
        body = error_body(ask_token(self.client, "admin", "salah"), 401)
        self.assertEqual(body["detail"], str(ERROR_WRONG_CREDENTIALS))
        self.assertFalse(ApiToken.objects.exists())

    def test_an_unknown_user_answers_like_a_wrong_password(self) -> None:
        body = error_body(ask_token(self.client, "tidak.ada"), 401)
        self.assertEqual(body["detail"], str(ERROR_WRONG_CREDENTIALS))

    def test_an_unknown_or_malformed_token_answers_401(self) -> None:
        for header in (
            "Bearer bukan-token",
            "Bearer ",
            "Bearer " + "x" * 5000,
            "Basic YWRtaW46eA==",
            "Bearer",
        ):
            with self.subTest(header=header[:30]):
                error_body(Client().get("/api/v1/offices", HTTP_AUTHORIZATION=header), 401)

    def test_the_token_of_a_deactivated_login_stops_working(self) -> None:
        token = self.token_for("koordinator.pupr")
        User.objects.filter(pk=self.koord_pupr.pk).update(is_active=False)
        error_body(Client().get("/api/v1/offices", **self.bearer(token)), 401)

    def test_an_inactive_login_gets_no_token(self) -> None:
        User.objects.filter(pk=self.koord_pupr.pk).update(is_active=False)
        error_body(ask_token(self.client, "koordinator.pupr"), 401)

    def test_a_demo_account_is_refused_a_token_and_its_old_token_dies_when_debug_is_off(self) -> None:
        User.objects.filter(pk=self.koord_pupr.pk).update(is_demo=True)
        with override_settings(DEBUG=True):
            token = self.token_for("koordinator.pupr")
            self.assertEqual(Client().get("/api/v1/offices", **self.bearer(token)).status_code, 200)
        with override_settings(DEBUG=False):
            error_body(ask_token(self.client, "koordinator.pupr"), 401)
            error_body(Client().get("/api/v1/offices", **self.bearer(token)), 401)

    def test_django_axes_locks_the_token_endpoint_after_repeated_failures(self) -> None:
        limit = settings.AXES_FAILURE_LIMIT
        for attempt in range(1, limit):
            with self.subTest(attempt=attempt):
                error_body(ask_token(self.client, "admin", "salah"), 401)
        # The failure that reaches the limit is itself answered as a lock-out, in the API's shape.
        body = error_body(ask_token(self.client, "admin", "salah"), 429)
        self.assertEqual(body["detail"], str(ERROR_LOCKED_OUT))
        # And now even the right password is refused.
        error_body(ask_token(self.client, "admin"), 429)
        self.assertFalse(ApiToken.objects.exists())
        attempt = AccessAttempt.objects.get(username="admin")
        self.assertGreaterEqual(attempt.failures_since_start, limit)

    def test_a_lock_out_holds_one_username_only(self) -> None:
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            ask_token(self.client, "admin", "salah")
        self.token_for("pimpinan")

    def test_a_success_before_the_limit_resets_the_failure_count(self) -> None:
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            error_body(ask_token(self.client, "admin", "salah"), 401)
        self.token_for("admin")
        error_body(ask_token(self.client, "admin", "salah"), 401)

    def test_deleting_the_token_revokes_the_token_used_and_no_other(self) -> None:
        phone = self.token_for("koordinator.dukcapil")
        laptop = self.token_for("koordinator.dukcapil")
        response = Client().delete(TOKEN_URL, **self.bearer(phone))
        self.assertEqual(response.status_code, 204)
        error_body(Client().get("/api/v1/me", **self.bearer(phone)), 401)
        self.assertEqual(Client().get("/api/v1/me", **self.bearer(laptop)).status_code, 200)

    def test_deleting_the_token_needs_a_bearer_token(self) -> None:
        self.client.force_login(self.admin)
        error_body(self.client.delete(TOKEN_URL), 401)

    def test_the_token_list_shows_my_tokens_only_and_marks_the_one_in_use(self) -> None:
        mine = self.token_for("admin")
        self.token_for("admin")
        self.token_for("pimpinan")
        listed = Client().get("/api/v1/auth/tokens", **self.bearer(mine)).json()
        self.assertEqual(len(listed), 2)
        current = [row for row in listed if row["is_current"]]
        self.assertEqual(
            [row["id"] for row in current], [ApiToken.objects.get(digest=ApiToken.digest_of(mine)).pk]
        )

    def test_nobody_can_revoke_someone_else_s_token(self) -> None:
        self.token_for("admin")
        theirs = ApiToken.objects.get(user=self.admin)
        self.client.force_login(self.koord_pupr)
        error_body(self.client.delete(f"/api/v1/auth/tokens/{theirs.pk}"), 404)
        self.assertTrue(ApiToken.objects.filter(pk=theirs.pk).exists())

    def test_a_token_can_be_revoked_from_the_token_list(self) -> None:
        self.token_for("admin")
        row = ApiToken.objects.get(user=self.admin)
        self.client.force_login(self.admin)
        self.assertEqual(self.client.delete(f"/api/v1/auth/tokens/{row.pk}").status_code, 204)
        self.assertFalse(ApiToken.objects.exists())

    def test_a_pupr_coordinator_s_token_sees_nothing_of_dukcapil(self) -> None:
        token = self.token_for("koordinator.pupr")
        client = Client()
        error_body(client.get("/api/v1/offices/DUKCAPIL/employees", **self.bearer(token)), 404)
        error_body(client.get("/api/v1/offices/DUKCAPIL", **self.bearer(token)), 404)
        offices = client.get("/api/v1/offices", **self.bearer(token)).json()
        self.assertEqual([office["code"] for office in offices], ["PUPR"])


class SessionTests(PerjumpaanTestCase):
    def csrf_client(self, user: User) -> tuple[Client, str]:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        client.get("/")  # the page's forms set the CSRF cookie
        return client, client.cookies[settings.CSRF_COOKIE_NAME].value

    def test_a_logged_in_browser_reads_the_api_without_a_token(self) -> None:
        client, _csrf = self.csrf_client(self.koord_dukcapil)
        response = client.get("/api/v1/offices/DUKCAPIL/employees")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.json()), 2)

    def test_an_unsafe_method_without_the_csrf_token_is_refused_with_403(self) -> None:
        ApiToken.objects.create(user=self.admin, digest=ApiToken.digest_of("t"), name="x")
        row = ApiToken.objects.get()
        client, _csrf = self.csrf_client(self.admin)
        body = error_body(client.delete(f"/api/v1/auth/tokens/{row.pk}"), 403)
        self.assertIn("CSRF", body["detail"])
        self.assertTrue(ApiToken.objects.exists())

    def test_an_unsafe_method_with_the_csrf_token_goes_through(self) -> None:
        ApiToken.objects.create(user=self.admin, digest=ApiToken.digest_of("t"), name="x")
        row = ApiToken.objects.get()
        client, csrf = self.csrf_client(self.admin)
        response = client.delete(f"/api/v1/auth/tokens/{row.pk}", HTTP_X_CSRFTOKEN=csrf)
        self.assertEqual(response.status_code, 204)
        self.assertFalse(ApiToken.objects.exists())

    def test_a_bearer_token_needs_no_csrf_token(self) -> None:
        token = ask_token(self.client, "admin").json()["token"]
        other = ApiToken.objects.create(user=self.admin, digest=ApiToken.digest_of("lama"), name="lama")
        client = Client(enforce_csrf_checks=True)
        response = client.delete(f"/api/v1/auth/tokens/{other.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assertEqual(response.status_code, 204)

    def test_asking_for_a_token_needs_no_csrf_token(self) -> None:
        response = ask_token(Client(enforce_csrf_checks=True), "admin")
        self.assertEqual(response.status_code, 200)

    def test_a_visitor_without_a_session_or_token_gets_401(self) -> None:
        error_body(Client().get("/api/v1/me"), 401)
        error_body(Client(enforce_csrf_checks=True).delete("/api/v1/auth/tokens/1"), 401)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
token_requests = st.one_of(
    json_values,
    st.fixed_dictionaries({"username": json_values, "password": json_values}),
    st.fixed_dictionaries(
        {"username": st.text(max_size=300), "password": st.text(max_size=300)},
        optional={"name": st.text(max_size=200)},
    ),
)


class TokenFuzzTests(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        User.objects.create_user(username="admin", password=PASSWORD)

    @hypothesis_settings(
        max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(payload=token_requests)
    def test_no_json_body_makes_the_token_endpoint_answer_5xx(self, payload: Any) -> None:
        response = self.client.post(TOKEN_URL, json.dumps(payload), content_type="application/json")
        self.assertLess(response.status_code, 500, (payload, response.content[:300]))
        if response.status_code != 200:
            error_body(response, response.status_code)

    @hypothesis_settings(max_examples=60, deadline=None, database=None)
    @given(body=st.binary(max_size=200))
    def test_no_raw_bytes_make_the_token_endpoint_answer_5xx(self, body: bytes) -> None:
        response = self.client.post(TOKEN_URL, body, content_type="application/json")
        self.assertLess(response.status_code, 500, (body, response.content[:300]))
        error_body(response, response.status_code)
