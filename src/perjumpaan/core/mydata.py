"""Everything the system holds about one person, for "Data saya" (`/saya/data/`): a ZIP of JSON and CSV.

What counts as data *about* the person is found by walking every model's relations, so a table added by
any app comes along without anyone remembering this file:

- every row with a relation to the person's employee record (attendance marks, leave requests, kultum
  turns, reading progress, …), unless the relation makes them the actor on somebody else's row
  (`ACTOR_RELATIONS`: a teacher's pupils, a handler's complaints);
- every row with a relation to the person's login that is about that login (`SUBJECT_USER_RELATIONS`:
  roles, API tokens, calendar links); relations from a user to a row they acted on (`*_by`, `actor`) are
  about somebody else and stay out;
- the audit trail of changes to any of those rows.

`tests/core/test_mydata.py` fails when a relation to a login is neither listed here nor named like an
actor, so every new one is decided once. Secrets (password hash, token digests, calendar tokens) are never
exported; attached files (a sick note) are, under `lampiran/`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

# (model label, field name) of relations to a login whose rows are about that login.
SUBJECT_USER_RELATIONS = frozenset(
    {
        ("org.Employee", "user"),
        ("org.Role", "user"),
        ("org.ApiToken", "user"),
        ("program.CalendarToken", "user"),
        ("program.Speaker", "user"),
        ("evaluation.Narrative", "author"),  # a facilitator's signed weekly account: their own writing
    }
)
# (model label, field name) of relations to an employee or a login that make the person the actor on a
# row about somebody else (or about citizens), or that would reveal what is kept from them: not exported.
ACTOR_RELATIONS = frozenset(
    {
        ("admin.LogEntry", "user"),
        ("org.AuditEntry", "actor"),
        ("org.StaffImportUpload", "uploaded_by"),
        ("program.Lesson", "facilitator"),
        ("tadarus.ReadingGroup", "coordinator"),
        ("tadarus.LevelEnrolment", "teacher"),
        ("tadarus.LevelStep", "teacher"),
        ("service.Complaint", "handler"),
        # Who rates whom is secret from the person rated (peer evaluation): the rater's own assignments
        # are exported to the rater, never the rows naming someone as the subject.
        ("evaluation.Assignment", "subject"),
    }
)
# Field names whose values are secrets or other people's content; never exported.
SECRET_FIELDS = frozenset({"password", "digest", "token", "content", "session_key", "session_data"})


def is_actor_name(name: str) -> bool:
    """`created_by`, `decided_by`, `by`, `actor`, … name who did something, not whom it is about."""
    return name in ("by", "actor") or name.endswith("_by")


def _label(model: type[models.Model]) -> str:
    return model._meta.label


@dataclass(frozen=True)
class Relation:
    model: type[models.Model]
    field: str
    to_user: bool


def person_relations() -> tuple[list[Relation], list[tuple[str, str]]]:
    """The relations along which rows are about a person, and the relations to a login that nobody has
    classified yet (neither in the tables above nor named like an actor)."""
    from perjumpaan.org.models import Employee, User

    found: list[Relation] = []
    unclassified: list[tuple[str, str]] = []
    for model in apps.get_models():
        for relation in model._meta.get_fields():
            if not (getattr(relation, "concrete", False) and relation.is_relation):
                continue
            if not (relation.many_to_one or relation.one_to_one):
                continue
            target = relation.related_model
            key = (_label(model), relation.name)
            if key in ACTOR_RELATIONS:
                continue
            if target is Employee:
                found.append(Relation(model, relation.name, to_user=False))
            elif target is User:
                if key in SUBJECT_USER_RELATIONS:
                    found.append(Relation(model, relation.name, to_user=True))
                elif not is_actor_name(relation.name):
                    unclassified.append(key)
    return found, unclassified


@dataclass
class PersonalData:
    """The person's rows, by model label, as Django's "python" serialisation, and the files attached."""

    user: Any
    created_at: dt.datetime
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: dict[str, Any] = field(default_factory=dict)  # path in the ZIP -> a FieldFile


def _rows(queryset: Iterable[models.Model]) -> list[dict[str, Any]]:
    rows = []
    for item in serializers.serialize("python", queryset):
        values = {name: value for name, value in item["fields"].items() if name not in SECRET_FIELDS}
        rows.append({"id": item["pk"], **values})
    return rows


def personal_data(user: Any) -> PersonalData:
    """Everything held about `user` and their employee record."""
    from perjumpaan.org.models import AuditEntry, Employee, User

    data = PersonalData(user=user, created_at=timezone.now())
    employees = list(Employee.objects.filter(user=user))
    employee_ids = [employee.pk for employee in employees]
    data.tables[_label(User)] = _rows(User.objects.filter(pk=user.pk))

    relations, _unclassified = person_relations()
    by_model: dict[type[models.Model], Q] = {}
    for relation in relations:
        if relation.to_user:
            condition = Q(**{f"{relation.field}_id": user.pk})
        elif employee_ids:
            condition = Q(**{f"{relation.field}_id__in": employee_ids})
        else:
            continue
        by_model[relation.model] = by_model.get(relation.model, Q(pk__in=[])) | condition
    exported: dict[str, list[Any]] = {_label(User): [user.pk]}
    for model, condition in sorted(by_model.items(), key=lambda item: _label(item[0])):
        queryset = model._default_manager.filter(condition).order_by("pk")
        rows = list(queryset)
        if not rows:
            continue
        data.tables[_label(model)] = _rows(rows)
        exported[_label(model)] = [row.pk for row in rows]
        for row in rows:
            for file_field in model._meta.fields:
                if isinstance(file_field, models.FileField):
                    value = getattr(row, file_field.name)
                    if value:
                        name = PurePosixPath(value.name).name
                        data.files[f"lampiran/{_label(model)}/{row.pk}/{name}"] = value

    trail = Q(pk__in=[])
    for label, pks in exported.items():
        trail |= Q(object_type=label.lower(), object_id__in=[str(pk) for pk in pks])
    audit = AuditEntry.objects.filter(trail).order_by("at", "pk")
    if audit.exists():
        data.tables[_label(AuditEntry)] = _rows(audit)
    return data


README = """Data saya — Sekolah Perjumpaan

