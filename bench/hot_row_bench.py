"""What a per-check-in increment of a daily attendance row would cost: check-ins through the service
function from concurrent threads, with and without adding 1 to one shared `AttendanceDay` row in the
check-in's transaction (the "hot row" every check-in of an office's day would update).

    .venv/bin/python bench/hot_row_bench.py                 # SQLite in a temporary PERJUMPAAN_DATA_DIR
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/hot_row_bench.py

On PostgreSQL a throwaway database `perjumpaan_hotrow_<pid>` is created and dropped. No HTTP: this
isolates the database cost that the decision in docs/scale.md rests on. JSON goes to
bench/results/hot-row-<engine>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--staff", type=int, default=1200, help="check-ins per variant")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="perjumpaan-hotrow-"))
    url = os.environ.get("DATABASE_URL", "")
    admin_url, name = "", ""
    if url:
        import psycopg

        parts = urlsplit(url)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            sys.exit("Only a PostgreSQL on this machine (127.0.0.1).")
        name = f"perjumpaan_hotrow_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        admin_url, url = url, urlunsplit(parts._replace(path="/" + name))
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update({"PERJUMPAAN_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "perjumpaan.settings"})
    try:
        result = run(args)
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if admin_url:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    output = RESULTS / f"hot-row-{result['database']}.json"
    output.write_text(json.dumps(result, indent=2) + "\n")
    for variant, figures in result["variants"].items():
        print(
            f"[hot-row] {result['database']} {variant}: {figures['per_second']}/s, "
            f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms"
        )
    print(f"[hot-row] written to {output}")


def run(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from collections import Counter

    from django.core.management import call_command
    from django.db import connection, connections, transaction
    from django.utils import timezone

    from perjumpaan.attendance.codes import code_make
    from perjumpaan.attendance.services import checkin, rules_freeze
    from perjumpaan.org.models import Employee, Government, Office
    from perjumpaan.org.nip import nip_compose
    from perjumpaan.program.models import Gathering
    from perjumpaan.rollup.contributions import week_of
    from perjumpaan.rollup.models import AttendanceDay
    from perjumpaan.rollup.store import Delta, add

    call_command("migrate", verbosity=0, interactive=False)
    government = Government.objects.create(name="Uji", slug="uji")
    office = Office.objects.create(government=government, code="UJI", name="Dinas Uji")
    Employee.objects.bulk_create(
        [
            Employee(
                government=government,
                office=office,
                nip=nip_compose(
                    birth=dt.date(1970, 1, 1) + dt.timedelta(days=i // 999),
                    tmt=dt.date(2000, 3, 1),
                    gender="L",
                    serial=i % 999 + 1,
                ),
                name=f"Pegawai {i}",
                gender="L",
                track="islam",
            )
            for i in range(2 * args.staff)
        ]
    )
    employees = list(Employee.objects.order_by("pk"))
    now = timezone.now()
    variants: dict[str, Any] = {}
    for index, (variant, increment) in enumerate((("without", False), ("with_hot_row", True))):
        gathering = Gathering.objects.create(
            office=office,
            kind="adhoc",
            date=now.date(),
            start=now - dt.timedelta(minutes=1),
            end=now + dt.timedelta(hours=2),
            place="Aula",
            title=variant,
        )
        rules = rules_freeze(gathering=gathering)
        rules.code_seconds = 300
        rules.save()
        code = code_make(gathering_id=gathering.pk, moment=now, seconds=300)[0]
        people = employees[index * args.staff : (index + 1) * args.staff]
        latencies: list[float] = []
        lock = threading.Lock()

        def worker(
            mine: list[Any],
            code: str = code,
            increment: bool = increment,
            latencies: list[float] = latencies,
            lock: threading.Lock = lock,
        ) -> None:
            day = now.date()
            local: list[float] = []
            for employee in mine:
                began = time.perf_counter()
                with transaction.atomic():
                    checkin(employee=employee, code=code, now=now)
                    if increment:
                        delta = Delta((office.pk, day, "islam"), {"week": week_of(day)}, Counter(h=1))
                        add(AttendanceDay, [delta])
                local.append(time.perf_counter() - began)
            connections.close_all()
            with lock:
                latencies.extend(local)

        threads = [
            threading.Thread(target=worker, args=(people[i :: args.threads],)) for i in range(args.threads)
        ]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        ordered = sorted(latencies)
        variants[variant] = {
            "checkins": len(ordered),
            "seconds": round(elapsed, 3),
            "per_second": round(len(ordered) / elapsed, 1),
            "p50_ms": round(ordered[len(ordered) // 2] * 1000, 2),
            "p99_ms": round(ordered[int(len(ordered) * 0.99)] * 1000, 2),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
        }
    hot = AttendanceDay.objects.filter(office=office).values_list("h", flat=True).first()
    return {
        "benchmark": "hot-row",
        "database": connection.vendor,
        "threads": args.threads,
        "hot_row_count": hot,
        "load_average": os.getloadavg(),
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "variants": variants,
    }


if __name__ == "__main__":
    main()
