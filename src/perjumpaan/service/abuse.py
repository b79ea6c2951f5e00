"""Abuse limits for the public forms (the SKM survey and complaints), which anyone may post without an
account.

Three defences, none of which asks the citizen for anything that identifies them:

- a **device** limit: the first visit gets a random device id in a signed cookie; answers per device are
  counted per hour and per day;
- a **network address** limit per hour, generous because many phones share one address behind a mobile
  operator's NAT (and an office's Wi-Fi);
- a **honeypot** field in each form (see `forms.HoneypotMixin`): a bot that fills it is thanked and
  nothing is stored.

A tablet at the counter that a coordinator has activated as the office's kiosk (a signed cookie naming the
office) is counted on its own, much higher, limit instead: it serves everyone in the queue.

Counts live in Django's default cache, in fixed windows. That is each process's memory unless
`PERJUMPAAN_CACHE_URL` names a Redis server, which a deployment with several app servers or workers should
do so that the limits hold across them; when the cache cannot be reached, answers are taken (and a warning
logged) rather than refused. The limits are set by `settings.PERJUMPAAN_PUBLIC_FORM_LIMITS` (a dict
overriding `DEFAULT_LIMITS`, read from `PERJUMPAAN_PUBLIC_FORM_*`), and the number of reverse proxies whose
X-Forwarded-For to trust by `settings.PERJUMPAAN_TRUSTED_PROXIES` (`PERJUMPAAN_TRUSTED_PROXIES`, 0 by default:
the peer's address is used; 1 behind nginx).
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Literal

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

logger = logging.getLogger(__name__)

Form = Literal["skm", "pengaduan"]

DEFAULT_LIMITS: dict[str, int] = {
    "device_per_hour": 5,
    "device_per_day": 12,
    "address_per_hour": 120,
    "kiosk_per_hour": 300,
}

DEVICE_COOKIE = "perjumpaan_perangkat"
DEVICE_SALT = "perjumpaan.service.device"
KIOSK_COOKIE = "perjumpaan_kios"
KIOSK_SALT = "perjumpaan.service.kiosk"
COOKIE_AGE = 365 * 24 * 3600

TOO_MANY = gettext_noop(
    "Terlalu banyak kiriman dari perangkat atau jaringan ini. Silakan coba lagi nanti. Terima kasih atas "
    "kesediaan Anda."
)


def limits() -> dict[str, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "PERJUMPAAN_PUBLIC_FORM_LIMITS", {})}


def client_address(request: HttpRequest) -> str:
    """The client's network address: the peer, or the address the trusted proxies say they forwarded."""
    trusted = int(getattr(settings, "PERJUMPAAN_TRUSTED_PROXIES", 0))
    peer = str(request.META.get("REMOTE_ADDR", ""))[:64]
    if trusted <= 0:
        return peer
    forwarded = [
        part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()
    ]
    if len(forwarded) >= trusted:
        return forwarded[-trusted][:64]
    return peer


def device_id(request: HttpRequest) -> str | None:
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    except BadSignature:
        return None
    return value if isinstance(value, str) and 8 <= len(value) <= 64 else None


def remember_device(request: HttpRequest, response: HttpResponse) -> str:
    """Give the browser a device id if it has none; returns the id."""
    current = device_id(request)
    if current is None:
        current = secrets.token_urlsafe(16)
        response.set_signed_cookie(
            DEVICE_COOKIE,
            current,
            salt=DEVICE_SALT,
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        request.COOKIES[DEVICE_COOKIE] = response.cookies[DEVICE_COOKIE].value
    return current


def kiosk_office_id(request: HttpRequest) -> int | None:
    try:
        value = request.get_signed_cookie(KIOSK_COOKIE, default=None, salt=KIOSK_SALT)
    except BadSignature:
        return None
    return int(value) if isinstance(value, str) and value.isdigit() else None


def activate_kiosk(request: HttpRequest, response: HttpResponse, office_id: int) -> None:
    response.set_signed_cookie(
        KIOSK_COOKIE,
        str(office_id),
        salt=KIOSK_SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def _buckets(
    request: HttpRequest, form: Form, *, kiosk: bool, device: str | None
) -> list[tuple[str, int, int]]:
    """(cache key, limit, window in seconds) for each count this submission adds to."""
    now = int(time.time())
    hour, day = now // 3600, now // 86_400
    limit = limits()
    if kiosk:
        office = kiosk_office_id(request)
        return [(f"perjumpaan:{form}:kiosk:{office}:{hour}", limit["kiosk_per_hour"], 3600)]
    found = [(f"perjumpaan:{form}:addr:{client_address(request)}:{hour}", limit["address_per_hour"], 3600)]
    if device:
        found.append((f"perjumpaan:{form}:dev:{device}:{hour}", limit["device_per_hour"], 3600))
        found.append((f"perjumpaan:{form}:devday:{device}:{day}", limit["device_per_day"], 86_400))
    return found


def limited(request: HttpRequest, form: Form, *, kiosk: bool = False) -> bool:
    """Whether another submission from this device, address or kiosk would exceed a limit."""
    try:
        for key, limit, _window in _buckets(request, form, kiosk=kiosk, device=device_id(request)):
            if int(cache.get(key, 0)) >= limit:
                return True
    except Exception as exc:  # the cache server's errors have no common class (redis, socket, pickle)
        logger.warning("%s limit not checked: the cache did not answer (%s)", form, type(exc).__name__)
    return False


def count(request: HttpRequest, form: Form, *, kiosk: bool = False) -> None:
    """Count one submission (stored or not) against every limit it falls under."""
    try:
        for key, _limit, window in _buckets(request, form, kiosk=kiosk, device=device_id(request)):
            if not cache.add(key, 1, timeout=window + 60):
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.add(key, 1, timeout=window + 60)
    except Exception as exc:  # as in limited(): a citizen's answer is worth more than the count
        logger.warning("%s answer not counted: the cache did not answer (%s)", form, type(exc).__name__)


def refusal_message() -> str:
    return _(TOO_MANY)
