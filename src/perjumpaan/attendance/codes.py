"""Rotating check-in codes: signed by the server, valid for the current and the previous time window.

A code is `<gathering id>-<window>-<signature>`, where the window is the number of `code_seconds`
periods since the Unix epoch and the signature is an HMAC (keyed by the deployment's secret key) of the
gathering and the window. It cannot be forged without the key, altered without breaking the signature,
moved to another gathering, or used outside its two windows. All app servers that share the secret key
accept each other's codes.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

CODE_MALFORMED = gettext_noop("Kode presensi tidak dikenali. Pindai ulang kode QR di layar.")
CODE_FORGED = gettext_noop("Kode presensi tidak sah.")
CODE_EXPIRED = gettext_noop("Kode presensi sudah kedaluwarsa. Pindai kode terbaru di layar.")
CODE_FUTURE = gettext_noop("Kode presensi belum berlaku. Periksa jam ponsel Anda.")

_SALT = "perjumpaan.attendance.checkin-code"
_SIGNATURE_LENGTH = 20  # hex characters: 80 bits


class CodeError(ValueError):
    """A code that must be refused; the message is meant for the person scanning."""


@dataclass(frozen=True)
class VerifiedCode:
    gathering_id: int
    window: int
    stale: bool  # from the previous window: accepted, but flagged as used late


def window_of(moment: dt.datetime, seconds: int) -> int:
    return int(moment.timestamp()) // seconds


def _signature(gathering_id: int, window: int) -> str:
    return salted_hmac(_SALT, f"{gathering_id}:{window}", algorithm="sha256").hexdigest()[:_SIGNATURE_LENGTH]


def code_make(*, gathering_id: int, moment: dt.datetime, seconds: int) -> tuple[str, dt.datetime]:
    """The code shown at `moment`, and when the screen must show the next one."""
    window = window_of(moment, seconds)
    expires = dt.datetime.fromtimestamp((window + 1) * seconds, tz=dt.UTC)
    return f"{gathering_id}-{window}-{_signature(gathering_id, window)}", expires


def code_parse(code: str) -> tuple[int, int, str]:
    parts = code.strip().split("-")
    if (
        len(parts) != 3
        or not parts[0].isdigit()
        or not parts[1].isdigit()
        or len(parts[0]) > 12
        or len(parts[1]) > 12
    ):
        raise CodeError(_(CODE_MALFORMED))
    return int(parts[0]), int(parts[1]), parts[2]


def code_verify(code: str, *, moment: dt.datetime, seconds: int) -> VerifiedCode:
    """Check the signature and the window of `code` at `moment` for windows of `seconds`."""
    gathering_id, window, signature = code_parse(code)
    if not hmac.compare_digest(signature.encode(), _signature(gathering_id, window).encode()):
        raise CodeError(_(CODE_FORGED))
    current = window_of(moment, seconds)
    if window > current:
        raise CodeError(_(CODE_FUTURE))
    if window < current - 1:
        raise CodeError(_(CODE_EXPIRED))
    return VerifiedCode(gathering_id=gathering_id, window=window, stale=window < current)
