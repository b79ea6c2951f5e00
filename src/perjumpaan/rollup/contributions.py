"""What one raw row adds to its day's aggregate, computed in Python for the incremental path.

The rebuild (`rollup.aggregates`) computes the same figures in SQL; the tests hold the two to equality.
The definitions, shared by both:

- a duration is whole seconds between two timestamps each truncated to its second;
- a service record's day is its `date`; *selesai* on the same day means result *selesai* and the
  finishing time's local date (in the government's zone) equal to `date`;
- an SKM answer's day is the local date it was submitted; a complaint event's day is the local date of
  the event (received, first response, closed).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from perjumpaan.rollup.histogram import COMPLAINT_EDGES, SERVICE_EDGES, bucket_of
from perjumpaan.rollup.models import (
    CLOSE_HISTOGRAM,
    RESPONSE_HISTOGRAM,
    SERVE_HISTOGRAM,
    SKM_CODES,
    WAIT_HISTOGRAM,
)

DONE = "selesai"  # service.models.ServiceRecord.Result.DONE
RESOLVED, REJECTED = "selesai", "ditolak"  # service.models.Complaint.Status


class RecordLike(Protocol):
    """What a service record's contribution reads: a `ServiceRecord`, or the values about to become one."""

    date: dt.date
    arrival: dt.datetime
    called: dt.datetime | None
    finished: dt.datetime | None
    result: str


def week_of(day: dt.date) -> dt.date:
    """The Monday of `day`'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def epoch_seconds(moment: dt.datetime) -> int:
    """Whole seconds since 1970 (UTC), the fraction dropped."""
    return calendar.timegm(moment.utctimetuple())


def seconds_between(start: dt.datetime, end: dt.datetime) -> int:
    return epoch_seconds(end) - epoch_seconds(start)


def local_date(moment: dt.datetime, tz: ZoneInfo) -> dt.date:
    return moment.astimezone(tz).date()


def service_of(record: Any) -> int:
    """The service id of a record: a `ServiceRecord` has `service_id`; the values an import is about to
    write (`service.services.RecordValues`) have the `service` itself."""
    service_id = getattr(record, "service_id", None)
    if service_id is None:
        service_id = record.service.pk
    return int(service_id)


def service_record(record: RecordLike, tz: ZoneInfo) -> Counter[str]:
    """One record's contribution to `ServiceDay` of (its office, `record.date`)."""
    counts: Counter[str] = Counter(volume=1)
    if record.result == DONE:
        counts["done"] = 1
        if record.finished is not None and local_date(record.finished, tz) == record.date:
            counts["done_same_day"] = 1
    if record.called is not None:
        wait = seconds_between(record.arrival, record.called)
        counts["wait_n"] = 1
        counts["wait_sum"] = wait
        counts[WAIT_HISTOGRAM[bucket_of(wait, SERVICE_EDGES)]] = 1
        if record.finished is not None:
            serve = seconds_between(record.called, record.finished)
            counts["serve_n"] = 1
            counts["serve_sum"] = serve
            counts[SERVE_HISTOGRAM[bucket_of(serve, SERVICE_EDGES)]] = 1
    return counts


def survey_response(response: Any) -> Counter[str]:
    """One SKM answer sheet's contribution to `SkmDay` (its office, the local date it was submitted)."""
    counts: Counter[str] = Counter()
    for code in SKM_CODES:
        answer = getattr(response, code)
        if answer is not None:
            counts[f"{code}_sum"] += answer
            counts[f"{code}_n"] += 1
    if counts:
        counts["respondents"] = 1
    return counts


def complaint_response(received: dt.datetime, at: dt.datetime) -> Counter[str]:
    seconds = seconds_between(received, at)
    return Counter(
        {"responded": 1, "response_sum": seconds, RESPONSE_HISTOGRAM[bucket_of(seconds, COMPLAINT_EDGES)]: 1}
    )


def complaint_close(received: dt.datetime, at: dt.datetime, status: str) -> Counter[str]:
    seconds = seconds_between(received, at)
    counts = Counter(
        {"closed": 1, "close_sum": seconds, CLOSE_HISTOGRAM[bucket_of(seconds, COMPLAINT_EDGES)]: 1}
    )
    if status == RESOLVED:
        counts["resolved"] = 1
    elif status == REJECTED:
        counts["rejected"] = 1
    return counts
