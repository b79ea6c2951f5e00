"""Writes of public-service data: plain functions, one transaction each, validated before saving.

Service records come in three ways — the queue machine's file (`service_record_import`), the machine's
push over the API (`service_records_push`) and the counter's quick entry (`service_record_enter`) — and
all three are idempotent on office + date + ticket. SKM answers and complaints come from citizens with no
account; the views in front of these functions apply the abuse limits.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.scoping import MANAGE, access_for, scoped
from perjumpaan.core.spreadsheet import Table
from perjumpaan.core.timeutil import zone
from perjumpaan.org.models import Employee, Office
from perjumpaan.org.services import RowError
from perjumpaan.rollup.services import (  # rollup hooks
    rollup_complaint_received,
    rollup_complaint_responded,
    rollup_service_records_changed,
    rollup_survey_response_added,
)
from perjumpaan.service.models import (
    Complaint,
    ComplaintUpdate,
    ImprovementAction,
    Service,
    ServiceImportMapping,
    ServiceRecord,
    SurveyResponse,
    SurveySettings,
)
from perjumpaan.service.periods import PeriodError, parse_period
from perjumpaan.service.records_table import ReadOptions, RecordRow, parse_record_rows
from perjumpaan.service.skm import ELEMENT_CODES

RecordAction = Literal["create", "update", "unchanged", "error"]
RECORD_FIELDS = ("service_id", "arrival", "called", "finished", "counter", "officer_id", "result")

# --- Messages ---------------------------------------------------------------------------------------

SERVICE_UNKNOWN = gettext_noop('Jenis layanan "{value}" tidak ada di katalog {office}. Yang ada: {known}.')
SERVICE_OTHER_OFFICE = gettext_noop("Jenis layanan ini bukan milik perangkat daerah ini.")
SERVICE_INACTIVE = gettext_noop("Jenis layanan ini tidak aktif lagi.")
OFFICER_UNKNOWN = gettext_noop('Petugas "{value}" tidak dikenali di {office}; disimpan tanpa petugas.')
OFFICER_AMBIGUOUS = gettext_noop(
    'Nama petugas "{value}" dipakai lebih dari satu pegawai; disimpan tanpa petugas.'
)
OFFICE_NOT_ALLOWED = gettext_noop(
    "Kode perangkat daerah {code} tidak dikenal, atau akun ini tidak berhak mengirim data layanannya."
)
DATE_NOT_ARRIVAL = gettext_noop(
    "Tanggal {date} tidak sama dengan tanggal jam datang ({arrival}) di zona {zone}."
)
CALLED_BEFORE_ARRIVAL = gettext_noop("Jam dipanggil lebih awal dari jam datang.")
FINISHED_BEFORE_CALLED = gettext_noop("Jam selesai lebih awal dari jam dipanggil.")
FINISHED_WITHOUT_CALLED = gettext_noop("Jam selesai diisi tetapi jam dipanggil kosong.")
DONE_WITHOUT_FINISH = gettext_noop("Layanan yang selesai harus punya jam selesai.")
TICKET_TWICE_IN_BATCH = gettext_noop("Nomor antrian {ticket} tanggal {date} sudah ada di butir ke-{index}.")
OFFICER_NIP_UNKNOWN = gettext_noop("Tidak ada pegawai {office} dengan NIP {nip}.")
TICKET_TAKEN = gettext_noop("Nomor antrian {ticket} sudah dicatat hari ini ({date}).")
NOT_AT_COUNTER = gettext_noop(
    "Hanya koordinator dan pegawai perangkat daerah ini yang dapat mencatat layanan."
)
NO_ANSWER = gettext_noop("Pilih jawaban untuk sekurang-kurangnya satu pertanyaan.")
TICKET_USED = gettext_noop("Nomor antrian ini sudah dipakai untuk mengisi survei hari ini. Terima kasih!")
ANSWER_INVALID = gettext_noop("Jawaban {code} harus 1, 2, 3 atau 4.")
PERIOD_INVALID = gettext_noop("Periode tidak dikenal.")
OWNER_OTHER_OFFICE = gettext_noop("Penanggung jawab harus pegawai aktif perangkat daerah ini.")
DUE_BEFORE_PERIOD = gettext_noop("Tenggat tidak boleh sebelum awal periode.")
TRANSITION_NOT_ALLOWED = gettext_noop("Status pengaduan tidak dapat diubah dari {old} menjadi {new}.")
NOTE_REQUIRED = gettext_noop("Tulis tanggapan atau alasannya untuk pelapor.")
COMPLAINT_CLOSED = gettext_noop("Pengaduan ini sudah ditutup.")
HANDLER_OTHER_OFFICE = gettext_noop("Petugas yang menangani harus pegawai aktif perangkat daerah ini.")
IMPORT_WRITE_FAILED = gettext_noop("Data berubah selama impor; ulangi impor. ({reason})")

# What may follow each open status. Closed complaints stay closed.
COMPLAINT_TRANSITIONS: dict[str, frozenset[str]] = {
    Complaint.Status.RECEIVED: frozenset({Complaint.Status.IN_PROGRESS, Complaint.Status.REJECTED}),
    Complaint.Status.IN_PROGRESS: frozenset({Complaint.Status.RESOLVED, Complaint.Status.REJECTED}),
}
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _validate_fields(instance: Any, *, exclude: Sequence[str] = ()) -> None:
    """Field validation without the per-row constraint queries (the database checks those on write)."""
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


# --- The catalogue and settings ---------------------------------------------------------------------


@transaction.atomic
def service_create(*, office: Office, code: str, name: str, order: int = 0, active: bool = True) -> Service:
    service = Service(
        office=office, code=code.strip().upper(), name=" ".join(name.split()), order=order, active=active
    )
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def service_update(*, service: Service, name: str, active: bool, order: int) -> Service:
    service.name = " ".join(name.split())
    service.active = active
    service.order = order
    service.full_clean()
    service.save(update_fields=["name", "active", "order"])
    return service


@transaction.atomic
def survey_settings_set(*, office: Office, ikm_weight: str) -> SurveySettings:
    settings, _created = SurveySettings.objects.get_or_create(office=office)
    settings.ikm_weight = ikm_weight
    settings.full_clean()
    settings.save()
    return settings


# --- Service records: shared --------------------------------------------------------------------------


@dataclass
class RecordValues:
    """What one incoming record says, resolved to our objects."""

    date: dt.date
    ticket: str
    service: Service
    arrival: dt.datetime
    called: dt.datetime | None
    finished: dt.datetime | None
    counter: str
    officer: Employee | None
    result: str

    def as_fields(self) -> dict[str, Any]:
        return {
            "service_id": self.service.pk,
            "arrival": self.arrival,
            "called": self.called,
            "finished": self.finished,
            "counter": self.counter,
            "officer_id": self.officer.pk if self.officer else None,
            "result": self.result,
        }


class ServiceCatalogue:
    """An office's services by code, by name and by the mapping's translations, for matching text."""

    def __init__(self, office: Office, translations: Mapping[str, str] | None = None) -> None:
        self.office = office
        self.services = list(Service.objects.filter(office=office).order_by("order", "name"))
        self.by_key: dict[str, Service] = {}
        for service in self.services:
            self.by_key.setdefault(_key(service.name), service)
        for service in self.services:
            self.by_key[_key(service.code)] = service
        for source, target in (translations or {}).items():
            found = self.by_key.get(_key(str(target)))
            if found is not None:
                self.by_key[_key(str(source))] = found

    def find(self, text: str) -> Service | None:
        return self.by_key.get(_key(text))

    def unknown(self, text: str) -> str:
        known = ", ".join(f"{s.code} ({s.name})" for s in self.services[:12]) or "—"
        return _(SERVICE_UNKNOWN).format(value=text[:60], office=self.office.code, known=known)


class OfficerDirectory:
    """An office's employees by NIP and by name, for matching the officer column."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.by_nip: dict[str, Employee] = {}
        self.by_name: dict[str, list[Employee]] = {}
        for employee in Employee.objects.filter(office=office):
            self.by_nip[employee.nip] = employee
            self.by_name.setdefault(_key(employee.name), []).append(employee)

    def find(self, text: str) -> tuple[Employee | None, str | None]:
        """The employee `text` names, or None with a note saying why."""
        compact = "".join(text.split())
        if compact.isdigit() and compact in self.by_nip:
            return self.by_nip[compact], None
        named = self.by_name.get(_key(text), [])
        if len(named) == 1:
            return named[0], None
        if len(named) > 1:
            return None, _(OFFICER_AMBIGUOUS).format(value=text[:60])
        return None, _(OFFICER_UNKNOWN).format(value=text[:60], office=self.office.code)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _existing_records(
    office: Office, keys: Iterable[tuple[dt.date, str]]
) -> dict[tuple[dt.date, str], ServiceRecord]:
    """The office's records for these (date, ticket) keys, fetched by date in chunks."""
    wanted = set(keys)
    dates = sorted({day for day, _ticket in wanted})
    found: dict[tuple[dt.date, str], ServiceRecord] = {}
    for start in range(0, len(dates), 200):
        chunk = dates[start : start + 200]
        for record in ServiceRecord.objects.filter(office=office, date__in=chunk):
            key = (record.date, record.ticket)
            if key in wanted:
                found[key] = record
    return found


