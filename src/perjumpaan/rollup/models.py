"""The maintained aggregates (rollups): per office and day, the figures the dashboards add up.

Every table here is derived: `perjumpaan rebuild_rollups` can drop and recompute any part of it from the
raw rows (marks, service records, SKM answers, complaints, evaluation responses). The write paths of the
other apps keep it current in the same transaction as the write they make (see `rollup.services`), so a
dashboard that reads only these tables shows what the raw rows say. docs/scale.md explains the freshness
guarantee and which writes are covered.

Rows are keyed by office and local date (and track, or value), and read along that key's index; `week` is
the Monday of the date's ISO week, stored so that weekly series group on a plain column. Any longer period
is a sum of days.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from perjumpaan.org.models import Employee, Office
from perjumpaan.rollup.histogram import COMPLAINT_EDGES, SERVICE_EDGES

# Attendance status codes as column names (attendance.models.Status), in the order recaps show them.
ATTENDANCE_COLUMNS: dict[str, str] = {
    "H": "h",
    "T": "t",
    "I": "i",
    "S": "s",
    "C": "c",
    "DL": "dl",
    "TK": "tk",
}
SKM_CODES = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")


def histogram_columns(prefix: str, edges: tuple[int, ...]) -> list[str]:
    """The column names of a histogram: `<prefix>_b00` … one per bucket of `edges`."""
    return [f"{prefix}_b{index:02d}" for index in range(len(edges))]


def _counter() -> models.IntegerField[Any, Any]:
    # Plain integers, no CHECK (>= 0): a derived table must never make the write that maintains it fail;
    # a count gone wrong is found and repaired by the rebuild instead.
    return models.IntegerField(default=0)


def _abstract(name: str, columns: list[str], big: tuple[str, ...] = ()) -> type[models.Model]:
    """An abstract model with one counter column per name (histogram buckets are too many to spell out;
    building them keeps the bucket edges in one place, `rollup.histogram`)."""
    attributes: dict[str, Any] = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
    }
    for column in columns:
        attributes[column] = models.BigIntegerField(default=0) if column in big else _counter()
    return type(name, (models.Model,), attributes)


class Rollup(models.Model):
    """What every maintained aggregate has: its office, scoped like the office's other data, and the
    names of its key and counter columns (which the incremental upsert and the rebuild both use).

    `managers_only`: an aggregate of personal rows (marks, complaints, evaluation responses) is read by
    whoever reads those rows office-wide — the office's coordinators, the government's programme admins and
    leadership — as `attendance.selectors.office_marks_readable` decides for the recaps; a day's count of
    one person's track would otherwise tell a colleague that person's absence. Aggregates of
    non-personal rows (service records, SKM answers) are read like the rows.
    """

    scope_office_field: ClassVar[str] = "office"
    managers_only: ClassVar[bool] = True
    KEY: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    @classmethod
    def counter_columns(cls) -> list[str]:
        key = {*cls.KEY, "week", "id"}
        return [
            f.column
            for f in cls._meta.concrete_fields
            if f.column not in key and isinstance(f, models.IntegerField) and not f.is_relation
        ]


_AttendanceCounts = _abstract("_AttendanceCounts", ["gatherings", "expected", *ATTENDANCE_COLUMNS.values()])


class GatheringTally(_AttendanceCounts, Rollup):  # type: ignore[misc,valid-type]
    """The marks of one held (closed) gathering, by status.

    `expected` is the number of marks: closing a gathering gives everyone expected a mark. The day's
    `AttendanceDay` is the sum of its gatherings' tallies; keeping the tally per gathering lets any change
    to a closed gathering (a correction in the roll call, an approved leave) be applied as the difference
    between its new count and its tally.
    """

    KEY: ClassVar[tuple[str, ...]] = ("gathering_id",)

    gathering = models.OneToOneField(
        "program.Gathering", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # Indexed as the first column of the key: no index of its own.
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    date = models.DateField(_("tanggal"))
    week = models.DateField(_("pekan (Senin)"))
    track = models.CharField(_("jalur"), max_length=10, choices=Employee.Track.choices)

    class Meta:
        verbose_name = _("rekap perjumpaan")
        verbose_name_plural = _("rekap perjumpaan")
        indexes = [models.Index(fields=["office", "date"])]

    def __str__(self) -> str:
        return f"{self.gathering_id}"


class AttendanceDay(_AttendanceCounts, Rollup):  # type: ignore[misc,valid-type]
    """An office's attendance on one day in one faith track, over its held (closed) gatherings:
    how many gatherings, how many marks were expected, and the marks per status (H, T, I, S, C, DL, TK).

    The attendance rate of any period is (H + T) / (expected − C − DL) over the summed rows, as the
    recaps define it. Gatherings still open are not in it (their live count is read from the marks).
    """

    KEY: ClassVar[tuple[str, ...]] = ("office_id", "date", "track")

    # Indexed as the first column of the key: no index of its own.
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    date = models.DateField(_("tanggal"))
    week = models.DateField(_("pekan (Senin)"))
    track = models.CharField(_("jalur"), max_length=10, choices=Employee.Track.choices)

    class Meta:
        verbose_name = _("rekap kehadiran harian")
        verbose_name_plural = _("rekap kehadiran harian")
        constraints = [
            models.UniqueConstraint(fields=["office", "date", "track"], name="rollup_attendance_day_key")
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.date} {self.track}"


WAIT_HISTOGRAM = histogram_columns("wait", SERVICE_EDGES)
SERVE_HISTOGRAM = histogram_columns("serve", SERVICE_EDGES)

_ServiceCounts = _abstract(
    "_ServiceCounts",
    [
        "volume",
        "done",
        "done_same_day",
        "wait_n",
        "wait_sum",
        *WAIT_HISTOGRAM,
        "serve_n",
        "serve_sum",
        *SERVE_HISTOGRAM,
    ],
    big=("wait_sum", "serve_sum"),
)


class ServiceDay(_ServiceCounts, Rollup):  # type: ignore[misc,valid-type]
    """An office's public service on one day: volume (records), how many were finished (*selesai*) and
    how many of those on the day of arrival, and the waiting time (called − arrival) and service time
    (finished − called) as count, sum of seconds and a histogram over `histogram.SERVICE_EDGES`, from
    which medians and 90th percentiles of any period are estimated."""

    KEY: ClassVar[tuple[str, ...]] = ("office_id", "date")
    managers_only: ClassVar[bool] = False

    # Indexed as the first column of the key: no index of its own.
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    date = models.DateField(_("tanggal"))
    week = models.DateField(_("pekan (Senin)"))

    class Meta:
        verbose_name = _("rekap layanan harian")
        verbose_name_plural = _("rekap layanan harian")
        constraints = [models.UniqueConstraint(fields=["office", "date"], name="rollup_service_day_key")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.date}"


_SkmCounts = _abstract(
    "_SkmCounts",
    ["respondents", *(f"{code}_sum" for code in SKM_CODES), *(f"{code}_n" for code in SKM_CODES)],
)


class SkmDay(_SkmCounts, Rollup):  # type: ignore[misc,valid-type]
    """An office's SKM answers submitted on one (local) day: respondents, and per element U1..U9 the sum
    of the answers and how many answered it. The IKM of any period is `ikm_from_totals` over the summed
    rows, exactly as from the answer sheets."""

    KEY: ClassVar[tuple[str, ...]] = ("office_id", "date")
    managers_only: ClassVar[bool] = False

    # Indexed as the first column of the key: no index of its own.
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    date = models.DateField(_("tanggal"))
    week = models.DateField(_("pekan (Senin)"))

    class Meta:
        verbose_name = _("rekap SKM harian")
        verbose_name_plural = _("rekap SKM harian")
        constraints = [models.UniqueConstraint(fields=["office", "date"], name="rollup_skm_day_key")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.date}"


class SkmServiceDay(_SkmCounts, Rollup):  # type: ignore[misc,valid-type]
    """One service's SKM answers and service records on one (local) day of its office: the counters of
    `SkmDay` over the answer sheets that name the service, and `volume`, the service records of the
    service dated that day (the population of its IKM, as `ServiceDay.volume` is the office's). Answer
    sheets that name no service are in `SkmDay` only."""

    KEY: ClassVar[tuple[str, ...]] = ("office_id", "date", "service_id")
    managers_only: ClassVar[bool] = False

    # Indexed as the first column of the key: no index of its own.
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    date = models.DateField(_("tanggal"))
    week = models.DateField(_("pekan (Senin)"))
    service = models.ForeignKey("service.Service", on_delete=models.CASCADE, related_name="+")
    volume = _counter()

    class Meta:
        verbose_name = _("rekap SKM harian per layanan")
        verbose_name_plural = _("rekap SKM harian per layanan")
        constraints = [
            models.UniqueConstraint(fields=["office", "date", "service"], name="rollup_skm_service_day_key")
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.date} {self.service_id}"


RESPONSE_HISTOGRAM = histogram_columns("response", COMPLAINT_EDGES)
CLOSE_HISTOGRAM = histogram_columns("close", COMPLAINT_EDGES)

_ComplaintCounts = _abstract(
    "_ComplaintCounts",
    [
        "opened",
        "responded",
        "response_sum",
        *RESPONSE_HISTOGRAM,
        "closed",
        "resolved",
        "rejected",
        "close_sum",
        *CLOSE_HISTOGRAM,
    ],
    big=("response_sum", "close_sum"),
)


class ComplaintDay(_ComplaintCounts, Rollup):  # type: ignore[misc,valid-type]
    """An office's complaints by what happened on one (local) day: received (`opened`), answered for the
    first time (`responded`, with the time since receipt), and closed (`closed` = `resolved` + `rejected`,
    with the time since receipt). Times are sums of seconds and histograms over
    `histogram.COMPLAINT_EDGES`."""

    KEY: ClassVar[tuple[str, ...]] = ("office_id", "date")

    # Indexed as the first column of the key: no index of its own.
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    date = models.DateField(_("tanggal"))
    week = models.DateField(_("pekan (Senin)"))

    class Meta:
        verbose_name = _("rekap pengaduan harian")
        verbose_name_plural = _("rekap pengaduan harian")
        constraints = [models.UniqueConstraint(fields=["office", "date"], name="rollup_complaint_day_key")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.date}"


class EvaluationWeek(Rollup):
    """An office's Friday evaluation of one week (`week`: its Monday), per part (self, peer, supervisor)
    and per value (a BerAKHLAK core value or a programme aim, by `value_code`), over the round's responses:
    how many responses scored the value, the sum and number of their item scores, and how many different
    people rated in that part and in any part of that week (for the rule of three: nothing about others
    is shown below 3).

    Within a round every response of a part scores the same items, so the value's mean over responses
    equals `score_sum / score_n`; over several weeks it is the responses-weighted mean of the weeks'
    means. Written when the round's closing is recorded: results of open rounds are never aggregated.
    """

    KEY: ClassVar[tuple[str, ...]] = ("office_id", "week", "part", "value_code")

    # Indexed as the first column of the key: no index of its own.
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+", db_index=False)
    week = models.DateField(_("pekan (Senin)"))
    part = models.CharField(_("bagian"), max_length=10)
    value_code = models.CharField(_("kode nilai"), max_length=12)
    responses = models.IntegerField(default=0)
    score_sum = models.IntegerField(default=0)
    score_n = models.IntegerField(default=0)
    raters = models.IntegerField(default=0)
    # The different people who rated in any part that week: the same on every row of the week. The
    # pooled score of all parts needs it for the rule of three, and it is not the sum of the parts'.
    raters_all = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("rekap evaluasi pekanan")
        verbose_name_plural = _("rekap evaluasi pekanan")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "week", "part", "value_code"], name="rollup_evaluation_week_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.week} {self.part} {self.value_code}"
