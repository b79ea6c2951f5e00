"""Writes of the maintained aggregates: the hooks the other apps' write paths call in their own
transaction, and the rebuild from raw rows.

Hooks (each called once, at the end of the write it follows, inside that write's transaction):

- `rollup_marks_changed` — attendance of some gatherings changed (closing, roll call, approved leave);
- `rollup_leave_decided` — a leave decision, which may have corrected marks of closed gatherings;
- `rollup_service_records_changed` — service records created or updated (import, push, counter): the
  office's day (`ServiceDay`) and the service's (`SkmServiceDay.volume`);
- `rollup_survey_response_added` — one SKM answer sheet: the office's day (`SkmDay`) and, when the sheet
  names a service, the service's (`SkmServiceDay`);
- `rollup_complaint_received`, `rollup_complaint_responded` — a complaint received, answered or closed.

Check-in has no hook, by design: the attendance aggregates count closed gatherings only, and a check-in is
refused once a gathering is closed. The live count of an open gathering is read from its marks (one
indexed count). docs/scale.md gives the measurements behind this choice.

`rollup_rebuild` recomputes any part of the aggregates from the raw rows with one aggregate query per
table and office, office by office, each office in one transaction.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Q

from perjumpaan.core.timeutil import zone
from perjumpaan.org.models import Office
from perjumpaan.rollup import aggregates, contributions
from perjumpaan.rollup.contributions import RecordLike, local_date, week_of
from perjumpaan.rollup.models import (
    ATTENDANCE_COLUMNS,
    AttendanceDay,
    ComplaintDay,
    EvaluationWeek,
    GatheringTally,
    Rollup,
    ServiceDay,
    SkmDay,
    SkmServiceDay,
)
from perjumpaan.rollup.store import Delta, add

ATTENDANCE_COUNTERS = ("gatherings", "expected", *ATTENDANCE_COLUMNS.values())


# --- Attendance -------------------------------------------------------------------------------------


@transaction.atomic(savepoint=False)
def rollup_marks_changed(*, gathering_ids: Iterable[int]) -> None:
    """Bring the tallies of these gatherings, and their days, in line with their marks.

    A held gathering's tally becomes the count of its marks, and its day changes by the difference; a
    gathering that is not (or no longer) held loses its tally. The gatherings are locked first (on
    PostgreSQL), so a roll call racing the closing of the same gathering is counted after it.
    """
    from perjumpaan.attendance.models import Attendance
    from perjumpaan.program.models import Gathering

    ids = sorted({int(pk) for pk in gathering_ids})
    if not ids:
        return
    gatherings = {
        pk: (office_id, day, track, status)
        for pk, office_id, day, track, status in Gathering.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "office_id", "date", "track", "status")
    }
    held = [pk for pk, (*_rest, status) in gatherings.items() if status == Gathering.Status.HELD]
    counted: dict[int, Counter[str]] = {pk: Counter(gatherings=1) for pk in held}
    if held:
        per_status = {
            column: Count("pk", filter=Q(status=code)) for code, column in ATTENDANCE_COLUMNS.items()
        }
        for row in (
            Attendance.objects.filter(gathering_id__in=held)
            .values("gathering_id")
            .annotate(expected=Count("pk"), **per_status)
            .order_by()
        ):
            counted[row["gathering_id"]].update({name: row[name] for name in ("expected", *per_status)})
    tallies = {
        row["gathering_id"]: Counter({name: row[name] for name in ATTENDANCE_COUNTERS})
        for row in GatheringTally.objects.filter(gathering_id__in=ids).values(
            "gathering_id", *ATTENDANCE_COUNTERS
        )
    }
    tally_deltas, day_deltas, gone = [], [], []
    for pk, (office_id, day, track, _status) in gatherings.items():
        new, old = counted.get(pk, Counter()), tallies.get(pk)
        if old is None and pk not in counted:
            continue
        difference = Counter({name: new[name] - (old or Counter())[name] for name in ATTENDANCE_COUNTERS})
        if pk not in counted:
            gone.append(pk)
        elif any(difference.values()) or old is None:
            fixed = {"office_id": office_id, "date": day, "week": week_of(day), "track": track}
            tally_deltas.append(Delta((pk,), fixed, difference))
        day_deltas.append(Delta((office_id, day, track), {"week": week_of(day)}, difference))
    if gone:
        GatheringTally.objects.filter(gathering_id__in=gone).delete()
    add(GatheringTally, tally_deltas)
    add(AttendanceDay, day_deltas)


def rollup_leave_decided(*, leave: Any) -> None:
    """After a leave decision: an approval may have corrected marks of closed gatherings in its dates."""
    from perjumpaan.attendance.models import Attendance, LeaveRequest

    if leave.status != LeaveRequest.Status.APPROVED:
        return
    rollup_marks_changed(
        gathering_ids=Attendance.objects.filter(
            employee_id=leave.employee_id, gathering__date__range=(leave.start_date, leave.end_date)
        ).values_list("gathering_id", flat=True)
    )


# --- Public service ---------------------------------------------------------------------------------


def _zone_of(office: Office) -> Any:
    return zone(office.government.time_zone)


def rollup_service_records_changed(
    *, office: Office, old: Sequence[RecordLike] = (), new: Sequence[RecordLike] = ()
) -> None:
    """Service records of `office` changed: `old` are the records as they were before an update (their
    contribution is taken away), `new` the records as written (created or updated)."""
    if not old and not new:
        return
    tz = _zone_of(office)
    deltas, per_service = [], []
    for records, sign in ((old, -1), (new, 1)):
        for record in records:
            counts = contributions.service_record(record, tz)
            signed = Counter({name: sign * value for name, value in counts.items()})
            fixed = {"week": week_of(record.date)}
            deltas.append(Delta((office.pk, record.date), fixed, signed))
            key = (office.pk, record.date, contributions.service_of(record))
            per_service.append(Delta(key, fixed, Counter(volume=sign)))
    add(ServiceDay, deltas)
    add(SkmServiceDay, per_service)


def rollup_survey_response_added(*, response: Any) -> None:
    """One SKM answer sheet stored: add it to its office's day (the local date it was submitted)."""
    day = local_date(response.submitted_at, _zone_of(response.office))
    counts = contributions.survey_response(response)
    add(SkmDay, [Delta((response.office_id, day), {"week": week_of(day)}, counts)])
    if response.service_id is not None:
        key = (response.office_id, day, response.service_id)
        add(SkmServiceDay, [Delta(key, {"week": week_of(day)}, counts)])


