"""`perjumpaan generate`: refuses a database with data, is reproducible, and writes valid rows whose
aggregates are built."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test import TransactionTestCase

from perjumpaan.attendance.models import Attendance
from perjumpaan.attendance.services import expected_employees
from perjumpaan.org.models import Employee, Government
from perjumpaan.org.nip import nip_problems
from perjumpaan.program.models import Gathering
from perjumpaan.rollup.models import AttendanceDay, ServiceDay
from perjumpaan.rollup.services import rollup_rebuild
from perjumpaan.rollup.synthetic import GenerateError, default_until, generate
from perjumpaan.service.models import ServiceRecord
from tests.base import PerjumpaanTestCase
from tests.rollup.helpers import snapshot

UNTIL = dt.date(2026, 11, 27)


def fingerprint(slug: str) -> str:
    """A digest of what a generated government holds: staff, marks, records (values, not keys)."""
    digest = hashlib.sha256()
    for row in (
        Employee.objects.filter(government__slug=slug).order_by("nip").values_list("nip", "name", "track")
    ):
        digest.update(repr(row).encode())
    for row in (
        Attendance.objects.filter(gathering__office__government__slug=slug)
        .order_by("gathering__date", "gathering__office__code", "employee__nip")
        .values_list("gathering__date", "employee__nip", "status", "marked_at")
    ):
        digest.update(repr(row).encode())
    for row in (
        ServiceRecord.objects.filter(office__government__slug=slug)
        .order_by("date", "ticket")
        .values_list("date", "ticket", "arrival", "called", "finished", "result")
    ):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def sqlite_settings() -> tuple[int, int] | None:
    """SQLite's page cache size and where temporary storage goes (2: memory); None on other engines."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache,) = cursor.fetchone()
        cursor.execute("PRAGMA temp_store")
        (temp,) = cursor.fetchone()
    return int(cache), int(temp)


class GenerateTests(PerjumpaanTestCase):
    def test_it_refuses_a_database_that_has_data_with_one_clear_line(self) -> None:
        with self.assertRaisesMessage(CommandError, "--append"):
            call_command("generate", "--preset", "office", "--weeks", "1", stderr=StringIO())

    def test_the_same_seed_gives_the_same_rows_and_is_refused_twice(self) -> None:
        prints = []
        for _run in range(2):
            with transaction.atomic():
                report = generate(
                    preset="office", weeks=1, seed=7, until=UNTIL, append=True, evaluation=False
                )
                prints.append(fingerprint(report.governments[0]))
                transaction.set_rollback(True)
        self.assertEqual(prints[0], prints[1])
        generate(preset="office", weeks=1, seed=7, until=UNTIL, append=True, evaluation=False)
        with self.assertRaisesMessage(GenerateError, "seed 7"):
            generate(preset="office", weeks=1, seed=7, until=UNTIL, append=True, evaluation=False)
        other = generate(preset="office", weeks=1, seed=8, until=UNTIL, append=True, evaluation=False)
        self.assertNotEqual(fingerprint(other.governments[0]), prints[0])

    def test_what_it_writes_is_valid_and_its_aggregates_are_built(self) -> None:
        out = StringIO()
        arguments = ["--preset", "office", "--weeks", "2", "--seed", "3", "--until", "2026-11-27", "--append"]
        call_command("generate", *arguments, stdout=out, stderr=StringIO())
        self.assertIn("1 pemerintah daerah sintetis", out.getvalue())
        government = Government.objects.get(slug="sim3-kab-lombok-barat")
        staff = Employee.objects.filter(government=government)
        self.assertEqual(staff.count(), 120)
        for employee in staff:
            self.assertEqual(
                nip_problems(employee.nip, status=employee.status, gender=employee.gender, today=UNTIL), []
            )
        # Every held gathering has exactly one mark per person expected.
        held = Gathering.objects.filter(office__government=government, status=Gathering.Status.HELD)
        self.assertTrue(held.exists())
        marks = dict(
            Attendance.objects.filter(gathering__in=held)
            .values("gathering")
            .annotate(n=Count("pk"))
            .values_list("gathering", "n")
        )
        for gathering in held:
            self.assertEqual(marks[gathering.pk], expected_employees(gathering).count())
        # The quarter before the programme has service records but no gatherings.
        first_gathering = held.order_by("date").values_list("date", flat=True).first()
        assert first_gathering is not None
        self.assertTrue(
            ServiceRecord.objects.filter(office__government=government, date__lt=first_gathering).exists()
        )
        self.assertTrue(AttendanceDay.objects.filter(office__government=government).exists())
        self.assertTrue(ServiceDay.objects.filter(office__government=government).exists())
        before = snapshot()
        rollup_rebuild()
        self.assertEqual(snapshot(), before)

    def test_it_runs_inside_a_transaction_that_already_used_temporary_storage(self) -> None:
        # SQLite refuses to move temporary storage inside such a transaction; the caller's transaction
        # (here the test's) is kept, and only the page cache is enlarged for the run.
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE scratch (n integer)")
        before = sqlite_settings()
        during = []
        generate(
            preset="office",
            weeks=1,
            seed=11,
            until=UNTIL,
            append=True,
            evaluation=False,
            progress=lambda _line: during.append(sqlite_settings()),
        )
        self.assertTrue(Government.objects.filter(slug="sim11-kab-lombok-barat").exists())
        self.assertEqual(sqlite_settings(), before)
        if before is not None:
            self.assertEqual(set(during), {(-1048576, before[1])})

    def test_by_default_the_history_ends_on_the_last_friday_before_today(self) -> None:
        self.assertEqual(default_until(dt.date(2026, 11, 28)), dt.date(2026, 11, 27))
        self.assertEqual(default_until(dt.date(2026, 11, 27)), dt.date(2026, 11, 20))
        self.assertEqual(default_until(dt.date(2026, 11, 30)), dt.date(2026, 11, 27))


class GenerateOutsideATransactionTests(TransactionTestCase):
    def test_it_sorts_in_memory_during_the_run_and_puts_the_connection_back_afterwards(self) -> None:
        before = sqlite_settings()
        during = []
        generate(
            preset="office",
            weeks=1,
            seed=5,
            until=UNTIL,
            evaluation=False,
            progress=lambda _line: during.append(sqlite_settings()),
        )
        self.assertTrue(Government.objects.filter(slug="sim5-kab-lombok-barat").exists())
        self.assertTrue(AttendanceDay.objects.exists())
        self.assertEqual(sqlite_settings(), before)
        if before is not None:
            self.assertNotEqual(before, (-1048576, 2))
            self.assertEqual(set(during), {(-1048576, 2)})
