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
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
VENV_BIN = Path(sys.executable).parent
TARGETS = {"checkins_per_second": 500, "p99_ms": 100, "errors": 0, "ratio_to_ceiling": 0.6}


# --- The database -------------------------------------------------------------------------------------


@dataclass
class Database:
    engine: str  # "sqlite" or "postgresql"
    url: str  # DATABASE_URL for the run ("" for SQLite)
    admin_url: str = ""  # the server's maintenance database, to drop ours at the end
    name: str = ""

    def drop(self) -> None:
        if self.engine != "postgresql":
            return
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [self.name]
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')


def database_for(url: str) -> Database:
    if not url:
        return Database(engine="sqlite", url="")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit(f"DATABASE_URL must be a postgres:// URL (got {parts.scheme}://)")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("The benchmark only talks to a PostgreSQL on this machine (127.0.0.1).")
    import psycopg

    name = f"perjumpaan_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return Database(
        engine="postgresql", url=urlunsplit(parts._replace(path="/" + name)), admin_url=url, name=name
    )


# --- Setting up the data (in this process, through Django) --------------------------------------------


@dataclass
class Fixture:
    gathering_ids: list[int]
    warmup_gathering_id: int
    staff_tokens: list[str]
    coordinator_token: str
    queries_per_checkin: int = 0
    checkin_sql: list[str] = field(default_factory=list)


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(BENCH_DIR))
    import django

    django.setup()


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