def rollup_complaint_received(*, complaint: Any) -> None:
    day = local_date(complaint.received_at, _zone_of(complaint.office))
    add(ComplaintDay, [Delta((complaint.office_id, day), {"week": week_of(day)}, Counter(opened=1))])


def rollup_complaint_responded(*, complaint: Any, at: dt.datetime) -> None:
    """A step in handling `complaint` was recorded at `at`: it is the first response when the complaint's
    first response is at `at`, and the closing when it closed at `at`."""
    counts: Counter[str] = Counter()
    if complaint.first_response_at == at:
        counts.update(contributions.complaint_response(complaint.received_at, at))
    if complaint.closed_at == at:
        counts.update(contributions.complaint_close(complaint.received_at, at, complaint.status))
    if not counts:
        return
    day = local_date(at, _zone_of(complaint.office))
    add(ComplaintDay, [Delta((complaint.office_id, day), {"week": week_of(day)}, counts)])


# --- Rebuild ----------------------------------------------------------------------------------------

DAY_TABLES: tuple[type[Rollup], ...] = (
    GatheringTally,
    AttendanceDay,
    ServiceDay,
    SkmDay,
    SkmServiceDay,
    ComplaintDay,
)


@dataclass
class RebuildReport:
    """What a rebuild wrote: offices done, rows per table, seconds."""

    offices: int = 0
    rows: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def rollup_rebuild(
    *,
    offices: Sequence[Office] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> RebuildReport:
    """Recompute the aggregates of `offices` (default: every office) over [start, end] (default: all
    dates) from the raw rows, replacing what was there. One transaction per office; safe to run at any
    time and twice."""
    began = time.perf_counter()
    chosen = (
        list(offices)
        if offices is not None
        else list(Office.objects.select_related("government").order_by("government_id", "code"))
    )
    first, last = start or aggregates.EARLIEST, end or aggregates.LATEST
    report = RebuildReport()
    for number, office in enumerate(chosen, start=1):
        office_began = time.perf_counter()
        rows = _rebuild_office(office, first, last)
        report.offices += 1
        report.rows.update(rows)
        if progress is not None:
            elapsed = time.perf_counter() - office_began
            progress(
                f"[rollup] {number}/{len(chosen)} {office.code}: {sum(rows.values())} baris, {elapsed:.2f} s"
            )
    report.seconds = time.perf_counter() - began
    return report


@transaction.atomic
def _rebuild_office(office: Office, start: dt.date, end: dt.date) -> Counter[str]:
    # Delete first: on PostgreSQL the deletes lock the rows, so a concurrent increment either lands
    # before them (and is counted by the aggregate queries below, which run after it committed) or
    # waits for this transaction and adds to the new rows.
    for model in DAY_TABLES:
        # Every day table has these two fields; the abstract `Rollup` does not name them.
        model._default_manager.filter(**{"office": office, "date__range": (start, end)}).delete()
    evaluation = apps.is_installed("perjumpaan.evaluation")
    if evaluation:
        EvaluationWeek.objects.filter(office=office, week__range=(week_of(start), end)).delete()
    tz = _zone_of(office)
    ids = [office.pk]
    tallies = aggregates.attendance_tallies(ids, start, end)
    written = Counter(
        {
            "GatheringTally": add(GatheringTally, tallies),
            "AttendanceDay": add(AttendanceDay, aggregates.attendance_days(tallies)),
            "ServiceDay": add(ServiceDay, aggregates.service_days(ids, start, end, tz)),
            "SkmDay": add(SkmDay, aggregates.skm_days(ids, start, end, tz)),
            "SkmServiceDay": add(SkmServiceDay, aggregates.skm_service_days(ids, start, end, tz)),
            "ComplaintDay": add(ComplaintDay, aggregates.complaint_days(ids, start, end, tz)),
        }
    )
    if evaluation:
        written["EvaluationWeek"] = add(
            EvaluationWeek, aggregates.evaluation_weeks(office_ids=ids, start=start, end=end)
        )
    return written


# --- The Friday evaluation --------------------------------------------------------------------------


@transaction.atomic(savepoint=False)
def rollup_rounds_closed(*, round_ids: Iterable[int]) -> None:
    """Rounds' closing was recorded: (re)write their weeks' evaluation aggregates."""
    from perjumpaan.evaluation.models import Round

    ids = sorted({int(pk) for pk in round_ids})
    if not ids:
        return
    for office_id, label in Round.objects.filter(pk__in=ids).values_list("office_id", "week"):
        EvaluationWeek.objects.filter(office_id=office_id, week=aggregates._week_monday(label)).delete()
    add(EvaluationWeek, aggregates.evaluation_weeks(round_ids=ids))
