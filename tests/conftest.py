"""Test set-up shared by every test: fast password hashing, no stray output."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.browser import browser, desktop, phone, requests_seen, screenshot

__all__ = ["browser", "desktop", "phone", "requests_seen", "screenshot"]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests clear the cache freely: never a shared one that PERJUMPAAN_CACHE_URL may name (the Redis
    # tests make their own clients, under PERJUMPAAN_TEST_REDIS_URL).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "figures"},
    }
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # A file, not SQLite's in-memory database: only a file has WAL and the busy timeout that let
        # concurrent writers queue, and the tests must see the engine as production runs it.
        database.setdefault("TEST", {})["NAME"] = str(
            Path(tempfile.mkdtemp(prefix="perjumpaan-test-")) / "test.sqlite3"
        )
