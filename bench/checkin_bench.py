"""Check-in benchmark: many phones checking in at once, through gunicorn and the whole Django stack.

    .venv/bin/python bench/checkin_bench.py            # the full run (about 2 minutes on SQLite)
    .venv/bin/python bench/checkin_bench.py --quick    # a smaller run, well under 3 minutes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/checkin_bench.py

What it does, step by step:

1. Makes a throwaway database: SQLite in a new temporary PERJUMPAAN_DATA_DIR, or, when DATABASE_URL is
   set, a new PostgreSQL database `perjumpaan_bench_<pid>` on that server (dropped at the end).
2. Migrates it and creates one office, `--staff` employees each with a login and an API token (one phone
   each), a coordinator, and `--gatherings` gatherings open now (codes valid for 5 minutes, so a long run
   does not race the rotation; the codes are still fetched from the real code endpoint).
3. Starts gunicorn on 127.0.0.1 and a free port (`--workers`, default 2 × cores; `--worker-class`,
   default gthread; `--threads`) with the site in bench/benchsite/: Perjumpaan's settings with
   PERJUMPAAN_DEBUG=false, plus /bench/ceiling/, which refuses to exist unless PERJUMPAAN_BENCH=1.
4. Drives check-ins (`POST /api/v1/checkins`, bearer token, JSON) from `--clients` concurrent client
   threads, each with its own keep-alive connection (http.client), each pair of phone and gathering
   once, until every pair is done or `--duration` seconds have passed. Then the same harness against the
   ceiling: the same middleware and one INSERT in a transaction, no authentication, no reads.
5. Checks that every 201 left exactly one mark, and writes throughput, latency percentiles, errors, the
   ratio to the ceiling, the queries one check-in makes, and the machine's facts as JSON to
   bench/results/checkin-<sqlite|postgresql>[-quick].json.

Only 127.0.0.1 is contacted; nothing is installed; every loop is bounded and stops by itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
VENV_BIN = Path(sys.executable).parent
from harness import (  # noqa: E402 - bench/ is the script's directory, so on sys.path
    Codes,
    Outcome,
    database_for,
    deal,
    drive,
    free_port,
    machine_facts,
    process_tree,
    setup_django,
    start_gunicorn,
    stop,
    summary,
)

TARGETS = {
    "checkins_per_second": 500,
    "p99_ms": 100,
    "errors": 0,
    "ratio_to_ceiling": 0.6,
    "worker_peak_mb": 250,
}


def worker_peak_mb(server_pid: int) -> dict[str, Any]:
    """The peak resident memory (VmHWM, from /proc) of each gunicorn worker so far, in MB; the master
    (`server_pid`) is left out. Empty where /proc cannot be read."""
    peaks = []
    for pid in process_tree(server_pid)[1:]:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(round(int(line.split()[1]) / 1024, 1))
        except OSError:
            continue
    return {"max": max(peaks) if peaks else None, "workers": sorted(peaks, reverse=True)}


# --- CPU time: figures that hold on a busy machine -----------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (from /proc; 0 where unreadable)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def measured(server_pid: int, run: Callable[[], Outcome], cores: int) -> dict[str, Any]:
    """`run`'s summary, with the CPU the server and the clients spent per request. Wall-clock throughput
    depends on what else the machine is doing; CPU per request hardly does, so `cpu_bound_per_second`
    (what the machine's cores could answer if nothing else ran) is comparable between runs."""
    pids = process_tree(server_pid)
    server_before, client_before = cpu_seconds(pids), time.process_time()
    outcome = run()
    server_cpu, client_cpu = cpu_seconds(pids) - server_before, time.process_time() - client_before
    result = summary(outcome)
    n = max(1, result["requests"])
    server_ms, client_ms = server_cpu / n * 1000, client_cpu / n * 1000
    result["cpu_ms_per_request"] = {"server": round(server_ms, 3), "client": round(client_ms, 3)}
    result["cpu_bound_per_second"] = round(cores * 1000 / (server_ms + client_ms), 1) if server_ms else None
    return result


# --- Setting up the data (in this process, through Django) --------------------------------------------


@dataclass
class Fixture:
    gathering_ids: list[int]
    warmup_gathering_id: int
    staff_tokens: list[str]
    coordinator_token: str
    queries_per_checkin: int = 0
    checkin_sql: list[str] = field(default_factory=list)


def create_data(staff: int, gatherings: int) -> Fixture:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from perjumpaan.attendance.models import GatheringRules
    from perjumpaan.attendance.services import rules_freeze
    from perjumpaan.org.models import ApiToken, Employee, Government, Office, Role, User
    from perjumpaan.org.nip import nip_compose
    from perjumpaan.program.models import Gathering

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        key = (
            "INTEGER PRIMARY KEY AUTOINCREMENT" if connection.vendor == "sqlite" else "BIGSERIAL PRIMARY KEY"
        )
        cursor.execute(f"CREATE TABLE bench_ceiling (id {key}, at TIMESTAMP, payload VARCHAR(64))")

    government = Government.objects.create(name="Kabupaten Uji Beban", slug="uji-beban")
    office = Office.objects.create(government=government, code="UJI", name="Dinas Uji Beban")
    password = make_password(secrets.token_urlsafe(16))
    users = User.objects.bulk_create(
        [User(username=f"staf{i:05d}", password=password) for i in range(staff)]
        + [User(username="koordinator", password=password)]
    )
    coordinator = users[-1]
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, government=government, office=office)
    employees = []
    for i, user in enumerate(users[:-1]):
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=i // 999 * 37 + i % 7)
        nip = nip_compose(birth=birth, tmt=dt.date(2000, 3, 1), gender="L", serial=i % 999 + 1)
        employees.append(
            Employee(
                government=government,
                office=office,
                user=user,
                nip=nip,
                name=f"Pegawai Uji {i:05d}",
                gender="L",
                track="islam",
            )
        )
    Employee.objects.bulk_create(employees)
    tokens = [secrets.token_urlsafe(32) for _ in users]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=user, digest=ApiToken.digest_of(token), name="bench")
            for user, token in zip(users, tokens, strict=True)
        ]
    )
    now = timezone.now()
    created = []
    for i in range(gatherings + 1):
        gathering = Gathering.objects.create(
            office=office,
            kind=Gathering.Kind.ADHOC,
            date=now.date(),
            start=now - dt.timedelta(minutes=1),
            end=now + dt.timedelta(hours=3),
            place="Aula",
            title=f"Uji beban {i}",
        )
        rules_freeze(gathering=gathering)
        created.append(gathering.pk)
    # Five-minute windows: the run never outlives a code (they are still fetched from the server).
    GatheringRules.objects.filter(gathering_id__in=created).update(code_seconds=300)
    fixture = Fixture(
        gathering_ids=created[1:],
        warmup_gathering_id=created[0],
        staff_tokens=tokens[:-1],
        coordinator_token=tokens[-1],
    )
    fixture.queries_per_checkin, fixture.checkin_sql = count_checkin_queries(fixture)
    connections.close_all()
    return fixture


