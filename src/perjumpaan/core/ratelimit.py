"""Per-user rate limits, counted in Django's cache in fixed windows.

`rate_limited(scope, key, rate)` counts one attempt and says whether it went over the limit; `UserRateLimit`
wraps it as a django-ninja throttle for API operations (`throttle=[UserRateLimit("checkin", ...)]`), so a
request over the limit is answered 429 in the API's one error shape with a `Retry-After` header.

Why not ninja's own `UserRateThrottle`: it keeps the request's key and history on the throttle object,
which one operation shares between the threads of a gthread worker, and it rewrites a list of
timestamps per request. Here nothing is kept on the object but the configuration, and a count is one
`cache.add` or `cache.incr`, which Django's local-memory cache performs under its lock.

Counts live in the default cache, which is each process's memory unless `PERJUMPAAN_CACHE_URL` names a
Redis server that every worker and app server shares: without it, with several gunicorn workers a user may
get up to `workers ×` the limit. The limits are against a phone or script hammering the server, not a
budget to be exact about; so when the cache cannot be reached (Redis down), a request is let through and a
warning logged, rather than check-ins failing for everyone.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86_400, "day": 86_400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "20/m" → (20, 60): at most 20 attempts per 60-second window. "0/m" means no limit."""
    try:
        count, period = rate.strip().split("/", 1)
        return int(count), _PERIODS[period.strip().lower()]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(f"A rate must look like 20/m (per s, m, h or d), not {rate!r}.") from None


def rate_limited(scope: str, key: str, rate: str, *, now: float | None = None) -> tuple[bool, int]:
    """Count one attempt of `key` in `scope`; (whether it is over the limit, seconds until the window
    ends). An attempt over the limit is counted too, so hammering does not reopen the window early."""
    limit, window = parse_rate(rate)
    if limit <= 0:
        return False, 0
    moment = int(time.time() if now is None else now)
    start = moment - moment % window
    cache_key = f"perjumpaan:rl:{scope}:{key}:{start}"
    try:
        if cache.add(cache_key, 1, timeout=window + 5):
            used = 1
        else:
            try:
                used = cache.incr(cache_key)
            except ValueError:  # expired between add and incr
                cache.add(cache_key, 1, timeout=window + 5)
                used = 1
    except Exception as exc:  # the cache server's errors have no common class (redis, socket, pickle)
        logger.warning("rate limit %s not counted: the cache did not answer (%s)", scope, type(exc).__name__)
        return False, 0
    return used > limit, start + window - moment


class UserRateLimit(BaseThrottle):
    """A django-ninja throttle: at most `rate` requests per authenticated user (by the user's id; by the
    client's address for anonymous callers), the rate read from `settings.<setting>` on every request so
    that it can be changed in tests and by the environment."""

    def __init__(self, scope: str, *, setting: str, default: str) -> None:
        self.scope = scope
        self.setting = setting
        self.default = default
        parse_rate(self.rate())  # fail at start-up on a bad value
        # wait() is called right after allow_request() by the same thread: keep its answer per thread.
        self._local = threading.local()

    def rate(self) -> str:
        return str(getattr(settings, self.setting, self.default))

    def key(self, request: HttpRequest) -> str:
        user: Any = getattr(request, "auth", None) or getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return f"user:{user.pk}"
        return f"addr:{str(request.META.get('REMOTE_ADDR', ''))[:64]}"

    def allow_request(self, request: HttpRequest) -> bool:
        over, wait = rate_limited(self.scope, self.key(request), self.rate())
        self._local.wait = wait
        return not over

    def wait(self) -> float | None:
        return float(getattr(self._local, "wait", 0)) or None
