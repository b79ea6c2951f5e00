"""Operations benchmark: the heavy jobs of a regency-year, each timed once in-process, against its target.

    .venv/bin/python bench/ops_bench.py            # the full sizes (regency-year; 10–15 minutes on SQLite)
    .venv/bin/python bench/ops_bench.py --quick    # smaller sizes (under a minute), for `make bench-quick`
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/ops_bench.py

What it does, step by step:

1. Makes a throwaway database, as bench/checkin_bench.py does (SQLite in a temporary PERJUMPAAN_DATA_DIR,
   or a new PostgreSQL database `perjumpaan_ops_<pid>` dropped at the end), and migrates it.
2. Fills it with `perjumpaan generate`'s synthetic history (`--preset regency`, 52 weeks; quick: the
   `office` preset, 8 weeks) — bulk inserts, untimed.
3. Times, each once, with wall-clock and CPU seconds (this process; on PostgreSQL also the server
   backend's CPU, read from /proc when the server runs on this machine):
   - `staff_import`: a CSV of `--staff-rows` new employees (10,000) read and imported all-or-nothing into
     a new office by `org.services.staff_import`, as `perjumpaan import_staff` does;
   - `service_import`: a queue-machine CSV of `--service-rows` records (100,000) read and imported by
     `service.services.service_record_import`, as `perjumpaan import_services` does;
   - `ikm`: `--skm-rows` SKM answers (1,000,000, bulk-inserted into one office within one year) → the
     year's IKM from the raw rows (`rollup.selectors.ikm_for_raw`, for comparison), the whole IKM page's
     three selectors (`service.selectors`, over the daily rollups) and the dashboards' `ikm_for`; all three
     must give the same IKM;
   - `weekly_report_pdf` (evaluation) for the largest office and the last complete week, and
     `monthly_report_pdf` (impact) for the last complete month of the generated government;
   - `impact`: `impact.analysis.estimate_impact` on simulated 40-office × 52-week panels: the pilot
     rollout as the dashboard runs it (randomisation inference over every placebo pair), the same with
     bootstrap inference, and ten staggered offices (analytic inference).
4. Writes the figures, the targets and whether they were met, and the machine's facts as JSON to
   bench/results/ops-<sqlite|postgresql>[-quick].json.

Only 127.0.0.1 is contacted; nothing is installed; every step is bounded and stops by itself.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BENCH_DIR, Database, database_for, machine_facts, setup_django

RESULTS_DIR = BENCH_DIR / "results"

TARGETS = {
    "staff_import_seconds": 10.0,
    "service_import_seconds": 30.0,
    "ikm_seconds": 2.0,
    "weekly_report_seconds": 5.0,
    "monthly_report_seconds": 5.0,
    "impact_seconds": 30.0,
}

SERVICES = (
    ("KTP-EL", "KTP-el"),
    ("KK", "Kartu Keluarga"),
    ("AKTA-LAHIR", "Akta Kelahiran"),
    ("AKTA-MATI", "Akta Kematian"),
    ("PINDAH", "Surat Pindah"),
    ("KIA", "Kartu Identitas Anak"),
)


# --- Timing ---------------------------------------------------------------------------------------------


class Backend:
    """CPU seconds of the PostgreSQL backend serving this process (0 on SQLite, or if unreadable)."""

    def __init__(self) -> None:
        self.pid = 0

    def seconds(self) -> float:
        from django.db import connection

        if connection.vendor != "postgresql":
            return 0.0
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = int(cursor.fetchone()[0])
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(run: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    """`run()`'s value and its wall-clock and CPU seconds. CPU time hardly depends on what else the
    machine does, so it keeps figures comparable between runs on a busy machine."""
    backend = Backend()
    db_before = backend.seconds()
    wall, cpu = time.perf_counter(), time.process_time()
    value = run()
    figures = {
        "seconds": round(time.perf_counter() - wall, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
    }
    db_cpu = backend.seconds() - db_before
    if db_cpu:
        figures["db_server_cpu_seconds"] = round(db_cpu, 3)
    return value, figures


def say(line: str) -> None:
    print(line, flush=True)


# --- Files to import ------------------------------------------------------------------------------------


def staff_csv(path: Path, rows: int) -> None:
    """`rows` new employees with valid, distinct NIPs (the gender digit matching the gender column)."""
    from perjumpaan.org.nip import nip_compose

    tracks = ("Islam", "Islam", "Islam", "Hindu", "Kristen", "Katolik", "Buddha")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(
            ["NIP", "Nama", "Jabatan", "Unit", "Jenis Kelamin", "Status", "No HP", "Email", "Jalur"]
        )
        for i in range(rows):
            gender = "L" if i % 2 == 0 else "P"
            birth = dt.date(1970, 1, 1) + dt.timedelta(days=i // 999 * 41 + i % 5)
            nip = nip_compose(birth=birth, tmt=dt.date(2000, 3, 1), gender=gender, serial=i % 999 + 1)
            writer.writerow(
                [
                    nip,
                    f"Pegawai Impor {i:05d}",
                    "Analis Kebijakan" if i % 3 else "Pengadministrasi Umum",
                    f"Bidang {i % 12 + 1}",
                    gender,
                    "PNS",  # a PPPK's NIP has another shape
                    f"0812{i:08d}",
                    f"pegawai{i:05d}@example.go.id",
                    tracks[i % len(tracks)],
                ]
            )


def working_days(until: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = until
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= dt.timedelta(days=1)
    return sorted(days)


def service_csvs(work: Path, rows: int, until: dt.date, per_file: int, per_day: int = 400) -> list[Path]:
    """A queue machine's exports: `rows` served tickets, `per_day` a working day, in the machine's headers,
    in files of at most `per_file` rows (whole days), as the import asks for larger exports."""
    days = working_days(until, -(-rows // per_day))
    rng = random.Random(9)
    paths: list[Path] = []
    handle = None
    writer: Any = None
    in_file = written = 0
    for day in days:
        count = min(per_day, rows - written)
        if handle is None or in_file + count > per_file:
            if handle is not None:
                handle.close()
            paths.append(work / f"antrian-{len(paths) + 1}.csv")
            handle = paths[-1].open("w", newline="", encoding="utf-8")
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(
                [
                    "No. Antrian", "Tanggal", "Jenis Layanan", "Jam Datang", "Jam Panggil", "Jam Selesai",
                    "Loket", "Petugas", "Status",
                ]
            )  # fmt: skip
            in_file = 0
        for k in range(count):
            arrival = dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(seconds=k * 70)
            called = arrival + dt.timedelta(seconds=rng.randint(60, 1800))
            finished = called + dt.timedelta(seconds=rng.randint(120, 900))
            writer.writerow(
                [
                    f"A{k + 1:03d}",
                    day.strftime("%d/%m/%Y"),
                    SERVICES[k % len(SERVICES)][0],
                    arrival.strftime("%H:%M:%S"),
                    called.strftime("%H:%M:%S"),
                    finished.strftime("%H:%M:%S"),
                    f"Loket {k % 4 + 1}",
                    "",
                    "Selesai",
                ]
            )
        in_file += count
        written += count
    if handle is not None:
        handle.close()
    return paths


# --- The benchmarks -------------------------------------------------------------------------------------


def new_office(code: str, name: str) -> Any:
    from perjumpaan.org.models import Government, Office

    government = Government.objects.create(name=f"Kabupaten Uji {code}", slug=f"uji-{code.lower()}")
    return Office.objects.create(government=government, code=code, name=name)


def with_services(office: Any) -> list[Any]:
    from perjumpaan.service.models import Service

    return Service.objects.bulk_create(
        [Service(office=office, code=code, name=name, order=n) for n, (code, name) in enumerate(SERVICES)]
    )


def bench_staff_import(rows: int, work: Path) -> dict[str, Any]:
    from perjumpaan.org.models import Employee
    from perjumpaan.org.services import staff_import
    from perjumpaan.org.staff_table import read_staff_path

    office = new_office("IMPORPEG", "Badan Kepegawaian Uji")
    path = work / "pegawai.csv"
    staff_csv(path, rows)
    say(f"[ops] staff import: {rows:,} rows")

    def run() -> Any:
        return staff_import(actor=None, office=office, table=read_staff_path(path), dry_run=False)

    result, figures = timed(run)
    again, figures_again = timed(run)
    stored = Employee.objects.filter(office=office).count()
    return {
        "rows": rows,
        **figures,
        "created": result.created,
        "errors": len(result.errors),
        "employees_stored": stored,
        "correct": result.created == rows and not result.errors and stored == rows,
        # The same file again: every row read, compared, and left as it is.
        "reimport": {**figures_again, "unchanged": again.unchanged, "created": again.created},
        "target_seconds": TARGETS["staff_import_seconds"],
        "met": result.created == rows and figures["seconds"] <= TARGETS["staff_import_seconds"],
    }


def bench_service_import(rows: int, until: dt.date, work: Path) -> dict[str, Any]:
    from django.db.models import Sum

    from perjumpaan.core.spreadsheet import DEFAULT_MAX_ROWS
    from perjumpaan.rollup.models import ServiceDay
    from perjumpaan.service.models import ServiceRecord
    from perjumpaan.service.records_table import read_record_path
    from perjumpaan.service.services import read_options, service_record_import

    office = new_office("IMPORLAY", "Dinas Kependudukan Uji")
    with_services(office)
    # A file holds at most DEFAULT_MAX_ROWS data rows (the import refuses more, asking for the export to
    # be split), so the rows go in as consecutive files, each imported all-or-nothing.
    paths = service_csvs(work, rows, until, per_file=DEFAULT_MAX_ROWS)
    say(f"[ops] service-record import: {rows:,} rows in {len(paths)} files")

    def run() -> list[Any]:
        results = []
        for path in paths:
            table = read_record_path(path, mapping=None)
            results.append(service_record_import(office=office, table=table, mapping=None, dry_run=False))
        return results

    read_options(office)  # the zone and settings cache, as a running server has them
    results, figures = timed(run)
    created = sum(result.created for result in results)
    errors = [str(error) for result in results for error in result.errors]
    stored = ServiceRecord.objects.filter(office=office).count()
    volume = ServiceDay.objects.filter(office=office).aggregate(n=Sum("volume"))["n"]
    correct = created == rows and not errors and stored == rows and volume == rows
    return {
        "rows": rows,
        "files": len(paths),
        "rows_per_file_limit": DEFAULT_MAX_ROWS,
        **figures,
        "created": created,
        "errors": len(errors),
        "first_errors": errors[:3],
        "records_stored": stored,
        "rollup_volume": volume,
        "correct": correct,
        "target_seconds": TARGETS["service_import_seconds"],
        "met": correct and figures["seconds"] <= TARGETS["service_import_seconds"],
    }


def insert_answers(office: Any, rows: int, year: int, last_day: dt.date) -> None:
    """`rows` SKM answer sheets spread over `year` up to `last_day`, in bulk (synthetic.Writer)."""
    from perjumpaan.rollup.synthetic import Values, Writer
    from perjumpaan.service.models import Service, SurveyResponse

    services = list(Service.objects.filter(office=office).values_list("pk", flat=True))
    v = Values()
    writer = Writer(
        SurveyResponse,
        [
            "office", "service", "ticket", "ticket_date", "record", "u1", "u2", "u3", "u4", "u5", "u6",
            "u7", "u8", "u9", "sex", "age", "education", "occupation", "suggestion", "channel",
            "submitted_at",
        ],
    )  # fmt: skip
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    span = int((dt.datetime.combine(last_day, dt.time(), tzinfo=dt.UTC) - start).total_seconds())
    rng = random.Random(11)
    scores = (1, 2, 3, 3, 3, 4, 4)  # answers lean to "good"
    for i in range(rows):
        answers = [rng.choice(scores) for _ in range(9)]
        if i % 50 == 0:
            answers[8] = None  # some skip an element: the IKM counts answers per element
        at = start + dt.timedelta(seconds=rng.randrange(span))
        writer.add(
            (office.pk, services[i % len(services)], "", None, None, *answers, "", None, "", "", "", "qr",
             v.moment(at))
        )  # fmt: skip
    writer.flush()


def bench_ikm(rows: int, until: dt.date) -> dict[str, Any]:
    from django.db import transaction

    from perjumpaan.evaluation.selectors import OPERATOR
    from perjumpaan.rollup.selectors import ikm_for, ikm_for_raw
    from perjumpaan.rollup.services import rollup_rebuild
    from perjumpaan.service import selectors
    from perjumpaan.service.periods import make_period

    office = new_office("IKM", "Mal Pelayanan Publik Uji")
    with_services(office)
    year = until.year
    say(f"[ops] IKM: inserting {rows:,} SKM answers")
    _, inserting = timed(lambda: transaction.atomic()(insert_answers)(office, rows, year, until))
    _, rebuilding = timed(lambda: rollup_rebuild(offices=[office]))
    period = make_period("year", year)

    def page() -> Any:
        # What the IKM page (service/views.py) asks for: the summary, per service, and the monthly trend
        # (all three read the daily rollups SkmDay / SkmServiceDay / ServiceDay).
        summary = selectors.ikm_summary(user=OPERATOR, office=office, period=period)
        selectors.ikm_by_service(user=OPERATOR, office=office, period=period)
        selectors.ikm_trend(user=OPERATOR, office=office, year=year)
        return summary

    # The raw figure: the same IKM added up from the answer sheets (what the page did before it read the
    # rollups), for comparison and as the check of the rollup's numbers.
    raw, raw_figures = timed(lambda: ikm_for_raw(user=OPERATOR, office=office, period=period))
    shown, page_figures = timed(page)
    rolled, rollup_figures = timed(lambda: ikm_for(user=OPERATOR, office=office, period=period))
    raw_value = float(raw.value) if raw.value is not None else None
    page_value = float(shown.result.value) if shown.result.value is not None else None
    rolled_value = float(rolled.value) if rolled.value is not None else None
    return {
        "answers": rows,
        "period": f"{period.start}..{period.end}",
        "insert": inserting,
        "rollup_rebuild": rebuilding,
        "raw_summary": raw_figures,
        "page": page_figures,
        "rollup": rollup_figures,
        "respondents": raw.n,
        "ikm_raw": raw_value,
        "ikm_page": page_value,
        "ikm_rollup": rolled_value,
        "correct": raw.n == rows
        and shown.result.n == rows
        and raw_value is not None
        and raw_value == rolled_value == page_value,
        "pages_use": "the daily rollups (service.selectors.ikm_summary / ikm_by_service / ikm_trend over "
        "SkmDay, SkmServiceDay, ServiceDay; rollup.selectors.ikm_for for the dashboards); raw_summary is "
        "rollup.selectors.ikm_for_raw over the answer sheets, for comparison",
        "target_seconds": TARGETS["ikm_seconds"],
        "met": page_figures["seconds"] <= TARGETS["ikm_seconds"]
        and rollup_figures["seconds"] <= TARGETS["ikm_seconds"],
        "page_met": page_figures["seconds"] <= TARGETS["ikm_seconds"],
    }


def bench_reports(until: dt.date, government_slug: str) -> dict[str, Any]:
    from django.db.models import Count

    from perjumpaan.evaluation.exports import weekly_report_pdf
    from perjumpaan.evaluation.selectors import OPERATOR
    from perjumpaan.org.models import Government, Office

    government = Government.objects.get(slug=government_slug)
    office = (
        Office.objects.filter(government=government)
        .annotate(staff=Count("employees"))
        .order_by("-staff", "code")
        .first()
    )
    assert office is not None
    last_week = until - dt.timedelta(days=7)
    iso = last_week.isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    say(f"[ops] weekly report PDF: {office.code}, {week}")
    pdf, weekly = timed(lambda: weekly_report_pdf(user=OPERATOR, office=office, week=week))
    result: dict[str, Any] = {
        "weekly": {
            "office": office.code,
            "staff": office.staff,
            "week": week,
            **weekly,
            "bytes": len(pdf),
            "target_seconds": TARGETS["weekly_report_seconds"],
            "met": weekly["seconds"] <= TARGETS["weekly_report_seconds"],
        }
    }
    try:
        from perjumpaan.impact.exports import monthly_report_pdf
    except ImportError:
        result["monthly"] = {"skipped": "perjumpaan.impact.exports.monthly_report_pdf does not exist"}
        return result
    month = (until.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    offices = Office.objects.filter(government=government).count()
    say(f"[ops] monthly report PDF: {government.slug} ({offices} offices), {month:%Y-%m}")
    pdf, monthly = timed(lambda: monthly_report_pdf(user=OPERATOR, month=month, government=government))
    result["monthly"] = {
        "government": government.slug,
        "offices": offices,
        "month": f"{month:%Y-%m}",
        **monthly,
        "bytes": len(pdf),
        "target_seconds": TARGETS["monthly_report_seconds"],
        "met": monthly["seconds"] <= TARGETS["monthly_report_seconds"],
    }
    return result


def bench_impact() -> dict[str, Any]:
    import dataclasses

    import numpy as np

    from perjumpaan.impact.analysis import estimate_impact
    from perjumpaan.impact.simulate import PILOT, simulate_panel

    pilot = simulate_panel(PILOT, 0.0, np.random.default_rng(3))
    staggered_design = dataclasses.replace(PILOT, pilots=10)
    staggered = simulate_panel(staggered_design, 0.0, np.random.default_rng(4))
    say(f"[ops] impact: {PILOT.offices} offices × {PILOT.weeks} weeks")
    # The first call loads the libraries (pandas, differences, …): timed apart, as a worker pays it once.
    _, first = timed(lambda: estimate_impact(simulate_panel(PILOT, 0.0, np.random.default_rng(99))))
    cases: dict[str, Any] = {"first_call": first}
    runs = {
        "pilot_randomization": lambda: estimate_impact(pilot),
        "pilot_bootstrap": lambda: estimate_impact(pilot, inference="bootstrap"),
        "ten_offices_analytic": lambda: estimate_impact(staggered),
    }
    for name, run in runs.items():
        outcome, figures = timed(run)
        cases[name] = {
            **figures,
            "inference": outcome.inference,
            "treated_offices": int(outcome.n_treated),
            "placebo_assignments": len(outcome.placebo.estimates) if outcome.placebo else 0,
            "att": round(outcome.att, 4),
            "met": figures["seconds"] <= TARGETS["impact_seconds"],
        }
    return {
        "panel": {"offices": PILOT.offices, "weeks": PILOT.weeks, "pilots": PILOT.pilots},
        **cases,
        "target_seconds": TARGETS["impact_seconds"],
        "met": all(cases[name]["met"] for name in runs),
    }


# --- Main -----------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (bench-quick)")
    parser.add_argument("--preset", choices=["office", "regency"], help="generated history; default regency")
    parser.add_argument("--weeks", type=int, help="weeks of generated history; default 52, quick 8")
    parser.add_argument("--staff-rows", type=int, help="staff import rows; default 10000, quick 1000")
    parser.add_argument("--service-rows", type=int, help="service import rows; default 100000, quick 10000")
    parser.add_argument("--skm-rows", type=int, help="SKM answers for the IKM; default 1000000, quick 100000")
    parser.add_argument("--output", type=Path, help="where to write the JSON (default bench/results/…)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    parser.add_argument(
        "--from-data-dir", type=Path, help="SQLite: start from a copy of the history kept in this directory"
    )
    parser.add_argument("--from-database", help="PostgreSQL: start from a copy of this database (TEMPLATE)")
    args = parser.parse_args()
    args.preset = args.preset or ("office" if args.quick else "regency")
    args.weeks = args.weeks or (8 if args.quick else 52)
    args.staff_rows = args.staff_rows or (1000 if args.quick else 10_000)
    args.service_rows = args.service_rows or (10_000 if args.quick else 100_000)
    args.skm_rows = args.skm_rows or (100_000 if args.quick else 1_000_000)
    if min(args.weeks, args.staff_rows, args.service_rows, args.skm_rows) < 1:
        parser.error("sizes must be 1 or more")
    return args


def main() -> None:
    args = parse_args()
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) / 2:
        say(
            f"[ops] warning: load average {load:.1f}; wall-clock figures will be skewed (CPU seconds less so)"
        )
    data_dir = Path(tempfile.mkdtemp(prefix="perjumpaan-ops-"))
    if args.from_data_dir:
        # A consistent copy of a kept SQLite history (SQLite's online backup, WAL included).
        import sqlite3

        source = sqlite3.connect(args.from_data_dir / "perjumpaan.sqlite3")
        target = sqlite3.connect(data_dir / "perjumpaan.sqlite3")
        source.backup(target)
        source.close()
        target.close()
    url = os.environ.get("DATABASE_URL", "")
    if url and args.from_database:
        db = Database(engine="postgresql", url="", admin_url=url, name=f"perjumpaan_ops_{os.getpid()}")
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db.name}" TEMPLATE "{args.from_database}"')
        db.url = url.rsplit("/", 1)[0] + "/" + db.name
    else:
        db = database_for(url, prefix="perjumpaan_ops")
    env = {
        "PERJUMPAAN_BENCH": "1",
        "DJANGO_SETTINGS_MODULE": "benchsite.settings",
        "PERJUMPAAN_DATA_DIR": str(data_dir),
        "PERJUMPAAN_DEBUG": "false",
        "PERJUMPAAN_SECRET_KEY": secrets.token_urlsafe(48),
        "PERJUMPAAN_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PERJUMPAAN_SSL_REDIRECT": "false",
    }
    if db.url:
        env["DATABASE_URL"] = db.url
    else:
        os.environ.pop("DATABASE_URL", None)
    results: dict[str, Any] = {}
    try:
        setup_django(env)
        from django.core.management import call_command
        from django.db import connections

        from perjumpaan.core.timeutil import local_today
        from perjumpaan.rollup.synthetic import default_until, generate

        say(f"[ops] {db.engine}: migrating")
        call_command("migrate", verbosity=0, interactive=False)
        facts = machine_facts(db)
        until = default_until(local_today())
        if args.from_data_dir or args.from_database:
            from perjumpaan.org.models import Government

            government = Government.objects.order_by("pk").values_list("slug", flat=True).first()
            source = str(args.from_data_dir or args.from_database)
            say(f"[ops] reusing the history of {source} ({government})")
            results["generate"] = {"reused": source, "until": str(until)}
        else:
            say(f"[ops] generating --preset {args.preset} --weeks {args.weeks} --until {until} (untimed)")
            report, generating = timed(
                lambda: generate(preset=args.preset, weeks=args.weeks, seed=1, until=until, progress=say)
            )
            government = report.governments[0]
            results["generate"] = {
                "preset": args.preset,
                "weeks": args.weeks,
                "until": str(until),
                **generating,
            }
        steps: dict[str, Callable[[], dict[str, Any]]] = {
            "staff_import": lambda: bench_staff_import(args.staff_rows, data_dir),
            "service_import": lambda: bench_service_import(args.service_rows, until, data_dir),
            "ikm": lambda: bench_ikm(args.skm_rows, until),
            "reports": lambda: bench_reports(until, government),
            "impact": bench_impact,
        }
        for name, step in steps.items():
            try:
                results[name] = step()
            except Exception as error:  # one failed step must not lose the others' figures
                say(f"[ops] {name} FAILED: {error!r}")
                results[name] = {"failed": repr(error), "met": False, "correct": False}
        results["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        connections.close_all()
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        db.drop()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)

    facts["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    reports = results["reports"]
    met = {
        "staff_import_seconds": results["staff_import"]["met"],
        "service_import_seconds": results["service_import"]["met"],
        "ikm_seconds": results["ikm"]["met"],
        "weekly_report_seconds": reports.get("weekly", {}).get("met", False),
        "monthly_report_seconds": reports.get("monthly", {}).get("met"),
        "impact_seconds": results["impact"]["met"],
    }
    output = {
        "benchmark": "ops",
        "database": db.engine,
        "quick": args.quick,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": facts,
        **results,
        "targets": TARGETS,
        "targets_met": met,
        "all_correct": all(results[name]["correct"] for name in ("staff_import", "service_import", "ikm")),
    }
    path = args.output or RESULTS_DIR / f"ops-{db.engine}{'-quick' if args.quick else ''}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(output, indent=2, ensure_ascii=False, default=str) + "\n")

    def seconds(*keys: str) -> Any:
        value: Any = results
        for key in keys:
            value = value.get(key, {}) if isinstance(value, dict) else {}
        return value if value != {} else "—"

    lines = [
        f"staff import {args.staff_rows:,}: {seconds('staff_import', 'seconds')} s "
        f"(CPU {seconds('staff_import', 'cpu_seconds')} s; target ≤ 10 s)",
        f"service import {args.service_rows:,}: {seconds('service_import', 'seconds')} s "
        f"(CPU {seconds('service_import', 'cpu_seconds')} s; target ≤ 30 s)",
        f"IKM over {args.skm_rows:,}: raw {seconds('ikm', 'raw_summary', 'seconds')} s, IKM page "
        f"{seconds('ikm', 'page', 'seconds')} s (CPU {seconds('ikm', 'page', 'cpu_seconds')} s), "
        f"rollup {seconds('ikm', 'rollup', 'seconds')} s (target ≤ 2 s)",
        f"weekly report PDF {seconds('reports', 'weekly', 'seconds')} s; monthly report PDF "
        f"{seconds('reports', 'monthly', 'seconds')} s (target ≤ 5 s)",
        "impact "
        + ", ".join(
            f"{name} {seconds('impact', name, 'seconds')} s"
            for name in ("pilot_randomization", "pilot_bootstrap", "ten_offices_analytic")
        )
        + " (target ≤ 30 s)",
        f"targets met: {met}; all correct: {output['all_correct']}",
    ]
    for line in lines:
        say(f"[ops] {line}")
    say(f"[ops] written to {path}")


if __name__ == "__main__":
    main()
