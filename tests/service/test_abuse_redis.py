"""The public-form limits against a real Redis server, the cache that several app servers share
(PERJUMPAAN_CACHE_URL).

These run only when PERJUMPAAN_TEST_REDIS_URL names a Redis database the tests may write to, e.g.
`PERJUMPAAN_TEST_REDIS_URL=redis://127.0.0.1:6379/15`; they never flush it: every key they write carries
a prefix of this run's own and is deleted afterwards.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import Client, override_settings

from perjumpaan.service import abuse
from perjumpaan.service.models import SurveyResponse
from tests.service.helpers import ServiceTestCase
from tests.service.test_public_pages import NOW, SURVEY, PublicCase, answers

REDIS_URL = os.environ.get("PERJUMPAAN_TEST_REDIS_URL", "")

needs_redis = pytest.mark.skipif(
    not REDIS_URL,
    reason="set PERJUMPAAN_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) to test against Redis",
)

PREFIX = f"perjumpaan-test-{uuid.uuid4().hex[:12]}"
# The fixed windows the tests' frozen clock falls in: hour and day numbers since the epoch.
HOUR = int(NOW.timestamp()) // 3600
DAY = int(NOW.timestamp()) // 86_400
REDIS_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": PREFIX,
    }
}


def other_server() -> RedisCache:
    """The cache as a second app server sees it: its own client and connection pool, the same server."""
    return RedisCache(REDIS_URL, {"KEY_PREFIX": PREFIX})


@needs_redis
@override_settings(
    CACHES=REDIS_CACHES,
    PERJUMPAAN_PUBLIC_FORM_LIMITS={"device_per_hour": 2, "device_per_day": 3, "address_per_hour": 4},
)
class RedisLimitTests(PublicCase):
    def setUp(self) -> None:
        pytest.importorskip("redis", reason="the Python package redis is not installed")
        self.addCleanup(self.forget_keys)
        super().setUp()

    def forget_keys(self) -> None:
        import redis

        client: Any = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{PREFIX}:*"))
        if keys:
            client.delete(*keys)
        client.close()

    def test_the_counts_live_in_redis_where_another_server_sees_them(self) -> None:
        for _ in range(2):
            self.assertEqual(self.post_survey(answers()).status_code, 302)
        device = self.client.cookies[abuse.DEVICE_COOKIE].value.split(":")[0]
        elsewhere = other_server()
        self.assertEqual(elsewhere.get(f"perjumpaan:skm:addr:10.1.2.3:{HOUR}"), 2)
        self.assertEqual(elsewhere.get(f"perjumpaan:skm:dev:{device}:{HOUR}"), 2)
        self.assertEqual(elsewhere.get(f"perjumpaan:skm:devday:{device}:{DAY}"), 2)
        # The device's third answer in the hour is refused, whichever server it reaches.
        response = self.post_survey(answers(suggestion="ketiga"))
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Terlalu banyak kiriman", status_code=429)
        self.assertEqual(SurveyResponse.objects.count(), 2)

    def test_answers_counted_by_another_server_count_here(self) -> None:
        """Two answers from an address already counted elsewhere leave room for two more here (limit 4)."""
        key = f"perjumpaan:skm:addr:10.9.9.9:{HOUR}"
        elsewhere = other_server()
        elsewhere.add(key, 1, timeout=3660)
        elsewhere.incr(key)
        for _ in range(2):
            response = self.post_survey(answers(), client=Client(REMOTE_ADDR="10.9.9.9"))
            self.assertEqual(response.status_code, 302)
        self.assertEqual(elsewhere.get(key), 4)
        response = self.post_survey(answers(), client=Client(REMOTE_ADDR="10.9.9.9"))
        self.assertEqual(response.status_code, 429)
        self.assertEqual(SurveyResponse.objects.count(), 2)


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    },
    PERJUMPAAN_PUBLIC_FORM_LIMITS={"device_per_hour": 1, "device_per_day": 1, "address_per_hour": 1},
)
class DeadCacheTests(ServiceTestCase):
    def test_when_the_cache_does_not_answer_the_citizen_s_answers_are_still_taken(self) -> None:
        pytest.importorskip("redis", reason="the Python package redis is not installed")
        client = Client(REMOTE_ADDR="10.1.2.3")
        with self.assertLogs("perjumpaan.service.abuse", "WARNING") as logs:
            for _ in range(2):  # over the limit of one, which cannot be counted
                client.get(SURVEY)
                response = client.post(SURVEY, {"service": self.services["KTP-EL"].pk, **answers()})
                self.assertEqual(response.status_code, 302)
        self.assertEqual(SurveyResponse.objects.count(), 2)
        self.assertIn("skm limit not checked: the cache did not answer (ConnectionError)", logs.output[0])
        self.assertIn("skm answer not counted: the cache did not answer (ConnectionError)", logs.output[1])
