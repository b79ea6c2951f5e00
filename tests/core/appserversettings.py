"""Perjumpaan's settings for the app servers that tests/core/test_app_servers.py starts: unchanged, except
that a Redis cache gets a key prefix of the test run's own, because the tests share a Redis database
(PERJUMPAAN_TEST_REDIS_URL) with other runs and never flush it."""

from __future__ import annotations

import os

from perjumpaan.settings import *  # noqa: F403
from perjumpaan.settings import CACHES

CACHES["default"]["KEY_PREFIX"] = os.environ.get("APP_SERVERS_TEST_KEY_PREFIX", "")
