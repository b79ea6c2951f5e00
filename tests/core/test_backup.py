"""`perjumpaan backup` and `perjumpaan restore`: a round trip gives back every table, row for row.

On SQLite the round trip runs on the test database itself (the backup API reads and writes it beside
Django's connection). On PostgreSQL it runs the commands in subprocesses on a throwaway database
`perjumpaan_rel_<pid>` on the same server (created, migrated and dropped here), because pg_dump and
pg_restore must not touch the test database.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import SimpleTestCase, TransactionTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from perjumpaan.core.backup import (
    PGDUMP_MAGIC,
    SQLITE_MAGIC,
    BackupError,
    backup_check,
    backup_create,
    backups_to_remove,
    database_digest,
    default_name,
)
from perjumpaan.org.models import AuditEntry, Employee, Office, Unit
from tests.base import PerjumpaanTestCase

SQLITE = connection.vendor == "sqlite"


def _fill() -> None:
    """The personas' government, and rows of several kinds (JSON, text with quotes, an audit entry)."""

    class Holder:
        pass

    PerjumpaanTestCase.setUpTestData.__func__(Holder)  # type: ignore[attr-defined]
    office = Office.objects.get(code="DUKCAPIL", government__slug="lombok-barat")
    employee = Employee.objects.filter(office=office).first()
    assert employee is not None
    AuditEntry.objects.create(
        office=office,
        action="employee.import_update",
        object_type="org.employee",
        object_id=str(employee.pk),
        old={"name": "Baiq Nurul"},
        new={"name": 'Baiq "Nurul" Aini'},
        reason="uji cadangan",
    )


@pytest.mark.skipif(not SQLITE, reason="the SQLite round trip; PostgreSQL has its own below")
class SqliteRoundTripTests(TransactionTestCase):
    def setUp(self) -> None:
        _fill()
        self.work = Path(self.enterContext(_tempdir()))

    def test_a_restored_backup_gives_back_every_table_row_for_row(self) -> None:
        before = database_digest()
        path = self.work / "cadangan.sqlite3"
        out = io.StringIO()
        call_command("backup", str(path), stdout=out)
        self.assertIn("Cadangan sqlite tersimpan", out.getvalue())

        # Changes after the backup: a new row, a changed row, a deleted row, a table emptied.
        Unit.objects.create(office=Office.objects.get(code="PUPR"), name="Bidang Baru")
        Employee.objects.filter(name="Lalu Muhammad Zaini").update(name="Diubah")
        AuditEntry.objects.all().delete()
        self.assertNotEqual(database_digest(), before)

        call_command("restore", str(path), "--yes", stdout=io.StringIO())
        self.assertEqual(database_digest(), before)
        self.assertFalse(Unit.objects.filter(name="Bidang Baru").exists())

    def test_a_backup_is_one_file_and_never_overwritten_by_accident(self) -> None:
        path = self.work / "cadangan.sqlite3"
        backup_create(path)
        self.assertEqual(sorted(p.name for p in self.work.iterdir()), ["cadangan.sqlite3"])
        with self.assertRaisesMessage(CommandError, "sudah ada"):
            call_command("backup", str(path), stdout=io.StringIO())
        call_command("backup", str(path), "--force", stdout=io.StringIO())

    def test_a_directory_gets_a_dated_file_and_the_rotation_keeps_the_newest(self) -> None:
        for day in (1, 2, 3):
            backup_create(self.work, now=dt.datetime(2026, 12, day, 1, 0, tzinfo=dt.UTC))
        out = io.StringIO()
        call_command("backup", str(self.work), "--keep-daily", "2", stdout=out)
        names = sorted(p.name for p in self.work.iterdir())
        self.assertEqual(len(names), 2)
        self.assertNotIn("perjumpaan-sqlite-20261201-010000.sqlite3", names)
        self.assertIn("Cadangan lama dihapus", out.getvalue())

    def test_restore_asks_first_and_does_nothing_without_yes(self) -> None:
        path = self.work / "cadangan.sqlite3"
        backup_create(path)
        Unit.objects.create(office=Office.objects.get(code="PUPR"), name="Tetap Ada")
        sys_stdin = sys.stdin
        try:
            sys.stdin = io.StringIO("tidak\n")
            with self.assertRaisesMessage(CommandError, "Dibatalkan"):
                call_command("restore", str(path), stdout=io.StringIO())
        finally:
            sys.stdin = sys_stdin
        self.assertTrue(Unit.objects.filter(name="Tetap Ada").exists())

    def test_restore_refuses_what_is_not_a_perjumpaan_backup(self) -> None:
        text = self.work / "catatan.txt"
        text.write_text("bukan cadangan")
        with self.assertRaisesMessage(CommandError, "bukan cadangan Perjumpaan"):
            call_command("restore", str(text), "--yes", stdout=io.StringIO())

        import sqlite3

        other = self.work / "lain.sqlite3"
        db = sqlite3.connect(other)
        db.execute("CREATE TABLE t (x)")
        db.commit()
        db.close()
        with self.assertRaisesMessage(CommandError, "bukan cadangan Perjumpaan (tabel django_migrations"):
            call_command("restore", str(other), "--yes", stdout=io.StringIO())

        damaged = self.work / "rusak.sqlite3"
        backup_create(damaged)
        data = bytearray(damaged.read_bytes())
        data[200:4000] = b"\xff" * 3800
        damaged.write_bytes(bytes(data))
        with self.assertRaises(BackupError):
            backup_check(damaged)

        pgdump = self.work / "cadangan.dump"
        pgdump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
        with self.assertRaisesMessage(CommandError, "hanya dapat dipulihkan ke jenis basis data yang sama"):
            call_command("restore", str(pgdump), "--yes", stdout=io.StringIO())

        with self.assertRaisesMessage(CommandError, "tidak ada"):
            call_command("restore", str(self.work / "hilang.sqlite3"), "--yes", stdout=io.StringIO())


