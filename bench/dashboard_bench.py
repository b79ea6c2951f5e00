"""Dashboard benchmark: the pages leadership and coordinators read, on a regency-year, against the same
figures computed straight from the raw rows, and on five times the history.

    .venv/bin/python bench/dashboard_bench.py --quick     # office preset: about a minute
    .venv/bin/python bench/dashboard_bench.py             # regency, 52 weeks and 260 weeks
    .venv/bin/python bench/dashboard_bench.py --data-dir DIR --growth-data-dir DIR5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/dashboard_bench.py

What it does, for each dataset (the base one, and the growth one with five times the weeks):

1. A database: SQLite in a temporary PERJUMPAAN_DATA_DIR, or a throwaway PostgreSQL database
   `perjumpaan_dash_<pid>` (dropped at the end); `--data-dir DIR` / `--database NAME` reuse one that a
   previous run kept (`--keep`), so the history is generated once.
2. History from `perjumpaan generate --preset regency --weeks 52` (growth: `--weeks 260`), untimed
   (`generate.seconds` says how long it took); a leadership account of the government and the
   coordinator of its largest office.
3. **Cold**: the figures cache emptied, each page requested once (the charts drawn, the impact analyses
   estimated). **Warm-up job**: `perjumpaan warm_dashboards`, timed, as the timer runs it after data
   changes. **Pages**: each page `--repeat` times through Django's test client in this process (server
   time: URL routing, middleware, the view, the template; no network), p50/p95/max and the queries it made.
4. **Raw**: the same figures straight from the raw rows (`rollup.aggregates`: the GROUP BY queries the
   rollup rebuild runs — attendance per gathering, service records, SKM answers, complaints, evaluation
   responses — over the page's offices and weeks; for the recaps, the marks grouped by office and status),
   `--raw-repeat` times, p50. `raw_over_page` is raw p50 ÷ page p50. Only the data is counted on the raw
   side, none of the page's drawing or rendering, so the ratio understates the gain.
5. **Growth**: the same pages on the growth dataset; `growth_ratio` is its p95 ÷ the base p95 per page.

Each dataset is measured in a child process (Django binds one database per process). Writes
bench/results/dashboard-<sqlite|postgresql>[-quick].json with the machine's facts and the targets: every
page p95 ≤ 200 ms, ≥ 10× faster than raw, growth ≤ 1.5×. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BENCH_DIR, Database, database_for, machine_facts, setup_django

RESULTS_DIR = BENCH_DIR / "results"
TARGETS = {"page_p95_ms": 200.0, "raw_over_page": 10.0, "growth_ratio": 1.5}


def say(line: str) -> None:
    print(line, flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def figures(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
        "max_ms": round(max(samples), 1),
        "n": len(samples),
    }


def timed_ms(run: Callable[[], Any]) -> tuple[Any, float]:
    began = time.perf_counter()
    value = run()
    return value, (time.perf_counter() - began) * 1000


# --- In the child: one dataset --------------------------------------------------------------------------


def accounts() -> tuple[Any, Any, Any, Any]:
    """The generated government, its largest office, a leadership account and that office's coordinator
    (made once; a reused dataset keeps them)."""
    from django.db.models import Count

    from perjumpaan.org.models import Government, Office, Role, User

    government = Government.objects.order_by("pk").first()
    office = (
        Office.objects.filter(government=government, is_active=True)
        .annotate(staff=Count("employees"))
        .order_by("-staff", "code")
        .first()
    )
    leader, made = User.objects.get_or_create(username="bench-pimpinan")
    if made:
        Role.objects.create(user=leader, kind=Role.Kind.LEADERSHIP, government=government)
    coordinator, made = User.objects.get_or_create(username="bench-koordinator")
    if made:
        Role.objects.create(
            user=coordinator, kind=Role.Kind.COORDINATOR, government=government, office=office
        )
    return government, office, leader, coordinator


def raw_figures(office_ids: list[int], start: dt.date, end: dt.date, tz: Any) -> int:
    """What the dashboards show, from the raw rows: the rollup rebuild's GROUP BY queries (no writes)."""
    from perjumpaan.rollup import aggregates

    rows = aggregates.attendance_tallies(office_ids, start, end)
    rows += aggregates.service_days(office_ids, start, end, tz)
    rows += aggregates.skm_days(office_ids, start, end, tz)
    rows += aggregates.complaint_days(office_ids, start, end, tz)
    return len(rows) + len(aggregates.evaluation_weeks(office_ids=office_ids, start=start, end=end))


