"""Structured logs: one JSON object per line on stdout, and one line per request.

In production (`PERJUMPAAN_LOG_FORMAT=json`, the default when PERJUMPAAN_DEBUG is off) every record is a
JSON line that journald, Loki or any log shipper can parse:

    {"ts": "2026-12-04T04:12:09.481Z", "level": "INFO", "logger": "perjumpaan.request",
     "message": "POST /api/v1/checkins 201", "request_id": "9f3c…", "user_id": 42,
     "method": "POST", "path": "/api/v1/checkins", "status": 201, "duration_ms": 11.8}

`RequestLogMiddleware` writes that line for every request and gives each request an id (the client's
`X-Request-ID` when it is a sane token, so a proxy's id carries through; a new one otherwise), answers
it in the `X-Request-ID` header, and makes it available to every other record logged while the request
is handled (`request_id` on Django's own error records too), so one id finds everything about a request.

No personal data: the path without its query string, the user's numeric id, never a name, NIP, form
field, header or body. Records that Django logs with the request attached (`django.request`) keep only
the fields listed in `FIELDS`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("perjumpaan_request_id", default="")

# The extra fields a record may carry into the JSON line; anything else on the record is dropped.
FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms", "status_code")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

logger = logging.getLogger("perjumpaan.request")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record logged while it is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the known extra fields, and the
    traceback of an exception as text."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")[:-6]
            + "Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value not in (None, ""):
                entry[name] = value
        if "status_code" in entry:
            entry.setdefault("status", entry.pop("status_code"))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _request_id(request: HttpRequest) -> str:
    given = str(request.META.get("HTTP_X_REQUEST_ID", ""))
    return given if _SANE_ID.match(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    """Gives every request an id and logs one line when it has been answered (first in MIDDLEWARE, so
    that it times and sees everything, error pages included)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _request_id(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response.headers.setdefault("X-Request-ID", request_id)
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "user_id": user_id,
                    "method": request.method,
                    "path": request.path[:300],
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            request_id_var.reset(token)
