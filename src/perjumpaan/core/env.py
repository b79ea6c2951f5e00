"""Typed readers of environment variables that fail loudly on a bad value.

Settings are configured only through the environment (PERJUMPAAN_*, DATABASE_URL). A typo such as
PERJUMPAAN_DEBUG=ya must stop the process at start-up, not silently mean something else.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def envstr(name: str, default: str) -> str:
    """NAME, or `default` when it is unset or empty (an empty variable means "not configured")."""
    return os.environ.get(name) or default


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    """NAME as a whole number, or `default`; below `minimum` (when given) is refused."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {raw!r}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envsecret(name: str) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE (container secrets)."""
    value = os.environ.get(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE names {path!r}, which cannot be read: {exc}") from None
    return None


_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def envcache(name: str) -> dict[str, Any]:
    """Django's default cache from NAME: a Redis URL (redis://host:port/db, rediss://…, unix://path) names a
    cache that every app server shares; unset means memory local to each process."""
    url = os.environ.get(name, "").strip()
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "perjumpaan",
        }
    if not url.startswith(_REDIS_SCHEMES):
        raise ImproperlyConfigured(
            f"{name} must be a Redis URL (redis://127.0.0.1:6379/1, rediss://… or unix://…), not {url!r}"
        )
    if importlib.util.find_spec("redis") is None:
        raise ImproperlyConfigured(
            f"{name} names a Redis server, but the Python package redis is not installed "
            "(pip install redis; see docs/operations.md)."
        )
    # Short timeouts: a Redis that does not answer must not hold requests up (the rate limits let them
    # through when the cache fails; core/ratelimit.py, service/abuse.py).
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


def envpool(prefix: str, *, engine: str) -> dict[str, int] | None:
    """The options of Django's psycopg connection pool from PREFIX (true/false), PREFIX_MIN, PREFIX_MAX and
    PREFIX_TIMEOUT (seconds), or None when PREFIX is off (the default).

    Every value is checked here, at start-up, even with the pool off: psycopg_pool would only refuse a
    maximum below the minimum when the first request opens the pool, inside a worker.
    """
    minimum = envint(f"{prefix}_MIN", 1, minimum=0)
    maximum = envint(f"{prefix}_MAX", 2, minimum=1)
    timeout = envint(f"{prefix}_TIMEOUT", 10, minimum=1)
    if maximum < minimum:
        raise ImproperlyConfigured(
            f"{prefix}_MAX ({maximum}) must be at least {prefix}_MIN ({minimum}): the pool keeps MIN "
            "connections open and opens more up to MAX."
        )
    if not envbool(prefix, False):
        return None
    if engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"{prefix}=true applies to PostgreSQL only: set DATABASE_URL=postgres://… or unset {prefix}."
        )
    if importlib.util.find_spec("psycopg_pool") is None:
        raise ImproperlyConfigured(
            f"{prefix}=true needs the Python package psycopg-pool (pip install -r requirements.lock)."
        )
    return {"min_size": minimum, "max_size": maximum, "timeout": timeout}
