"""Writes of organisation data: plain functions, one transaction each, validated before saving."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perjumpaan.core.audit import audit_record, audit_record_many
from perjumpaan.core.spreadsheet import Table
from perjumpaan.org.models import Employee, Office, StaffImportUpload, Unit
from perjumpaan.org.staff_table import parse_staff_rows, read_staff_file

EMPLOYEE_FIELDS = ("nip", "name", "position", "unit_id", "gender", "status", "phone", "email", "track")


@transaction.atomic
def employee_deactivate(*, actor: Any, employee: Employee, reason: str = "") -> Employee:
    """Mark someone who left as inactive. Employees are never deleted: their history stays."""
    if employee.is_active:
        employee.is_active = False
        employee.full_clean()
        employee.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            office=employee.office,
            action="employee.deactivate",
            obj=employee,
            old={"is_active": True},
            new={"is_active": False},
            reason=reason,
        )
    return employee


# --- Staff import (the `import_staff` command and the office's import page) --------------------------

IMPORT_NIP_AT_OTHER_OFFICE = gettext_noop(
    "NIP ini sudah terdaftar di perangkat daerah lain: {office} ({code}). Pemindahan pegawai antarperangkat "
    "daerah dilakukan oleh admin program."
)
IMPORT_INACTIVE_NOTE = gettext_noop("Pegawai ini tidak aktif; impor tidak mengaktifkannya kembali.")
IMPORT_REASON = gettext_noop("Impor data pegawai dari berkas {source}.")
# The same words as the service-record import's message (one translation serves both).
IMPORT_WRITE_FAILED = gettext_noop("Data berubah selama impor; ulangi impor. ({reason})")
IMPORT_UPLOAD_MAX_AGE = dt.timedelta(days=1)

ImportAction = Literal["create", "update", "unchanged", "error"]


@dataclass(frozen=True)
class RowError:
    """One problem with one row of an import file, numbered as the spreadsheet shows the row."""

    row: int
    message: str

    def __str__(self) -> str:
        return _("Baris {row}: {message}").format(row=self.row, message=self.message)


@dataclass
class StaffImportRow:
    """What an import does (or would do) with one row of the file, for the preview page."""

    number: int
    cells: dict[str, str]
    action: ImportAction
    # Employee field → (old, new), both as text, for an update.
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def change_list(self) -> list[tuple[str, str, str]]:
        """The changes as (column label, old, new) for showing them."""
        return [
            (_(_IMPORT_FIELD_LABELS[name]), _import_display(name, old), _import_display(name, new))
            for name, (old, new) in self.changes.items()
        ]


@dataclass
class StaffImportResult:
    """The outcome of `staff_import`: counts, units created, and every row error (empty when it worked).

    After a dry run, or when there are errors, the counts say what the import would have done and
    nothing has been written.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: list[StaffImportRow] = field(default_factory=list)
    dry_run: bool = False
    # Headers in the file that are not staff columns, skipped.
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
        """The one-line summary the command prints (kept in this fixed form for scripts that read it)."""
        line = f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"
        if self.units_created:
            line += f", units created {len(self.units_created)} ({', '.join(self.units_created)})"
        return line


_IMPORT_FIELD_LABELS = {
    "name": gettext_noop("Nama"),
    "position": gettext_noop("Jabatan"),
    "unit": gettext_noop("Unit"),
    "gender": gettext_noop("Jenis Kelamin"),
    "status": gettext_noop("Status"),
    "phone": gettext_noop("No HP"),
    "email": gettext_noop("Email"),
    "track": gettext_noop("Jalur"),
}


def _import_display(name: str, value: str) -> str:
    if name == "track" and value in Employee.Track.values:
        return str(Employee.Track(value).label)
    return value or "—"