def _action_for(values: RecordValues, existing: ServiceRecord | None) -> RecordAction:
    if existing is None:
        return "create"
    fields = values.as_fields()
    same = all(getattr(existing, name) == fields[name] for name in RECORD_FIELDS)
    return "unchanged" if same else "update"


def _rollup_plans(
    office: Office, plans: Sequence[tuple[RecordValues, ServiceRecord | None, RecordAction]]
) -> None:
    # rollup: the office's daily service figures, in this transaction (before `existing` is overwritten).
    rollup_service_records_changed(
        office=office,
        old=[existing for _values, existing, action in plans if action == "update" and existing is not None],
        new=[values for values, _existing, action in plans if action in ("create", "update")],
    )


def _write_records(
    office: Office, plans: Sequence[tuple[RecordValues, ServiceRecord | None, RecordAction]], source: str
) -> list[ServiceRecord]:
    """Create and update in bulk; returns the written records in `plans` order (unchanged ones too)."""
    _rollup_plans(office, plans)
    now = timezone.now()
    new: list[ServiceRecord] = []
    changed: list[ServiceRecord] = []
    written: list[ServiceRecord] = []
    for values, existing, action in plans:
        if action == "create":
            record = ServiceRecord(
                office=office,
                date=values.date,
                ticket=values.ticket,
                source=source,
                created_at=now,
                updated_at=now,
                **values.as_fields(),
            )
            _validate_fields(record, exclude=("office", "service", "officer"))
            new.append(record)
            written.append(record)
        else:
            assert existing is not None
            if action == "update":
                _apply(values, existing, now)
                _validate_fields(existing, exclude=("office", "service", "officer"))
                changed.append(existing)
            written.append(existing)
    ServiceRecord.objects.bulk_create(new, batch_size=500)
    ServiceRecord.objects.bulk_update(changed, [*RECORD_FIELDS, "updated_at"], batch_size=500)
    _link_survey_responses(office, {(record.date, record.ticket): record.pk for record in written})
    return written


