"""The check-in rate limit (core/ratelimit.py) against a real Redis server, the cache that several app
servers share (PERJUMPAAN_CACHE_URL).

Runs only when PERJUMPAAN_TEST_REDIS_URL names a Redis database the tests may write to, e.g.
`PERJUMPAAN_TEST_REDIS_URL=redis://127.0.0.1:6379/15`; nothing is flushed: the keys carry a prefix of this
run's own and are deleted afterwards.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import SimpleTestCase, override_settings

from perjumpaan.core.ratelimit import rate_limited

REDIS_URL = os.environ.get("PERJUMPAAN_TEST_REDIS_URL", "")
PREFIX = f"perjumpaan-test-{uuid.uuid4().hex[:12]}"

needs_redis = pytest.mark.skipif(
    not REDIS_URL,
    reason="set PERJUMPAAN_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) to test against Redis",
)


@needs_redis
@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": PREFIX,
        }
    }
)
class RedisRateLimitTests(SimpleTestCase):
    def setUp(self) -> None:
        pytest.importorskip("redis", reason="the Python package redis is not installed")
        self.addCleanup(self.forget_keys)

    def forget_keys(self) -> None:
        import redis

        client: Any = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{PREFIX}:*"))
        if keys:
            client.delete(*keys)
        client.close()

    def test_three_a_minute_holds_across_servers(self) -> None:
        # Window of minute 16 666 (seconds 999 960–1 000 019): three allowed, the fourth refused.
        for second in (999_960, 999_970, 999_980):
            self.assertEqual(
                rate_limited("checkin", "user:7", "3/m", now=second), (False, 1_000_020 - second)
            )
        # Another server, with its own connection to the same Redis, sees the three and adds the fourth.
        elsewhere = RedisCache(REDIS_URL, {"KEY_PREFIX": PREFIX})
        self.assertEqual(elsewhere.get("perjumpaan:rl:checkin:user:7:999960"), 3)
        self.assertEqual(rate_limited("checkin", "user:7", "3/m", now=999_990), (True, 30))
        self.assertEqual(elsewhere.get("perjumpaan:rl:checkin:user:7:999960"), 4)
        # Another user, and the next minute, start from nothing.
        self.assertFalse(rate_limited("checkin", "user:8", "3/m", now=999_990)[0])
        self.assertFalse(rate_limited("checkin", "user:7", "3/m", now=1_000_020)[0])


# Nothing listens on port 1: every connection is refused at once.
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@override_settings(CACHES=DEAD_REDIS)
class DeadCacheTests(SimpleTestCase):
    def setUp(self) -> None:
        pytest.importorskip("redis", reason="the Python package redis is not installed")

    def test_a_cache_that_does_not_answer_lets_the_request_through_and_says_so(self) -> None:
        with self.assertLogs("perjumpaan.core.ratelimit", "WARNING") as logs:
            for second in range(999_960, 999_970):
                self.assertEqual(rate_limited("checkin", "user:7", "3/m", now=second), (False, 0))
        self.assertEqual(len(logs.output), 10)
        self.assertIn(
            "rate limit checkin not counted: the cache did not answer (ConnectionError)", logs.output[0]
        )