class RestoreAnyFileTests(SimpleTestCase):
    """`perjumpaan restore` is handed whatever file an operator finds: anything that is not a sound
    Perjumpaan backup is refused with a sentence naming the file, before the database is touched (a
    SimpleTestCase refuses every query, so a refusal that reached the database would fail here)."""

    @settings(max_examples=40, deadline=None)
    @given(
        head=st.sampled_from([b"", SQLITE_MAGIC, PGDUMP_MAGIC, SQLITE_MAGIC + b"\x10\x00\x01\x01"]),
        body=st.binary(max_size=6000),
    )
    def test_any_file_is_refused_with_a_message_and_nothing_else(self, head: bytes, body: bytes) -> None:
        with _tempdir() as work:  # type: ignore[attr-defined]
            path = Path(work) / "cadangan.bin"
            path.write_bytes(head + body)
            with self.assertRaises(CommandError) as refused:
                call_command("restore", str(path), "--yes", stdout=io.StringIO())
        message = str(refused.exception)
        self.assertIn("cadangan.bin", message)
        self.assertNotIn("Traceback", message)


class RotationTests(SimpleTestCase):
    def test_it_keeps_the_newest_of_each_day_week_and_month_and_nothing_else(self) -> None:
        start = dt.datetime(2026, 1, 1, 2, 0, tzinfo=dt.UTC)
        names = [default_name("sqlite", start + dt.timedelta(days=i)) for i in range(120)]
        removed = set(backups_to_remove([*names, "catatan.txt"], daily=7, weekly=4, monthly=3))
        self.assertNotIn("catatan.txt", removed)  # a file named otherwise is never touched
        kept = [name for name in names if name not in removed]
        self.assertEqual(kept[-7:], names[-7:])  # the last seven days
        self.assertIn(names[0], removed)  # four months old: no rotation keeps it
        self.assertTrue(8 <= len(kept) <= 7 + 4 + 3, kept)

        # Every older copy kept is the newest of its ISO week or of its month.
        def week(name: str) -> tuple[int, int]:
            year, number, _day = dt.date.fromisoformat(
                f"{name[18:22]}-{name[22:24]}-{name[24:26]}"
            ).isocalendar()
            return year, number

        for name in kept[:-7]:
            newer = [n for n in names if n > name]
            same_week = [n for n in newer if week(n) == week(name)]
            same_month = [n for n in newer if n[18:24] == name[18:24]]
            self.assertTrue(not same_week or not same_month, name)
        # Running the rotation again removes nothing more.
        self.assertEqual(backups_to_remove(kept, daily=7, weekly=4, monthly=3), [])


# --- PostgreSQL: the commands in subprocesses on a throwaway database ---------------------------------


def _pg_server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme in ("postgres", "postgresql"):
        return url
    return None


@pytest.mark.skipif(_pg_server_url() is None, reason="the PostgreSQL round trip runs in the PostgreSQL run")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_a_postgresql_backup_restores_every_table_row_for_row(tmp_path: Path) -> None:
    import psycopg

    server = _pg_server_url()
    assert server is not None
    name = f"perjumpaan_rel_{os.getpid()}"
    admin = server.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(server)._replace(path="/" + name))
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PERJUMPAAN_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(root),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    perjumpaan = str(Path(sys.executable).with_name("perjumpaan"))

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - the project's own command
            [perjumpaan, *args],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def digest() -> str:
        done = run(
            "shell",
            "-c",
            "import json; from perjumpaan.core.backup import database_digest; "
            "print(json.dumps(database_digest(), sort_keys=True))",
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    try:
        assert run("migrate", "--noinput").returncode == 0
        fill = run(
            "shell",
            "-c",
            "from tests.core.test_backup import _fill; _fill()",
        )
        assert fill.returncode == 0, fill.stderr
        before = digest()
        backup = tmp_path / "cadangan.dump"
        made = run("backup", str(backup))
        assert made.returncode == 0, made.stderr
        assert backup.read_bytes().startswith(b"PGDMP")
        assert "PGPASSWORD" not in made.stdout and "password" not in made.stdout.lower()

        changed = run(
            "shell",
            "-c",
            "from perjumpaan.org.models import AuditEntry, Employee; AuditEntry.objects.all().delete(); "
            "Employee.objects.update(name='Diubah'); "
            "from django.db import connection; c = connection.cursor(); "
            "c.execute('CREATE TABLE rilis_baru (id integer)')",
        )
        assert changed.returncode == 0, changed.stderr
        assert digest() != before

        refused = run("restore", str(backup), stdin="tidak\n")
        assert refused.returncode != 0 and "Dibatalkan" in refused.stderr

        restored = run("restore", str(backup), "--yes")
        assert restored.returncode == 0, restored.stderr
        assert digest() == before  # and the table a "newer release" added is gone too

        sqlite_file = tmp_path / "lain.sqlite3"
        sqlite_file.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
        wrong = run("restore", str(sqlite_file), "--yes")
        assert wrong.returncode != 0 and "jenis basis data yang sama" in wrong.stderr
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _tempdir() -> object:
    import tempfile

    return tempfile.TemporaryDirectory(prefix="perjumpaan-backup-test-")