def _write_imported_records(
    office: Office, plans: Sequence[tuple[RecordValues, ServiceRecord | None, RecordAction]]
) -> None:
    """`_write_records` for the file import, which writes up to 20,000 records at a time.

    The values were read by `parse_record_rows`, which checks every field as strictly as the model does
    (lengths, the result, times in order; `test_every_row_the_parser_accepts_makes_a_valid_record` holds
    the two together), so the records are not validated one by one; and new records are inserted without
    making model instances or fetching their ids (`_insert_records`). The database's constraints still
    guard every write.
    """
    _rollup_plans(office, plans)
    now = timezone.now()
    created: list[RecordValues] = []
    changed: list[ServiceRecord] = []
    ids: dict[tuple[dt.date, str], int | None] = {}
    for values, existing, action in plans:
        if existing is None:
            created.append(values)
            ids[(values.date, values.ticket)] = None
            continue
        if action == "update":
            _apply(values, existing, now)
            changed.append(existing)
        ids[(existing.date, existing.ticket)] = existing.pk
    _insert_records(office, created, source=ServiceRecord.Source.IMPORT, now=now)
    ServiceRecord.objects.bulk_update(changed, [*RECORD_FIELDS, "updated_at"], batch_size=500)
    _link_survey_responses(office, ids)


def _apply(values: RecordValues, record: ServiceRecord, now: dt.datetime) -> None:
    for name, value in values.as_fields().items():
        setattr(record, name, value)
    record.updated_at = now


# The columns `_insert_records` writes, in its statement's order.
_INSERT_COLUMNS = (
    "office_id", "service_id", "date", "ticket", "arrival", "called", "finished", "counter", "officer_id",
    "result", "source", "created_at", "updated_at",
)  # fmt: skip