def count_checkin_queries(fixture: Fixture) -> tuple[int, list[str]]:
    """The queries one check-in makes, through Django's test client (no network), on the warm-up
    gathering for the last phone (which the warm-up does not use)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {fixture.coordinator_token}"}
    code = client.get(f"/api/v1/gatherings/{fixture.warmup_gathering_id}/code", **auth).json()["code"]
    # The phone's token was used a minute ago, as when a phone checks in: no last-use write.
    token = fixture.staff_tokens[-1]
    from perjumpaan.org.models import ApiToken

    ApiToken.objects.filter(digest=ApiToken.digest_of(token)).update(last_used_at=dt.datetime.now(dt.UTC))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/api/v1/checkins",
            {"code": code, "device": "bench-probe"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    if response.status_code != 201:
        raise SystemExit(f"The probe check-in failed: {response.status_code} {response.content[:300]!r}")
    return len(queries), [" ".join(q["sql"].split())[:160] for q in queries.captured_queries]


# --- Results ------------------------------------------------------------------------------------------


def marks_written(gathering_ids: list[int]) -> int:
    from django.db import connection

    from perjumpaan.attendance.models import Attendance

    count = Attendance.objects.filter(gathering_id__in=gathering_ids).count()
    connection.close()
    return count


# --- Main ---------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run (bench-quick)")
    parser.add_argument("--staff", type=int, help="phones (employees with a token); default 2000, quick 500")
    parser.add_argument("--gatherings", type=int, help="gatherings open at once; default 10, quick 4")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--duration", type=float, help="seconds per phase at most; default 30, quick 10")
    parser.add_argument(
        "--workers", type=int, default=2 * cores, help=f"gunicorn workers (default {2 * cores})"
    )
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker (default 1)")
    parser.add_argument("--output", type=Path, help="where to write the JSON (default bench/results/…)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args()
    args.staff = args.staff or (500 if args.quick else 2000)
    args.gatherings = args.gatherings or (4 if args.quick else 10)
    args.duration = args.duration or (10.0 if args.quick else 30.0)
    if args.staff < 2 or args.gatherings < 1 or args.clients < 1 or args.workers < 1:
        parser.error("--staff ≥ 2, --gatherings ≥ 1, --clients ≥ 1, --workers ≥ 1")
    return args


def main() -> None:
    args = parse_args()
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) / 2:
        print(f"[bench] warning: load average {load:.1f}; other work on this machine will skew the figures")
    data_dir = Path(tempfile.mkdtemp(prefix="perjumpaan-bench-"))
    args.server_log = data_dir / "gunicorn.log"
    db = database_for(os.environ.get("DATABASE_URL", ""))
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
        os.environ.pop("DATABASE_URL", None)  # an empty value is not "SQLite" to the settings
    server: subprocess.Popen[bytes] | None = None
    codes: Codes | None = None
    try:
        print(
            f"[bench] {db.engine}: migrating and creating {args.staff} phones, {args.gatherings} gatherings"
        )
        setup_django(env)
        fixture = create_data(args.staff, args.gatherings)
        facts = machine_facts(db)
        port = free_port()
        print(
            f"[bench] gunicorn on 127.0.0.1:{port}: {args.workers} {args.worker_class} workers × "
            f"{args.threads} threads; {args.clients} clients"
        )
        server = start_gunicorn(env, port, args)
        codes = Codes(port, fixture.coordinator_token, [fixture.warmup_gathering_id, *fixture.gathering_ids])

        # Warm-up: every worker answers a few check-ins (imports, first queries) before anything is timed.
        warm_tokens = fixture.staff_tokens[: min(len(fixture.staff_tokens) - 1, 4 * args.workers * 2)]
        warm = [(token, str(fixture.warmup_gathering_id), None) for token in warm_tokens]
        drive(port, deal(warm, args.clients), 30, "/api/v1/checkins", codes)

        pairs = [
            (token, str(gathering_id), None)
            for gathering_id in fixture.gathering_ids
            for token in fixture.staff_tokens[:-1]
        ]
        print(f"[bench] check-ins: up to {len(pairs)} over at most {args.duration:.0f} s")
        cores = os.cpu_count() or 1
        checkin = measured(
            server.pid,
            lambda: drive(port, deal(pairs, args.clients), args.duration, "/api/v1/checkins", codes),
            cores,
        )
        # Read before the ceiling phase: the check-in burst's own peak.
        checkin["worker_peak_mb"] = worker_peak_mb(server.pid)
        written = marks_written(fixture.gathering_ids)
        checkin["marks_written"] = written
        checkin["one_mark_per_success"] = written == checkin["statuses"].get("201", 0)

        body = json.dumps({"code": "1-2-" + "0" * 20, "device": "bench"}).encode()
        ceiling_jobs = [("", "", body)] * len(pairs)
        drive(port, deal(ceiling_jobs[: len(warm)], args.clients), 30, "/bench/ceiling/", None)
        print(f"[bench] ceiling: up to {len(ceiling_jobs)} inserts over at most {args.duration:.0f} s")
        ceiling = measured(
            server.pid,
            lambda: drive(port, deal(ceiling_jobs, args.clients), args.duration, "/bench/ceiling/", None),
            cores,
        )
    finally:
        if codes is not None:
            codes.stop()
        if server is not None:
            stop(server)
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        db.drop()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)

    facts["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    ratio = round(checkin["per_second"] / ceiling["per_second"], 3) if ceiling["per_second"] else None
    cpu_ratio = (
        round(checkin["cpu_bound_per_second"] / ceiling["cpu_bound_per_second"], 3)
        if checkin["cpu_bound_per_second"] and ceiling["cpu_bound_per_second"]
        else None
    )
    result = {
        "benchmark": "checkin",
        "database": db.engine,
        "quick": args.quick,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": facts,
        "server": {
            "workers": args.workers,
            "worker_class": args.worker_class,
            "threads": args.threads,
            "debug": False,
        },
        "load": {
            "clients": args.clients,
            "phones": args.staff,
            "gatherings": args.gatherings,
            "max_seconds_per_phase": args.duration,
            "endpoint": "POST /api/v1/checkins (bearer token, JSON)",
        },
        "queries_per_checkin": fixture.queries_per_checkin,
        "checkin_sql": fixture.checkin_sql,
        "checkin": checkin,
        "ceiling": ceiling,
        "ratio_to_ceiling": ratio,
        # The same ratio from CPU time per request: what it would be on an otherwise idle machine.
        "cpu_bound_ratio_to_ceiling": cpu_ratio,
        "targets": TARGETS,
        "targets_met": {
            "checkins_per_second": checkin["per_second"] >= TARGETS["checkins_per_second"],
            "p99_ms": checkin["latency_ms"]["p99"] < TARGETS["p99_ms"],
            "errors": checkin["errors"] == 0 and ceiling["errors"] == 0,
            "ratio_to_ceiling": ratio is not None and ratio >= TARGETS["ratio_to_ceiling"],
            "worker_peak_mb": checkin["worker_peak_mb"]["max"] is not None
            and checkin["worker_peak_mb"]["max"] <= TARGETS["worker_peak_mb"],
        },
    }
    output = args.output or RESULTS_DIR / f"checkin-{db.engine}{'-quick' if args.quick else ''}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    line = (
        f"check-ins {checkin['per_second']}/s p50 {checkin['latency_ms']['p50']} ms "
        f"p99 {checkin['latency_ms']['p99']} ms errors {checkin['errors']} · "
        f"ceiling {ceiling['per_second']}/s p99 {ceiling['latency_ms']['p99']} ms · ratio {ratio} · "
        f"{fixture.queries_per_checkin} queries per check-in · "
        f"worker peak memory {checkin['worker_peak_mb']['max']} MB\n"
        f"[bench] CPU per request: check-in {checkin['cpu_ms_per_request']} ms, "
        f"ceiling {ceiling['cpu_ms_per_request']} ms; CPU-bound check-ins "
        f"{checkin['cpu_bound_per_second']}/s, ceiling {ceiling['cpu_bound_per_second']}/s, ratio {cpu_ratio}"
    )
    print(f"[bench] {line}\n[bench] written to {output}")


if __name__ == "__main__":
    main()