def _employees_by_nip(office: Office, nips: set[str]) -> dict[str, Employee]:
    found: dict[str, Employee] = {}
    ordered = sorted(nips)
    # In chunks, to stay under the database's limit on query parameters.
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        employees = Employee.objects.filter(government_id=office.government_id, nip__in=chunk)
        found.update((e.nip, e) for e in employees.select_related("office", "unit"))
    return found


@transaction.atomic
def staff_import(*, actor: Any, office: Office, table: Table, dry_run: bool = False) -> StaffImportResult:
    """Create and update the employees of `office` from a staff file, all or nothing.

    Employees are matched by NIP within the office's government. A row whose NIP is new creates an
    employee; a known NIP updates the columns the file has (a column the file lacks is left alone), each
    update audited as "employee.import_update" with old → new of the changed fields. A unit the file names
    that the office lacks is created. If any row has a problem — including a NIP registered at another
    office — nothing at all is written and every problem is returned with its row number.

    Employees of the office who are not in the file are NOT deactivated, and inactive employees in the
    file are not reactivated: leaving is a separate, explicit act (`employee_deactivate`). Importing the
    same file twice changes nothing the second time.

    The caller decides who may import into `office` (the page requires manage scope; the command is run
    by the operator of the server).
    """
    result = StaffImportResult(dry_run=dry_run, ignored_columns=list(table.ignored))
    parsed = parse_staff_rows(table)
    existing = _employees_by_nip(office, {row.nip for row in parsed if row.nip})
    units = {unit.name.casefold(): unit for unit in Unit.objects.filter(office=office)}
    new_units: dict[str, str] = {}

    plans: list[tuple[StaffImportRow, dict[str, str], Employee | None]] = []
    for row in parsed:
        outcome = StaffImportRow(
            number=row.number, cells=row.cells, action="error", problems=list(row.problems)
        )
        employee = existing.get(row.nip) if row.nip else None
        if employee is not None and employee.office_id != office.pk:
            outcome.problems.append(
                _(IMPORT_NIP_AT_OTHER_OFFICE).format(office=employee.office.name, code=employee.office.code)
            )
        if outcome.problems:
            result.rows.append(outcome)
            continue
        unit_name = row.values.get("unit")
        if unit_name and unit_name.casefold() not in units:
            new_units.setdefault(unit_name.casefold(), unit_name)
        if employee is None:
            outcome.action = "create"
        else:
            outcome.changes = _import_changes(employee, row.values, units)
            outcome.action = "update" if outcome.changes else "unchanged"
            if not employee.is_active:
                outcome.notes.append(_(IMPORT_INACTIVE_NOTE))
        result.rows.append(outcome)
        plans.append((outcome, row.values, employee))

    result.errors = [RowError(row.number, problem) for row in result.rows for problem in row.problems]
    result.units_created = list(new_units.values())
    result.created = sum(1 for row in result.rows if row.action == "create")
    result.updated = sum(1 for row in result.rows if row.action == "update")
    result.unchanged = sum(1 for row in result.rows if row.action == "unchanged")
    if result.errors or dry_run:
        return result

    reason = _(IMPORT_REASON).format(source=table.source or "?")
    try:
        # A savepoint, so that a database error (reached only if someone else wrote the same NIPs
        # meanwhile) can be reported instead of breaking the caller's transaction.
        with transaction.atomic():
            _import_write(
                actor=actor, office=office, plans=plans, units=units, new_units=new_units, reason=reason
            )
    except ValidationError as error:
        result.errors.append(RowError(table.header_row, "; ".join(error.messages)))
        transaction.set_rollback(True)
    except IntegrityError as error:
        result.errors.append(RowError(table.header_row, _(IMPORT_WRITE_FAILED).format(reason=error)))
        transaction.set_rollback(True)
    return result


def _unit_for(values: dict[str, str], units: dict[str, Unit]) -> Unit | None:
    name = values.get("unit", "")
    return units.get(name.casefold()) if name else None