def _insert_records(
    office: Office, records: Sequence[RecordValues], *, source: str, now: dt.datetime
) -> None:
    """INSERT new service records straight from their values, many rows to a statement.

    `bulk_create` makes a model instance of each and compiles every value of every row through the ORM's
    SQL compiler, which was most of the time a 20,000-row import took. Here each value goes only through
    the backend's adapter for its type, as the compiler's last step does.
    """
    connection = connections[router.db_for_write(ServiceRecord)]
    ops = connection.ops
    meta = ServiceRecord._meta
    fields = {column.attname: column for column in meta.concrete_fields if not column.primary_key}
    if set(fields) != set(_INSERT_COLUMNS):
        raise RuntimeError(f"_insert_records writes {_INSERT_COLUMNS}, the model has {sorted(fields)}")
    table = ops.quote_name(meta.db_table)
    columns = ", ".join(ops.quote_name(str(fields[name].column)) for name in _INSERT_COLUMNS)
    row_marks = "(" + ", ".join(["%s"] * len(_INSERT_COLUMNS)) + ")"

    def moment(value: dt.datetime | None) -> Any:
        return None if value is None else ops.adapt_datetimefield_value(value)

    stamp = moment(now)
    days: dict[dt.date, Any] = {}
    rows = []
    for values in records:
        day = days.get(values.date)
        if day is None:
            day = days[values.date] = ops.adapt_datefield_value(values.date)
        rows.append(
            (
                office.pk,
                values.service.pk,
                day,
                values.ticket,
                moment(values.arrival),
                moment(values.called),
                moment(values.finished),
                values.counter,
                values.officer.pk if values.officer else None,
                values.result,
                source,
                stamp,
                stamp,
            )
        )
    # Many rows a statement (one statement a row costs PostgreSQL a parse and a plan each), but few
    # enough that the statement stays under the 4 KB psycopg caches its parsing of: a longer one is
    # re-parsed for every batch, which costs more than the round trips saved.
    size = max(1, min(64, ops.bulk_batch_size(list(fields.values()), rows)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            marks = ", ".join([row_marks] * len(batch))
            # Only the model's own names, quoted, go into the statement; every value is a parameter.
            sql = f"INSERT INTO {table} ({columns}) VALUES {marks}"  # noqa: S608  # nosec B608  # see above
            cursor.execute(sql, [value for row in batch for value in row])


def _link_survey_responses(office: Office, ids: Mapping[tuple[dt.date, str], int | None]) -> None:
    """Answers given with a ticket before its record arrived are linked to it now.

    `ids` maps the written records' (date, ticket) to their ids, None for one inserted without its id.
    """
    if not ids:
        return
    dates = sorted({day for day, _ticket in ids})
    waiting = list(
        SurveyResponse.objects.filter(office=office, record__isnull=True, ticket_date__in=dates).exclude(
            ticket=""
        )
    )
    keys = {(response.ticket_date, response.ticket) for response in waiting}
    unknown = {key for key in keys if key in ids and ids[key] is None}  # type: ignore[index]
    if unknown:
        # Inserted by `_insert_records`: fetch the ids of the few that have an answer waiting.
        found = dict(ids)
        stored = ServiceRecord.objects.filter(office=office, date__in={day for day, _ticket in unknown})
        for day, ticket, record_id in stored.values_list("date", "ticket", "pk"):
            if (day, ticket) in unknown:
                found[(day, ticket)] = record_id
        ids = found
    linked = []
    for response in waiting:
        pk = ids.get((response.ticket_date, response.ticket))  # type: ignore[arg-type]
        if pk is not None:
            response.record_id = pk
            linked.append(response)
    SurveyResponse.objects.bulk_update(linked, ["record"], batch_size=500)


# --- (a) The queue machine's file --------------------------------------------------------------------


@dataclass
class RecordImportRow:
    """What an import does (or would do) with one row of the file."""

    number: int
    cells: dict[str, str]
    action: RecordAction
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class RecordImportResult:
    """The outcome of `service_record_import`. After a dry run, or when there are errors, the counts say
    what the import would have done and nothing has been written."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)
    rows: list[RecordImportRow] = field(default_factory=list)
    dry_run: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def error_rows(self) -> int:
        return len({error.row for error in self.errors})

    def summary(self) -> str:
        """The one-line summary the command prints (a fixed form, for scripts)."""
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


def read_options(office: Office, mapping: ServiceImportMapping | None = None) -> ReadOptions:
    return ReadOptions(
        zone=zone(office.government.time_zone),
        mapping=dict(mapping.mapping) if mapping else {},
        value_map=dict(mapping.value_map) if mapping else {},
        date_format=mapping.date_format if mapping else "",
        time_format=mapping.time_format if mapping else "",
    )


@transaction.atomic
def service_record_import(
    *,
    office: Office,
    table: Table,
    mapping: ServiceImportMapping | None = None,
    dry_run: bool = False,
) -> RecordImportResult:
    """Create and update the office's service records from a queue-machine file, all or nothing.

    Records are matched on office + date + ticket: a new ticket creates a record, a known one is updated
    if anything differs, and importing the same file again changes nothing. Services are matched by code
    or name (and the mapping's translations); an unknown service is an error of its row. An officer who
    cannot be matched to an employee of the office is a note, not an error: the record is kept without
    an officer. If any row has a problem nothing at all is written, and every problem is returned with
    the spreadsheet's row number.

    The caller decides who may import into `office` (the command is run by the server's operator).
    """
    options = read_options(office, mapping)
    result = RecordImportResult(dry_run=dry_run, ignored_columns=list(table.ignored))
    parsed = parse_record_rows(table, options)
    catalogue = ServiceCatalogue(office, options.value_map.get("service"))
    officers = OfficerDirectory(office)
    existing = _existing_records(office, [row.key for row in parsed if row.key is not None])

    plans: list[tuple[RecordValues, ServiceRecord | None, RecordAction]] = []
    for row in parsed:
        outcome = RecordImportRow(
            number=row.number, cells=row.cells, action="error", problems=list(row.problems)
        )
        service = catalogue.find(row.service_text) if row.service_text else None
        if row.service_text and service is None:
            outcome.problems.append(catalogue.unknown(row.service_text))
        officer = None
        if row.officer_text:
            officer, note = officers.find(row.officer_text)
            if note:
                outcome.notes.append(note)
        result.rows.append(outcome)
        if outcome.problems:
            continue
        values = _values_of(row, service, officer)
        record = existing.get((values.date, values.ticket))
        outcome.action = _action_for(values, record)
        plans.append((values, record, outcome.action))

    result.errors = [RowError(row.number, problem) for row in result.rows for problem in row.problems]
    result.notes = [RowError(row.number, note) for row in result.rows for note in row.notes]
    result.created = sum(1 for row in result.rows if row.action == "create")
    result.updated = sum(1 for row in result.rows if row.action == "update")
    result.unchanged = sum(1 for row in result.rows if row.action == "unchanged")
    if result.errors or dry_run:
        return result
    try:
        with transaction.atomic():
            _write_imported_records(office, plans)
    except (ValidationError, IntegrityError) as error:
        # Checked already; reached only if someone else wrote the same tickets meanwhile.
        reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        result.errors.append(RowError(table.header_row, _(IMPORT_WRITE_FAILED).format(reason=reason)))
        transaction.set_rollback(True)
    return result


def _values_of(row: RecordRow, service: Service | None, officer: Employee | None) -> RecordValues:
    assert row.date is not None and row.arrival is not None and service is not None
    return RecordValues(
        date=row.date,
        ticket=row.ticket,
        service=service,
        arrival=row.arrival,
        called=row.called,
        finished=row.finished,
        counter=row.counter,
        officer=officer,
        result=row.result,
    )


# --- (b) The machine's push -------------------------------------------------------------------------


@dataclass(frozen=True)
class PushItem:
    """One record as the API receives it (already shaped by the API's schema)."""

    office: str
    date: dt.date
    ticket: str
    service: str
    arrival: dt.datetime
    called: dt.datetime | None = None
    finished: dt.datetime | None = None
    counter: str = ""
    officer_nip: str | None = None
    result: str = "selesai"


@dataclass(frozen=True)
class ItemError:
    """A problem with one item of a pushed batch: its index, the field at fault (or "" for the item)."""

    index: int
    field: str
    message: str


@dataclass(frozen=True)
class PushOutcome:
    index: int
    office: str
    date: dt.date
    ticket: str
    action: RecordAction
    id: int | None


@dataclass
class PushResult:
    outcomes: list[PushOutcome] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)


def _local(moment: dt.datetime, office: Office) -> dt.datetime:
    """An aware time; a naive one is read as wall time in the office's government zone."""
    tz = zone(office.government.time_zone)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


@transaction.atomic
def service_records_push(*, user: Any, items: Sequence[PushItem]) -> PushResult:
    """Store a batch the queue machine pushes, all or nothing, idempotent on office + date + ticket.

    The sender must be allowed to manage each item's office (a machine account is a user with a
    coordinator role on its office and an API token). Times without a zone are wall times of the office's
    government. If any item has a problem nothing is written and every problem is returned with its item
    index; otherwise each item's outcome (created, updated, unchanged) and record id.
    """
    result = PushResult()
    codes = {item.office.strip().upper() for item in items}
    offices: dict[str, Office] = {}
    for office in (
        scoped(user, Office.objects.select_related("government"), MANAGE)
        .filter(code__in=codes, is_active=True)
        .order_by("government_id")
    ):
        offices.setdefault(office.code, office)
    catalogues: dict[int, ServiceCatalogue] = {}
    nips: dict[int, dict[str, Employee]] = {}
    resolved: list[tuple[int, Office, RecordValues]] = []
    first_index: dict[tuple[int, dt.date, str], int] = {}

    for index, item in enumerate(items):
        errors_before = len(result.errors)

        def problem(name: str, message: str, index: int = index) -> None:
            result.errors.append(ItemError(index, name, message))

        found = offices.get(item.office.strip().upper())
        if found is None:
            problem("office", _(OFFICE_NOT_ALLOWED).format(code=item.office[:20]))
            continue
        office = found
        catalogue = catalogues.get(office.pk) or catalogues.setdefault(office.pk, ServiceCatalogue(office))
        service = catalogue.find(item.service)
        if service is None:
            problem("service", catalogue.unknown(item.service))
        officer = None
        if item.officer_nip:
            directory = nips.get(office.pk)
            if directory is None:
                directory = nips.setdefault(
                    office.pk, {e.nip: e for e in Employee.objects.filter(office=office)}
                )
            officer = directory.get("".join(item.officer_nip.split()))
            if officer is None:
                problem(
                    "officer_nip",
                    _(OFFICER_NIP_UNKNOWN).format(office=office.code, nip=item.officer_nip[:30]),
                )
        arrival = _local(item.arrival, office)
        called = _local(item.called, office) if item.called else None
        finished = _local(item.finished, office) if item.finished else None
        if arrival.date() != item.date:
            problem(
                "date",
                _(DATE_NOT_ARRIVAL).format(
                    date=item.date.isoformat(),
                    arrival=arrival.date().isoformat(),
                    zone=office.government.time_zone,
                ),
            )
        if called and called < arrival:
            problem("called", _(CALLED_BEFORE_ARRIVAL))
        if finished and called is None:
            problem("finished", _(FINISHED_WITHOUT_CALLED))
        elif finished and called and finished < called:
            problem("finished", _(FINISHED_BEFORE_CALLED))
        if item.result == ServiceRecord.Result.DONE and finished is None:
            problem("finished", _(DONE_WITHOUT_FINISH))
        ticket = item.ticket.strip()
        key = (office.pk, item.date, ticket)
        if key in first_index:
            problem(
                "ticket",
                _(TICKET_TWICE_IN_BATCH).format(ticket=ticket, date=item.date, index=first_index[key]),
            )
        else:
            first_index[key] = index
        if len(result.errors) > errors_before or service is None:
            continue
        resolved.append(
            (
                index,
                office,
                RecordValues(
                    date=item.date,
                    ticket=ticket,
                    service=service,
                    arrival=arrival,
                    called=called,
                    finished=finished,
                    counter=item.counter.strip(),
                    officer=officer,
                    result=item.result,
                ),
            )
        )
    if result.errors:
        return result

    by_office: dict[int, list[tuple[int, RecordValues]]] = {}
    for index, office, values in resolved:
        by_office.setdefault(office.pk, []).append((index, values))
    office_of = {office.pk: office for _index, office, _values in resolved}
    for office_id, entries in by_office.items():
        office = office_of[office_id]
        existing = _existing_records(office, [(v.date, v.ticket) for _i, v in entries])
        plans = []
        for _index, values in entries:
            record = existing.get((values.date, values.ticket))
            plans.append((values, record, _action_for(values, record)))
        written = _write_records(office, plans, ServiceRecord.Source.MACHINE)
        for (index, values), record, (_v, _r, action) in zip(entries, written, plans, strict=True):
            result.outcomes.append(
                PushOutcome(index, office.code, values.date, values.ticket, action, record.pk)
            )
    result.outcomes.sort(key=lambda outcome: outcome.index)
    return result


# --- (c) The counter's quick entry ------------------------------------------------------------------


def may_enter_records(user: Any, office: Office) -> bool:
    """Coordinators (and admins) of the office, and its own active staff, record services at the counter."""
    access = access_for(user)
    if access.employee_office_id == office.pk:
        return True
    return scoped(user, Office.objects.filter(pk=office.pk), MANAGE).exists()


@transaction.atomic
def service_record_enter(
    *,
    actor: Any,
    office: Office,
    service: Service,
    date: dt.date,
    ticket: str,
    arrival: dt.time,
    called: dt.time | None,
    finished: dt.time | None,
    counter: str,
    result: str,
) -> ServiceRecord:
    """One record typed at the counter; the officer is the person entering it when they work there.

    A ticket already recorded that day is refused (correct it in the queue machine's import instead).
    """
    if not may_enter_records(actor, office):
        raise PermissionDenied(_(NOT_AT_COUNTER))
    if service.office_id != office.pk:
        raise ValidationError({"service": _(SERVICE_OTHER_OFFICE)})
    tz = zone(office.government.time_zone)
    ticket = ticket.strip().upper()
    if ServiceRecord.objects.filter(office=office, date=date, ticket=ticket).exists():
        raise ValidationError({"ticket": _(TICKET_TAKEN).format(ticket=ticket, date=f"{date:%d/%m/%Y}")})
    access = access_for(actor)
    officer = None
    if access.employee_office_id == office.pk and access.employee_id is not None:
        officer = Employee.objects.get(pk=access.employee_id)
    record = ServiceRecord(
        office=office,
        service=service,
        date=date,
        ticket=ticket,
        arrival=dt.datetime.combine(date, arrival, tzinfo=tz),
        called=dt.datetime.combine(date, called, tzinfo=tz) if called else None,
        finished=dt.datetime.combine(date, finished, tzinfo=tz) if finished else None,
        counter=counter.strip(),
        officer=officer,
        result=result,
        source=ServiceRecord.Source.COUNTER,
    )
    errors: dict[str, str] = {}
    if record.called and record.called < record.arrival:
        errors["called"] = _(CALLED_BEFORE_ARRIVAL)
    if record.finished and record.called is None:
        errors["finished"] = _(FINISHED_WITHOUT_CALLED)
    elif record.finished and record.called and record.finished < record.called:
        errors["finished"] = _(FINISHED_BEFORE_CALLED)
    if result == ServiceRecord.Result.DONE and record.finished is None:
        errors["finished"] = _(DONE_WITHOUT_FINISH)
    if errors:
        raise ValidationError(errors)
    record.full_clean()
    record.save()
    # rollup: the office's daily service figures, in this transaction.
    rollup_service_records_changed(office=office, new=[record])
    _link_survey_responses(office, {(record.date, record.ticket): record.pk})
    return record


# --- The SKM survey ---------------------------------------------------------------------------------


@transaction.atomic
def survey_response_submit(
    *,
    office: Office,
    service: Service | None,
    answers: Mapping[str, int | None],
    ticket: str = "",
    sex: str = "",
    age: int | None = None,
    education: str = "",
    occupation: str = "",
    suggestion: str = "",
    channel: str = SurveyResponse.Channel.PHONE,
) -> SurveyResponse:
    """Store one citizen's SKM answers. A ticket number links them to today's record of that ticket (now,
    or when the record arrives) and may be used once a day."""
    if not any(answers.get(code) is not None for code in ELEMENT_CODES):
        raise ValidationError(_(NO_ANSWER))
    for code in ELEMENT_CODES:
        value = answers.get(code)
        if value is not None and value not in (1, 2, 3, 4):
            raise ValidationError({code.lower(): _(ANSWER_INVALID).format(code=code)})
    if service is not None and service.office_id != office.pk:
        raise ValidationError({"service": _(SERVICE_OTHER_OFFICE)})
    today = timezone.now().astimezone(zone(office.government.time_zone)).date()
    ticket = ticket.strip().upper()
    record = None
    if ticket:
        if SurveyResponse.objects.filter(office=office, ticket_date=today, ticket=ticket).exists():
            raise ValidationError({"ticket": _(TICKET_USED)})
        record = ServiceRecord.objects.filter(office=office, date=today, ticket=ticket).first()
        if service is None and record is not None:
            service = record.service
    response = SurveyResponse(
        office=office,
        service=service,
        ticket=ticket,
        ticket_date=today if ticket else None,
        record=record,
        sex=sex,
        age=age,
        education=education,
        occupation=occupation,
        suggestion=suggestion.strip(),
        channel=channel,
        **{code.lower(): answers.get(code) for code in ELEMENT_CODES},
    )
    response.full_clean()
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        # Two answers with the same ticket at the same moment: the second loses.
        raise ValidationError({"ticket": _(TICKET_USED)}) from None
    # rollup: the office's daily SKM sums, in this transaction.
    rollup_survey_response_added(response=response)
    return response


# --- The improvement plan ---------------------------------------------------------------------------


def _check_owner(office: Office, owner: Employee) -> None:
    if owner.office_id != office.pk or not owner.is_active:
        raise ValidationError({"owner": _(OWNER_OTHER_OFFICE)})


@transaction.atomic
def improvement_action_create(
    *,
    actor: Any,
    office: Office,
    period: str,
    element: str,
    action: str,
    owner: Employee,
    due_date: dt.date,
    note: str = "",
) -> ImprovementAction:
    """Plan one follow-up action for an SKM element of a period."""
    try:
        parsed = parse_period(period)
    except PeriodError:
        raise ValidationError({"period": _(PERIOD_INVALID)}) from None
    _check_owner(office, owner)
    if due_date < parsed.start:
        raise ValidationError({"due_date": _(DUE_BEFORE_PERIOD)})
    planned = ImprovementAction(
        office=office,
        period=parsed.key,
        element=element,
        action=action.strip(),
        owner=owner,
        due_date=due_date,
        note=note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    planned.full_clean()
    planned.save()
    return planned


@transaction.atomic
def improvement_action_update(
    *,
    actor: Any,
    improvement: ImprovementAction,
    action: str,
    owner: Employee,
    due_date: dt.date,
    status: str,
    note: str = "",
) -> ImprovementAction:
    """Change an action's plan or progress; becoming done records today as its completion date."""
    _check_owner(improvement.office, owner)
    improvement.action = action.strip()
    improvement.owner = owner
    improvement.due_date = due_date
    improvement.note = note.strip()
    if status == ImprovementAction.Status.DONE and improvement.status != status:
        improvement.completed_on = (
            timezone.now().astimezone(zone(improvement.office.government.time_zone)).date()
        )
    elif status != ImprovementAction.Status.DONE:
        improvement.completed_on = None
    improvement.status = status
    improvement.updated_at = timezone.now()
    improvement.full_clean()
    improvement.save()
    return improvement


# --- Complaints -------------------------------------------------------------------------------------


def _new_reference() -> str:
    for _attempt in range(10):
        reference = "ADU-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(6))
        if not Complaint.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("no free complaint reference after 10 attempts")  # 32⁶ ≈ 10⁹ references


@transaction.atomic
def complaint_submit(
    *,
    office: Office,
    category: str,
    description: str,
    service: Service | None = None,
    contact: str = "",
    channel: str = Complaint.Channel.WEB,
    entered_by: Any = None,
    received_at: dt.datetime | None = None,
) -> Complaint:
    """Receive a complaint (from the public form, or entered by staff with the channel it came by)."""
    if service is not None and service.office_id != office.pk:
        raise ValidationError({"service": _(SERVICE_OTHER_OFFICE)})
    complaint = Complaint(
        office=office,
        service=service,
        reference=_new_reference(),
        category=category,
        channel=channel,
        description=description.strip(),
        contact=" ".join(contact.split()),
        entered_by=entered_by if getattr(entered_by, "is_authenticated", False) else None,
        received_at=received_at or timezone.now(),
    )
    complaint.full_clean()
    complaint.save()
    # rollup: the office's daily complaint figures, in this transaction.
    rollup_complaint_received(complaint=complaint)
    return complaint


@transaction.atomic
def complaint_respond(
    *,
    actor: Any,
    complaint: Complaint,
    status: str,
    note: str = "",
    handler: Employee | None = None,
) -> ComplaintUpdate:
    """Record a step in handling a complaint: a response, a status change, or both.

    The first step is the office's first response; closing (selesai, ditolak) needs a note for the
    complainant and stamps the closing time. Closed complaints cannot change.
    """
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.is_closed:
        raise ValidationError(_(COMPLAINT_CLOSED))
    old = complaint.status
    if status != old and status not in COMPLAINT_TRANSITIONS.get(old, frozenset()):
        raise ValidationError(
            {
                "status": _(TRANSITION_NOT_ALLOWED).format(
                    old=Complaint.Status(old).label,
                    new=Complaint.Status(status).label if status in Complaint.Status.values else status,
                )
            }
        )
    note = note.strip()
    closing = status in Complaint.CLOSED
    if (closing or status == old) and not note:
        raise ValidationError({"note": _(NOTE_REQUIRED)})
    if handler is not None and (handler.office_id != complaint.office_id or not handler.is_active):
        raise ValidationError({"handler": _(HANDLER_OTHER_OFFICE)})
    now = max(timezone.now(), complaint.received_at)
    update = ComplaintUpdate(
        complaint=complaint,
        at=now,
        by=actor if getattr(actor, "is_authenticated", False) else None,
        status_from=old,
        status_to=status,
        note=note,
    )
    update.full_clean()
    update.save()
    complaint.status = status
    if complaint.first_response_at is None:
        complaint.first_response_at = now
    if closing:
        complaint.closed_at = now
    if handler is not None:
        complaint.handler = handler
    complaint.full_clean()
    complaint.save(update_fields=["status", "first_response_at", "closed_at", "handler"])
    # rollup: the office's daily complaint figures, in this transaction.
    rollup_complaint_responded(complaint=complaint, at=now)
    return update