def raw_recap(office_ids: list[int], start: dt.date, end: dt.date) -> int:
    """The regency recap from the marks (what it read before it summed the rollup)."""
    from django.db.models import Count

    from perjumpaan.attendance.models import Attendance
    from perjumpaan.program.models import Gathering

    return len(
        list(
            Attendance.objects.filter(
                gathering__status=Gathering.Status.HELD,
                gathering__date__range=(start, end),
                gathering__office_id__in=office_ids,
            )
            .values("gathering__office_id", "status")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from perjumpaan.attendance.models import Attendance
    from perjumpaan.core.timeutil import local_today, zone
    from perjumpaan.impact import selectors
    from perjumpaan.program.models import Gathering
    from perjumpaan.rollup.synthetic import default_until, generate

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # the pages link the hashed files
    result: dict[str, Any] = {"weeks": args.weeks, "preset": args.preset}
    if Gathering.objects.exists():
        result["generate"] = {"reused": True}
        say(f"[dash] reusing the history already in the database ({args.weeks} weeks asked)")
    else:
        until = default_until(local_today())
        say(f"[dash] generating --preset {args.preset} --weeks {args.weeks} --until {until} (untimed)")
        began = time.perf_counter()
        report = generate(preset=args.preset, weeks=args.weeks, seed=1, until=until, progress=say)
        result["generate"] = {
            "seconds": round(time.perf_counter() - began, 1),
            "rows": sum(stage.rows for stage in report.stages.values()),
        }
    government, office, leader, coordinator = accounts()
    tz = zone(government.time_zone)
    today = local_today(tz)
    weeks = selectors.week_window(selectors.last_complete_week(today))
    start, end = weeks[0], weeks[-1] + dt.timedelta(days=6)
    month_end = weeks[-1].replace(day=1) - dt.timedelta(days=1)
    month = month_end.replace(day=1)
    year = (end - dt.timedelta(days=364), end)
    office_ids = list(government.offices.filter(is_active=True).values_list("pk", flat=True))
    result["offices"] = len(office_ids)
    result["governments_in_database"] = type(government).objects.count()
    result["staff_in_database"] = office.employees.model.objects.count()
    result["office"] = {"code": office.code, "staff": office.employees.count()}
    result["attendance_marks"] = Attendance.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            result["postgresql"] = cursor.fetchone()[0]

    # The raw computations, each timed once for the pages that show its figures.
    raws: dict[str, Callable[[], Any]] = {
        "regency": lambda: raw_figures(office_ids, start, end, tz),
        "office": lambda: raw_figures([office.pk], start, end, tz),
        "recap_month": lambda: raw_recap(office_ids, month, month_end),
        "recap_year": lambda: raw_recap(office_ids, *year),
    }
    pages: dict[str, tuple[Any, str, str]] = {
        "dashboard": (leader, "/dasbor/", "regency"),
        "dashboard_coordinator": (coordinator, "/dasbor/", "office"),
        "office": (leader, f"/dasbor/opd/{office.code}/", "office"),
        "panel": (leader, "/dasbor/panel/", "regency"),
        "impact": (leader, "/dasbor/dampak/", "regency"),
        "recap_offices_month": (leader, f"/rekap-kehadiran/?bulan={month:%Y-%m}", "recap_month"),
        "recap_offices_year": (leader, f"/rekap-kehadiran/?dari={year[0]}&sampai={year[1]}", "recap_year"),
    }
    clients = {}
    for user in (leader, coordinator):
        client = Client()
        client.force_login(user)
        clients[user.pk] = client

    def get(user: Any, url: str) -> float:
        response, ms = timed_ms(lambda: clients[user.pk].get(url))
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return ms

    figures_cache = caches["figures"] if "figures" in caches else caches["default"]
    figures_cache.clear()
    cold = {name: round(get(user, url), 1) for name, (user, url, _raw) in pages.items()}
    say(f"[dash] cold (figures cache empty): {cold}")

    # The job twice: from an empty cache (every chart drawn, every analysis estimated), then as the timer
    # finds it (the pages rendered afresh, charts and analyses found unchanged).
    figures_cache.clear()
    for run in ("warm_dashboards_empty_cache", "warm_dashboards_again"):
        began, cpu = time.perf_counter(), time.process_time()
        call_command("warm_dashboards", verbosity=0, government=[government.slug])
        result[run] = {
            "seconds": round(time.perf_counter() - began, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2),
        }
        say(f"[dash] {run}: {result[run]}")

    measured: dict[str, Any] = {}
    raw_times: dict[str, float] = {}
    for name, (user, url, raw) in pages.items():
        queries: list[str] = []

        def count(execute: Any, sql: str, *rest: Any, seen: list[str] = queries) -> Any:
            seen.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            first = get(user, url)
        samples = [get(user, url) for _ in range(args.repeat)]
        if raw not in raw_times:
            raw_times[raw] = statistics.median(timed_ms(raws[raw])[1] for _ in range(args.raw_repeat))
        page = figures(samples)
        raw_p50 = raw_times[raw]
        measured[name] = {
            "url": url,
            "cold_ms": cold[name],
            "after_warm_first_ms": round(first, 1),
            **page,
            "queries": len(queries),
            "raw": raw,
            "raw_p50_ms": round(raw_p50, 1),
            "raw_over_page": round(raw_p50 / page["p50_ms"], 1),
        }
        say(
            f"[dash] {name}: p50 {page['p50_ms']} ms, p95 {page['p95_ms']} ms, "
            f"{measured[name]['queries']} queries; raw {raw_p50:.0f} ms ({measured[name]['raw_over_page']}×)"
        )
    result["pages"] = measured
    return result


def child_main(args: argparse.Namespace) -> None:
    env = json.loads(os.environ["DASH_ENV"])
    setup_django(env)
    result = measure(args)
    Path(args.child_output).write_text(json.dumps(result, default=str))


# --- In the parent ----------------------------------------------------------------------------------------


def run_dataset(
    args: argparse.Namespace, *, weeks: int, data_dir: Path | None, database: str
) -> dict[str, Any]:
    """Measure one dataset in a child process; returns its figures and the machine facts."""
    keep = args.keep or data_dir is not None or bool(database)
    directory = data_dir or Path(tempfile.mkdtemp(prefix="perjumpaan-dash-"))
    directory.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL", "")
    if url and database:
        base = url.rsplit("/", 1)[0]
        db = Database(engine="postgresql", url=f"{base}/{database}", admin_url=url, name=database)
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{database}"')
    else:
        db = database_for(url, prefix="perjumpaan_dash")
    env = {
        "PERJUMPAAN_BENCH": "1",
        "PERJUMPAAN_ACCESS_LOG": "false",  # no log line per request
        "DJANGO_SETTINGS_MODULE": "benchsite.settings",
        "PERJUMPAAN_DATA_DIR": str(directory),
        "PERJUMPAAN_DEBUG": "false",
        "PERJUMPAAN_SECRET_KEY": secrets.token_urlsafe(48),
        "PERJUMPAAN_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PERJUMPAAN_SSL_REDIRECT": "false",
    }
    if db.url:
        env["DATABASE_URL"] = db.url
    output = directory / "dashboard-child.json"
    command = [
        sys.executable,
        __file__,
        "--child-output",
        str(output),
        "--preset",
        args.preset,
        "--weeks",
        str(weeks),
        "--repeat",
        str(args.repeat),
        "--raw-repeat",
        str(args.raw_repeat),
    ]
    child_env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    child_env["DASH_ENV"] = json.dumps(env)
    try:
        subprocess.run(command, env=child_env, check=True)
        result = json.loads(output.read_text())
        os.environ.update(env)
        result["database"] = db.engine
        result["kept"] = str(directory) if db.engine == "sqlite" and keep else (db.name if keep else "")
        return result
    finally:
        if not keep:
            db.drop()
            shutil.rmtree(directory, ignore_errors=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="office preset, fewer weeks and repeats")
    parser.add_argument("--preset", choices=["office", "regency", "province"], help="default regency")
    parser.add_argument("--weeks", type=int, help="weeks of history; default 52, quick 8")
    parser.add_argument("--growth", type=int, help="growth dataset: this many times the weeks; default 5")
    parser.add_argument("--no-growth", action="store_true", help="measure the base dataset only")
    parser.add_argument("--repeat", type=int, help="requests per page; default 20, quick 5")
    parser.add_argument("--raw-repeat", type=int, help="times each raw computation; default 3, quick 2")
    parser.add_argument("--data-dir", type=Path, help="SQLite: keep/reuse the base dataset here")
    parser.add_argument("--growth-data-dir", type=Path, help="SQLite: keep/reuse the growth dataset here")
    parser.add_argument(
        "--database", default="", help="PostgreSQL: keep/reuse the base dataset in this database"
    )
    parser.add_argument("--growth-database", default="", help="PostgreSQL: the growth dataset's database")
    parser.add_argument("--keep", action="store_true", help="keep throwaway datasets")
    parser.add_argument("--output", type=Path, help="where to write the JSON (default bench/results/…)")
    parser.add_argument("--child-output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.preset = args.preset or ("office" if args.quick else "regency")
    args.weeks = args.weeks or (8 if args.quick else 52)
    args.repeat = args.repeat or (5 if args.quick else 20)
    args.raw_repeat = args.raw_repeat or (2 if args.quick else 3)
    # The quick run (make bench-quick, under three minutes with the others) measures no growth unless asked.
    args.no_growth = args.no_growth or (args.quick and args.growth is None)
    args.growth = args.growth or 5
    if min(args.weeks, args.repeat, args.raw_repeat, args.growth) < 1:
        parser.error("sizes must be 1 or more")
    return args


def main() -> None:
    args = parse_args()
    if args.child_output:
        child_main(args)
        return
    load_before = [round(x, 2) for x in os.getloadavg()]
    if load_before[0] > (os.cpu_count() or 1) / 2:
        say(f"[dash] warning: load average {load_before[0]:.1f}; the figures will be skewed")
    base = run_dataset(args, weeks=args.weeks, data_dir=args.data_dir, database=args.database)
    growth = None
    if not args.no_growth:
        reused = args.growth_data_dir is not None or bool(args.growth_database)
        growth = run_dataset(
            args,
            weeks=args.weeks if reused else args.weeks * args.growth,
            data_dir=args.growth_data_dir,
            database=args.growth_database,
        )
    engine = base["database"]
    facts = machine_facts(Database(engine="sqlite", url=""))
    if "postgresql" in base:
        facts["postgresql"] = base["postgresql"]
    facts["load_average_before"] = load_before
    facts["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    pages = base["pages"]
    met: dict[str, bool] = {
        "page_p95_ms": all(page["p95_ms"] <= TARGETS["page_p95_ms"] for page in pages.values()),
        # The 10× applies to the dashboards; the recaps' raw figures are given for comparison.
        "raw_over_page": all(
            page["raw_over_page"] >= TARGETS["raw_over_page"]
            for name, page in pages.items()
            if not name.startswith("recap")
        ),
    }
    if growth is not None:
        for name, page in growth["pages"].items():
            page["growth_ratio"] = round(page["p95_ms"] / pages[name]["p95_ms"], 2)
        met["growth_ratio"] = all(
            page["growth_ratio"] <= TARGETS["growth_ratio"] for page in growth["pages"].values()
        )
    output = {
        "benchmark": "dashboard",
        "database": engine,
        "quick": args.quick,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": facts,
        "base": base,
        "growth": growth,
        "targets": TARGETS,
        "targets_met": met,
    }
    path = args.output or RESULTS_DIR / f"dashboard-{engine}{'-quick' if args.quick else ''}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(output, indent=2, ensure_ascii=False, default=str) + "\n")
    for name, page in pages.items():
        grown = f", ×{growth['pages'][name]['growth_ratio']} on the growth data" if growth else ""
        say(
            f"[dash] {name}: p95 {page['p95_ms']} ms (cold {page['cold_ms']} ms), "
            f"raw {page['raw_over_page']}× slower{grown}"
        )
    say(f"[dash] targets met: {met}")
    say(f"[dash] written to {path}")


if __name__ == "__main__":
    main()