# --- The server ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(env: dict[str, str], port: int, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    command = [
        str(VENV_BIN / "gunicorn"),
        "perjumpaan.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.workers),
        "--worker-class", args.worker_class,
        "--threads", str(args.threads),
        "--pythonpath", str(BENCH_DIR),
        "--log-level", "warning",
        "--keep-alive", "30",
        "--backlog", "2048",
    ]  # fmt: skip
    log = open(args.server_log, "wb")  # noqa: SIM115 -- kept open for the server's lifetime
    process = subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {args.server_log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 seconds")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- The clients --------------------------------------------------------------------------------------


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0


class Codes:
    """The current code of each gathering, fetched from the real endpoint as the screen does."""

    def __init__(self, port: int, token: str, gathering_ids: list[int]) -> None:
        self.port, self.token, self.gathering_ids = port, token, gathering_ids
        self.codes: dict[int, str] = {}
        self.stopped = threading.Event()
        self.refresh()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def refresh(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            for gathering_id in self.gathering_ids:
                conn.request(
                    "GET",
                    f"/api/v1/gatherings/{gathering_id}/code",
                    headers={"Authorization": f"Bearer {self.token}"},
                )
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    raise SystemExit(f"code endpoint answered {response.status}: {body[:200]!r}")
                self.codes[gathering_id] = json.loads(body)["code"]
        finally:
            conn.close()

    def _loop(self) -> None:
        while not self.stopped.wait(20):
            self.refresh()

    def stop(self) -> None:
        self.stopped.set()


def drive(
    port: int,
    jobs: list[list[tuple[str, str, bytes | None]]],
    duration: float,
    path: str,
    codes: Codes | None,
) -> Outcome:
    """Run every client's list of (token, gathering key, body) from its own thread, until each list is
    done or `duration` seconds have passed."""
    outcome = Outcome()
    lock = threading.Lock()
    barrier = threading.Barrier(len(jobs) + 1)
    deadline_box: list[float] = [0.0]

    def client(mine: list[tuple[str, str, bytes | None]]) -> None:
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        errors: list[str] = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        barrier.wait()
        deadline = deadline_box[0]
        for token, key, body in mine:
            if time.perf_counter() > deadline:
                break
            if body is None:
                assert codes is not None
                body = json.dumps({"code": codes.codes[int(key)], "device": f"bench-{token[:12]}"}).encode()
            headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                status, payload = 0, repr(exc).encode()
            latencies.append(time.perf_counter() - started)
            statuses[status] += 1
            if status not in (200, 201) and len(errors) < 5:
                errors.append(f"{status}: {payload[:200]!r}")
        conn.close()
        with lock:
            outcome.latencies.extend(latencies)
            outcome.statuses.update(statuses)
            outcome.errors.extend(errors)

    threads = [threading.Thread(target=client, args=(mine,)) for mine in jobs]
    for thread in threads:
        thread.start()
    outcome.started = time.perf_counter()
    deadline_box[0] = outcome.started + duration
    barrier.wait()
    for thread in threads:
        thread.join()
    outcome.finished = time.perf_counter()
    return outcome


def summary(outcome: Outcome) -> dict[str, Any]:
    ok = outcome.statuses.get(201, 0) + outcome.statuses.get(200, 0)
    elapsed = outcome.finished - outcome.started
    latencies = sorted(outcome.latencies)

    def percentile(p: float) -> float:
        if not latencies:
            return 0.0
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000, 2)

    return {
        "requests": len(latencies),
        "ok": ok,
        "errors": len(latencies) - ok,
        "statuses": {str(k): v for k, v in sorted(outcome.statuses.items())},
        "seconds": round(elapsed, 3),
        "per_second": round(ok / elapsed, 1) if elapsed else 0.0,
        "latency_ms": {
            "p50": percentile(50),
            "p90": percentile(90),
            "p99": percentile(99),
            "max": round(latencies[-1] * 1000, 2) if latencies else 0.0,
            "mean": round(statistics.fmean(latencies) * 1000, 2) if latencies else 0.0,
        },
        "first_errors": outcome.errors[:5],
    }


def deal(items: list[Any], clients: int) -> list[list[Any]]:
    """Round-robin, so that concurrent requests are for different phones and gatherings."""
    return [items[i::clients] for i in range(clients)]


# --- Facts and results --------------------------------------------------------------------------------


def machine_facts(db: Database) -> dict[str, Any]:
    memory_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "", False
    facts: dict[str, Any] = {
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "git_commit": commit,
        "git_dirty": dirty,
        # Other work on the machine skews every figure: compare runs only at a low load.
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    import django
    import gunicorn

    facts["django"] = django.get_version()
    facts["gunicorn"] = gunicorn.__version__
    if db.engine == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            facts["postgresql"] = cursor.fetchone()[0]
        connection.close()
    return facts


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


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
        checkin = summary(drive(port, deal(pairs, args.clients), args.duration, "/api/v1/checkins", codes))
        written = marks_written(fixture.gathering_ids)
        checkin["marks_written"] = written
        checkin["one_mark_per_success"] = written == checkin["statuses"].get("201", 0)

        body = json.dumps({"code": "1-2-" + "0" * 20, "device": "bench"}).encode()
        ceiling_jobs = [("", "", body)] * len(pairs)
        drive(port, deal(ceiling_jobs[: len(warm)], args.clients), 30, "/bench/ceiling/", None)
        print(f"[bench] ceiling: up to {len(ceiling_jobs)} inserts over at most {args.duration:.0f} s")
        ceiling = summary(
            drive(port, deal(ceiling_jobs, args.clients), args.duration, "/bench/ceiling/", None)
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
        "targets": TARGETS,
        "targets_met": {
            "checkins_per_second": checkin["per_second"] >= TARGETS["checkins_per_second"],
            "p99_ms": checkin["latency_ms"]["p99"] < TARGETS["p99_ms"],
            "errors": checkin["errors"] == 0 and ceiling["errors"] == 0,
            "ratio_to_ceiling": ratio is not None and ratio >= TARGETS["ratio_to_ceiling"],
        },
    }
    output = args.output or RESULTS_DIR / f"checkin-{db.engine}{'-quick' if args.quick else ''}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    line = (
        f"check-ins {checkin['per_second']}/s p50 {checkin['latency_ms']['p50']} ms "
        f"p99 {checkin['latency_ms']['p99']} ms errors {checkin['errors']} · "
        f"ceiling {ceiling['per_second']}/s p99 {ceiling['latency_ms']['p99']} ms · ratio {ratio} · "
        f"{fixture.queries_per_checkin} queries per check-in"
    )
    print(f"[bench] {line}\n[bench] written to {output}")


if __name__ == "__main__":
    main()