Berkas ini berisi seluruh data yang disimpan sistem Perjumpaan tentang akun {username}
dan data kepegawaian yang terhubung dengannya, per {created}.

- data.json: semua data dalam satu berkas JSON, dikelompokkan per tabel.
- csv/: data yang sama, satu berkas CSV per tabel (dapat dibuka di Excel atau LibreOffice).
- lampiran/: berkas yang Anda unggah (misalnya surat keterangan sakit), bila ada.

Kata sandi (hanya disimpan sebagai hash), token API dan tautan kalender rahasia tidak disertakan.
Nilai "id" pada kolom relasi merujuk ke baris di tabel lain dalam berkas ini atau ke data yang
bukan milik Anda (misalnya perangkat daerah atau jadwal perjumpaan).

Bila ada data yang keliru, hubungi koordinator perangkat daerah Anda atau admin program.
"""


def _csv(rows: list[dict[str, Any]]) -> bytes:
    columns: list[str] = []
    for row in rows:
        for name in row:
            if name not in columns:
                columns.append(name)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                name: json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
                if isinstance(value, dict | list)
                else value
                for name, value in row.items()
            }
        )
    # With a byte-order mark, so that Excel reads the UTF-8 names right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def personal_data_zip(data: PersonalData) -> bytes:
    buffer = io.BytesIO()
    created = timezone.localtime(data.created_at)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "BACA-SAYA.txt",
            README.format(username=data.user.get_username(), created=created.strftime("%Y-%m-%d %H:%M %Z")),
        )
        document = {
            "dibuat": created.isoformat(),
            "pengguna": data.user.get_username(),
            "tabel": data.tables,
        }
        archive.writestr(
            "data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for label, rows in data.tables.items():
            archive.writestr(f"csv/{label}.csv", _csv(rows))
        for path, value in data.files.items():
            try:
                with value.open("rb") as handle:
                    archive.writestr(path, handle.read())
            except OSError:
                archive.writestr(path + ".hilang.txt", "Berkas ini tidak ditemukan di server.\n")
    return buffer.getvalue()
