"""Figures that are slow to compute, kept in the "figures" cache, and computed anyway when the cache fails.

That cache is shared by every process (settings.CACHES: the Redis server of PERJUMPAAN_CACHE_URL, or files
under the data directory), so what `perjumpaan warm_dashboards` computes ahead is what the workers find.
When it does not answer, a page must be slower, never broken. The rate limits (core/ratelimit.py) fail
open for the same reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches

T = TypeVar("T")
logger = logging.getLogger(__name__)


def remembered(key: str, compute: Callable[[], T], timeout: int) -> tuple[T, bool]:
    """The value under `key`, or `compute()` stored there for `timeout` seconds; and whether it came from
    the cache. `compute` must not return None (None means "not in the cache")."""
    cache = caches["figures"]
    try:
        hit = cache.get(key)
    except Exception as exc:  # the cache server's errors have no common class (redis, socket, pickle)
        logger.warning("cache unavailable, computing %s: %s", key, exc)
        return compute(), False
    if hit is not None:
        return hit, True
    value = compute()
    try:
        cache.set(key, value, timeout)
    except Exception as exc:
        logger.warning("cache unavailable, not keeping %s: %s", key, exc)
    return value, False