def _import_changes(
    employee: Employee, values: dict[str, str], units: dict[str, Unit]
) -> dict[str, tuple[str, str]]:
    changes: dict[str, tuple[str, str]] = {}
    for name, new in values.items():
        if name == "nip":
            continue
        if name == "unit":
            old = employee.unit.name if employee.unit else ""
            unit = _unit_for(values, units)
            if unit is not None and unit.pk == employee.unit_id:
                continue
            if unit is None and not new and employee.unit_id is None:
                continue
        else:
            old = getattr(employee, name)
            if old == new:
                continue
        changes[name] = (old, new)
    return changes


def _import_write(
    *,
    actor: Any,
    office: Office,
    plans: list[tuple[StaffImportRow, dict[str, str], Employee | None]],
    units: dict[str, Unit],
    new_units: dict[str, str],
    reason: str,
) -> None:
    """Write what `staff_import` planned, in bulk.

    Every row was checked by `parse_staff_rows` (each field's length, choices and form, the NIP's
    shape) and against the database (a NIP at another office), which is everything `full_clean` would
    check of an employee, so employees are not cleaned one by one: that cost ~8 queries a row. The test
    `test_every_row_the_parser_accepts_is_a_valid_employee` holds the two checks together. The
    database's constraints still guard the writes.
    """
    for key, name in new_units.items():
        unit = Unit(office=office, name=name)
        unit.full_clean()
        unit.save()
        units[key] = unit

    created: list[Employee] = []
    # Updated employees grouped by the fields that changed, so that each is written only its own
    # changed fields (as `save(update_fields=…)` would) in a few bulk updates.
    updated: dict[tuple[str, ...], list[Employee]] = {}
    audits: list[tuple[Employee, dict[str, Any], dict[str, Any]]] = []
    for outcome, values, employee in plans:
        fields: dict[str, Any] = {name: value for name, value in values.items() if name != "unit"}
        if "unit" in values:
            fields["unit"] = _unit_for(values, units)
        if employee is None:
            created.append(Employee(government_id=office.government_id, office=office, **fields))
            continue
        if not outcome.changes:
            continue
        for name in outcome.changes:
            setattr(employee, name, fields[name])
        updated.setdefault(tuple(sorted(outcome.changes)), []).append(employee)
        audits.append(
            (
                employee,
                {name: old for name, (old, _new) in outcome.changes.items()},
                {name: new for name, (_old, new) in outcome.changes.items()},
            )
        )

    Employee.objects.bulk_create(created, batch_size=500)
    for names, employees in updated.items():
        Employee.objects.bulk_update(employees, list(names), batch_size=500)
    audit_record_many(
        actor=actor, office=office, action="employee.import_update", changes=audits, reason=reason
    )


@transaction.atomic
def staff_import_upload_create(
    *, actor: Any, office: Office, filename: str, content: bytes
) -> StaffImportUpload:
    """Keep an uploaded staff file until its preview is confirmed.

    The user's earlier uploads for this office, and anybody's uploads older than a day, are dropped:
    an abandoned preview should not keep personal data around.
    """
    StaffImportUpload.objects.filter(office=office, uploaded_by=actor).delete()
    StaffImportUpload.objects.filter(created_at__lt=timezone.now() - IMPORT_UPLOAD_MAX_AGE).delete()
    upload = StaffImportUpload(office=office, uploaded_by=actor, filename=filename[:255], content=content)
    upload.full_clean()
    upload.save()
    return upload


@transaction.atomic
def staff_import_upload_confirm(*, actor: Any, upload: StaffImportUpload) -> StaffImportResult:
    """Import a kept upload for real; the upload is deleted in the same transaction when it worked.

    Raises `SpreadsheetError` if the kept file cannot be read (it could when it was uploaded).
    """
    table = read_staff_file(bytes(upload.content), filename=upload.filename)
    result = staff_import(actor=actor, office=upload.office, table=table, dry_run=False)
    if result.written:
        upload.delete()
    return result


@transaction.atomic
def staff_import_upload_delete(*, upload: StaffImportUpload) -> None:
    upload.delete()
