"""Load and kill drills: check-ins through gunicorn under load, a server killed with SIGKILL half-way, and a
staff import killed half-way. Run by `make reliability` (full size) and, reduced, by
tests/reliability/test_drills.py in every test run.

    .venv/bin/python tests/reliability/drills.py                       # full: 10,000 check-ins, 500 clients
    .venv/bin/python tests/reliability/drills.py --checkins 1000 --clients 50 --import-rows 4000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python tests/reliability/drills.py

What it does, on a throwaway database (SQLite in a temporary PERJUMPAAN_DATA_DIR, or `perjumpaan_rel_<pid>`
on the PostgreSQL server of DATABASE_URL, dropped at the end), with bench/harness.py's set-up:

1. **Load**: `--checkins` check-ins (`POST /api/v1/checkins`, bearer tokens, one phone per token, four
   gatherings) from `--clients` concurrent keep-alive clients against gunicorn on 127.0.0.1. Every answer
   must be 201; afterwards the database must hold exactly one mark per acknowledged check-in.
2. **Kill**: the same again on fresh gatherings, and when half the check-ins have been acknowledged, the
   gunicorn master and every worker get SIGKILL; gunicorn is started again on the same port. Clients that
   lose their connection retry the same check-in (a repeat is harmless: it answers 200 with the existing
   mark). Every check-in acknowledged before the kill must be in the database right after the restart,
   and at the end every check-in is acknowledged and the database holds exactly one mark for each.
3. **Import kill**: `perjumpaan import_staff` of a `--import-rows` CSV is started and, once it is writing
   (PostgreSQL: its transaction has an id; SQLite: it holds the write lock and its uncommitted pages
   spill into the WAL, see drillsettings.py), killed with SIGKILL. Every table's rows must be exactly as
   before (row counts and a digest of every row), and the database must take a write afterwards.

It prints the figures and writes them as JSON (`--output`, default bench/results/reliability-<engine>.json).
The exit status is 0 only when every check held. Only 127.0.0.1 is contacted; every loop is bounded in
count and time and stops by itself; only processes this script started are killed, by their pid.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import http.client
import json
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from harness import (  # noqa: E402 - bench/ is put on sys.path just above
    Codes,
    database_for,
    free_port,
    machine_facts,
    process_tree,
    setup_django,
    start_gunicorn,
    stop,
)

VENV_BIN = Path(sys.executable).parent
RESULTS_DIR = ROOT / "bench" / "results"
GATHERINGS_PER_PHASE = 4
IMPORT_APP_NAME = "perjumpaan-import-kill"
STAFF_HEADER = ["NIP", "Nama", "Jabatan", "Unit", "Jenis Kelamin", "Status", "No HP", "Email", "Jalur"]


# --- Data ---------------------------------------------------------------------------------------------


@dataclass
class Phones:
    """Employees with a login and a bearer token each, and a coordinator's token for the code endpoint."""

    tokens: list[str]
    employee_of: dict[str, int]
    coordinator_token: str
    office_id: int


def create_phones(count: int) -> Phones:
    """An office, `count` employees each with a login and an API token, and a coordinator."""
    from django.contrib.auth.hashers import make_password
    from django.db import connections

    from perjumpaan.org.models import ApiToken, Employee, Government, Office, Role, User
    from perjumpaan.org.nip import nip_compose

    government = Government.objects.create(name="Kabupaten Uji Keandalan", slug="uji-keandalan")
    office = Office.objects.create(government=government, code="UJI", name="Dinas Uji Keandalan")
    password = make_password(secrets.token_urlsafe(16))
    users = User.objects.bulk_create(
        [User(username=f"staf{i:05d}", password=password) for i in range(count)]
        + [User(username="koordinator", password=password)]
    )
    Role.objects.create(user=users[-1], kind=Role.Kind.COORDINATOR, government=government, office=office)
    employees = Employee.objects.bulk_create(
        [
            Employee(
                government=government,
                office=office,
                user=user,
                nip=nip_compose(
                    birth=dt.date(1970, 1, 1) + dt.timedelta(days=i // 999),
                    tmt=dt.date(2000, 3, 1),
                    gender="L",
                    serial=i % 999 + 1,
                ),
                name=f"Pegawai Uji {i:05d}",
                gender="L",
                track="islam",
            )
            for i, user in enumerate(users[:-1])
        ]
    )
    tokens = [secrets.token_urlsafe(32) for _ in users]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=user, digest=ApiToken.digest_of(token), name="drill")
            for user, token in zip(users, tokens, strict=True)
        ]
    )
    employee_ids = {employee.user_id: employee.pk for employee in employees}
    phones = Phones(
        tokens=tokens[:-1],
        employee_of={
            token: employee_ids[user.pk] for user, token in zip(users[:-1], tokens[:-1], strict=True)
        },
        coordinator_token=tokens[-1],
        office_id=office.pk,
    )
    connections.close_all()
    return phones


def create_gatherings(office_id: int, count: int, label: str) -> list[int]:
    """Gatherings open now, with five-minute code windows (a run never outlives a code twice)."""
    from django.db import connections
    from django.utils import timezone

    from perjumpaan.attendance.models import GatheringRules
    from perjumpaan.attendance.services import rules_freeze
    from perjumpaan.program.models import Gathering

    now = timezone.now()
    created = []
    for i in range(count):
        gathering = Gathering.objects.create(
            office_id=office_id,
            kind=Gathering.Kind.ADHOC,
            date=now.date(),
            start=now - dt.timedelta(minutes=1),
            end=now + dt.timedelta(hours=3),
            place="Aula",
            title=f"Uji {label} {i}",
        )
        rules_freeze(gathering=gathering)
        created.append(gathering.pk)
    GatheringRules.objects.filter(gathering_id__in=created).update(code_seconds=300)
    connections.close_all()
    return created


def marks_of(gathering_ids: list[int]) -> set[tuple[int, int]]:
    """(employee, gathering) of every mark of these gatherings."""
    from django.db import connections

    from perjumpaan.attendance.models import Attendance

    # One query, so that the rows and their count are the same snapshot while check-ins go on.
    rows = list(
        Attendance.objects.filter(gathering_id__in=gathering_ids).values_list("employee_id", "gathering_id")
    )
    connections.close_all()
    found = set(rows)
    if len(rows) != len(found):  # cannot happen with the unique constraint; counted rather than assumed
        raise AssertionError(f"{len(rows)} marks for {len(found)} distinct (employee, gathering) pairs")
    return found


# --- Clients that retry until acknowledged ------------------------------------------------------------


class TolerantCodes(Codes):
    """`Codes`, whose refresh survives the server being down for a moment (the kill drill)."""

    def _loop(self) -> None:
        while not self.stopped.wait(20):
            try:
                self.refresh()
            except (OSError, SystemExit, http.client.HTTPException, ValueError):
                continue


@dataclass
class Tally:
    """What the clients saw. `acked` holds every (employee, gathering) whose check-in was answered
    200 or 201; `acked_order` the moment (perf_counter) each was first acknowledged."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    acked: dict[tuple[int, int], float] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    connection_errors: int = 0
    retries: int = 0
    error_samples: list[str] = field(default_factory=list)
    gave_up: int = 0


def drive_checkins(
    port: int,
    jobs: list[list[tuple[str, int]]],
    phones: Phones,
    codes: Codes,
    tally: Tally,
    *,
    deadline_seconds: float,
) -> float:
    """Every client posts its (token, gathering) check-ins in order over its own keep-alive connection.
    A check-in that gets no answer (connection refused or reset) is retried, with a short pause, until
    it is answered or the deadline passes; any answer other than 200/201 is counted as an error and not
    retried. Returns the seconds it took."""
    barrier = threading.Barrier(len(jobs) + 1)
    deadline = [0.0]

    def client(mine: list[tuple[str, int]]) -> None:
        conn: http.client.HTTPConnection | None = None
        barrier.wait()
        for token, gathering_id in mine:
            key = (phones.employee_of[token], gathering_id)
            while True:
                if time.perf_counter() > deadline[0]:
                    with tally.lock:
                        tally.gave_up += 1
                    break
                body = json.dumps({"code": codes.codes[gathering_id], "device": f"drill-{token[:10]}"})
                started = time.perf_counter()
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    conn.request(
                        "POST",
                        "/api/v1/checkins",
                        body=body,
                        headers={
                            "Content-Type": "application/json",
                            "Authorization": f"Bearer {token}",
                            "Connection": "keep-alive",
                        },
                    )
                    response = conn.getresponse()
                    payload = response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    if conn is not None:
                        conn.close()
                    conn = None
                    with tally.lock:
                        tally.connection_errors += 1
                        tally.retries += 1
                    time.sleep(0.2)
                    continue
                elapsed = time.perf_counter() - started
                with tally.lock:
                    tally.statuses[status] += 1
                    tally.latencies.append(elapsed)
                    if status in (200, 201):
                        tally.acked.setdefault(key, time.perf_counter())
                    elif len(tally.error_samples) < 5:
                        tally.error_samples.append(f"{status}: {payload[:200]!r}")
                break
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=client, args=(mine,), daemon=True) for mine in jobs]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline[0] = started + deadline_seconds
    barrier.wait()
    for thread in threads:
        thread.join(timeout=deadline_seconds + 60)
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000, 1)


def jobs_for(
    phones: Phones, gathering_ids: list[int], checkins: int, clients: int
) -> list[list[tuple[str, int]]]:
    """`checkins` (phone, gathering) pairs, phones taken in turn, dealt round-robin to `clients`."""
    per_gathering = -(-checkins // len(gathering_ids))
    pairs = [
        (token, gathering_id) for gathering_id in gathering_ids for token in phones.tokens[:per_gathering]
    ][:checkins]
    return [pairs[i::clients] for i in range(clients)]


# --- Drill 1 and 2: load, and a server killed under load -----------------------------------------------


def load_drill(
    *, env: dict[str, str], args: argparse.Namespace, phones: Phones, kill: bool
) -> dict[str, Any]:
    gathering_ids = create_gatherings(phones.office_id, GATHERINGS_PER_PHASE, "bunuh" if kill else "beban")
    port = free_port()
    server = start_gunicorn(env, port, args)
    codes = TolerantCodes(port, phones.coordinator_token, gathering_ids)
    tally = Tally()
    jobs = jobs_for(phones, gathering_ids, args.checkins, args.clients)
    total = sum(len(mine) for mine in jobs)
    kill_facts: dict[str, Any] = {}
    killer: threading.Thread | None = None
    servers = [server]

    def kill_and_restart() -> None:
        try:
            _kill_and_restart()
        except BaseException as error:  # SystemExit too: reported as a failed check, not lost
            kill_facts["error"] = repr(error)

    def _kill_and_restart() -> None:
        # Wait until half the check-ins are acknowledged (bounded: never longer than the run may take).
        limit = time.monotonic() + args.duration
        while time.monotonic() < limit:
            with tally.lock:
                done = len(tally.acked)
            if done >= total // 2:
                break
            time.sleep(0.01)
        pids = process_tree(servers[0].pid)
        for pid in pids:  # the master and its workers: all started by this script
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        killed_at = time.perf_counter()
        servers[0].wait()
        with tally.lock:
            before = {key for key, at in tally.acked.items() if at <= killed_at}
        started = time.perf_counter()
        servers[0] = start_gunicorn(env, port, args)
        restart_seconds = time.perf_counter() - started
        present = marks_of(gathering_ids)
        missing = before - present
        kill_facts.update(
            {
                "killed_processes": len(pids),
                "acknowledged_before_kill": len(before),
                "present_after_restart": len(before & present),
                "missing_after_restart": len(missing),
                "marks_in_database_at_restart": len(present),
                "restart_seconds": round(restart_seconds, 2),
            }
        )

    try:
        if kill:
            killer = threading.Thread(target=kill_and_restart, daemon=True)
            killer.start()
        seconds = drive_checkins(port, jobs, phones, codes, tally, deadline_seconds=args.duration)
        if killer is not None:
            killer.join(timeout=120)
    finally:
        codes.stop()
        stop(servers[0])
        if server is not servers[0]:
            stop(server)
    present = marks_of(gathering_ids)
    acked = set(tally.acked)
    errors = sum(count for status, count in tally.statuses.items() if status not in (200, 201))
    result: dict[str, Any] = {
        "checkins": total,
        "clients": args.clients,
        "seconds": round(seconds, 2),
        "acknowledged": len(acked),
        "per_second": round(len(acked) / seconds, 1) if seconds else 0.0,
        "statuses": {str(status): count for status, count in sorted(tally.statuses.items())},
        "errors": errors,
        "connection_errors": tally.connection_errors,
        "retries": tally.retries,
        "gave_up": tally.gave_up,
        "latency_ms": {
            "p50": percentile(tally.latencies, 50),
            "p99": percentile(tally.latencies, 99),
            "max": percentile(tally.latencies, 100),
        },
        "marks_in_database": len(present),
        "acknowledged_missing": len(acked - present),
        "marks_not_acknowledged": len(present - acked),
        "first_errors": tally.error_samples,
    }
    checks = {
        "every_checkin_answered": len(acked) == total and tally.gave_up == 0,
        "no_error_answers": errors == 0,
        "one_mark_per_acknowledged_checkin": acked == present,
    }
    if kill:
        result["kill"] = kill_facts
        checks["server_was_killed_mid_run"] = 0 < kill_facts.get("acknowledged_before_kill", 0) < total
        checks["acknowledged_before_kill_present"] = kill_facts.get("missing_after_restart", 1) == 0
    else:
        checks["no_connection_errors"] = tally.connection_errors == 0
    result["checks"] = checks
    return result


# --- Drill 3: an import killed half-way ------------------------------------------------------------------


def staff_csv(path: Path, rows: int) -> None:
    """A staff file of `rows` new employees with valid, distinct NIPs."""
    from perjumpaan.org.nip import nip_compose

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(STAFF_HEADER)
        for i in range(rows):
            nip = nip_compose(
                birth=dt.date(1982, 1, 1) + dt.timedelta(days=i // 999),
                tmt=dt.date(2008, 3, 1),
                gender="P",
                serial=i % 999 + 1,
            )
            name = f"Pegawai Impor {i:05d}"
            writer.writerow([nip, name, "Pengadministrasi", f"Bidang {i % 12}", "P", "PNS", "", "", "Islam"])


def _sqlite_write_locked(path: Path) -> bool:
    """Whether some connection holds the write lock of the SQLite database at `path`."""
    probe = sqlite3.connect(path, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.rollback()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def _pg_import_writing(admin_url: str) -> bool:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND backend_xid IS NOT NULL",
            [IMPORT_APP_NAME],
        ).fetchone()
    return bool(row and row[0])


def import_kill_drill(
    *, env: dict[str, str], args: argparse.Namespace, db: Any, data_dir: Path
) -> dict[str, Any]:
    from django.db import connections

    from perjumpaan.core.backup import database_digest

    before = database_digest()
    connections.close_all()
    source = data_dir / "pegawai-besar.csv"
    staff_csv(source, args.import_rows)
    command = [str(VENV_BIN / "perjumpaan"), "import_staff", str(source), "--office", "UJI"]
    import_env = {
        **os.environ,
        **env,
        "DJANGO_SETTINGS_MODULE": "drillsettings",
        "PYTHONPATH": str(Path(__file__).resolve().parent),
        "PGAPPNAME": IMPORT_APP_NAME,
    }
    sqlite_path = data_dir / "perjumpaan.sqlite3"
    wal = sqlite_path.with_name(sqlite_path.name + "-wal")
    started = time.perf_counter()
    process = subprocess.Popen(command, env=import_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    evidence = ""
    locked_at: float | None = None
    wal_at_lock = 0
    limit = time.monotonic() + args.duration
    try:
        while time.monotonic() < limit and process.poll() is None:
            if db.engine == "postgresql":
                if _pg_import_writing(db.admin_url):
                    evidence = "transaction has written (backend_xid assigned)"
                    time.sleep(0.3)  # a few more rows
                    break
            elif locked_at is None:
                if _sqlite_write_locked(sqlite_path):
                    locked_at = time.perf_counter()
                    wal_at_lock = wal.stat().st_size if wal.exists() else 0
            else:
                # Spilled pages of the open transaction: it is writing, and far from its commit.
                grown = (wal.stat().st_size if wal.exists() else 0) - wal_at_lock
                if grown >= 64 * 1024:
                    evidence = f"write lock held, {grown} bytes of uncommitted pages in the WAL"
                    break
            time.sleep(0.05)
        still_running = process.poll() is None
        if still_running:
            os.kill(process.pid, signal.SIGKILL)  # started by this script
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    killed_after = time.perf_counter() - started
    stdout = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
    after = database_digest()
    connections.close_all()
    changed = sorted(table for table in set(before) | set(after) if before.get(table) != after.get(table))
    # The database is usable after the kill: a write goes through (and is undone).
    from django.db import transaction

    from perjumpaan.org.models import Office, Unit

    usable = True
    try:
        with transaction.atomic():
            Unit.objects.create(office=Office.objects.get(code="UJI"), name="Uji tulis setelah kill")
            transaction.set_rollback(True)
    except Exception:  # any failure here is the finding
        usable = False
    connections.close_all()
    result = {
        "rows": args.import_rows,
        "killed_after_seconds": round(killed_after, 2),
        "killed_while": evidence or "(not writing yet)",
        "import_finished_before_kill": not still_running,
        "import_output": stdout.strip()[-300:],
        "tables": len(after),
        "tables_changed": changed,
        "database_usable_after": usable,
    }
    result["checks"] = {
        "killed_while_writing": still_running and bool(evidence),
        "database_as_before": not changed,
        "database_usable_after": usable,
    }
    return result


# --- Main -----------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkins", type=int, default=10_000, help="check-ins per drill (default 10000)")
    parser.add_argument("--clients", type=int, default=500, help="concurrent clients (default 500)")
    parser.add_argument("--import-rows", type=int, default=20_000, help="rows of the killed import (20000)")
    parser.add_argument("--duration", type=float, default=300, help="seconds a drill may take at most (300)")
    parser.add_argument("--workers", type=int, default=2 * cores, help=f"gunicorn workers ({2 * cores})")
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker (default 2)")
    parser.add_argument("--skip", action="append", default=[], choices=["load", "kill", "import"])
    parser.add_argument("--output", type=Path, help="JSON results (default bench/results/reliability-….json)")
    args = parser.parse_args(argv)
    if args.checkins < 2 or args.clients < 1 or args.import_rows < 1:
        parser.error("--checkins ≥ 2, --clients ≥ 1, --import-rows ≥ 1")
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="perjumpaan-drill-"))
    args.server_log = data_dir / "gunicorn.log"
    db = database_for(os.environ.get("DATABASE_URL", ""), prefix="perjumpaan_rel")
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
    results: dict[str, Any] = {
        "drill": "reliability",
        "database": db.engine,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "server": {"workers": args.workers, "worker_class": args.worker_class, "threads": args.threads},
    }
    try:
        setup_django(env)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        results["machine"] = machine_facts(db)
        phones_needed = -(-args.checkins // GATHERINGS_PER_PHASE)
        phones = create_phones(phones_needed)
        if "load" not in args.skip:
            print(f"[drill] load: {args.checkins} check-ins from {args.clients} clients", flush=True)
            results["load"] = load_drill(env=env, args=args, phones=phones, kill=False)
        if "kill" not in args.skip:
            print(f"[drill] kill: {args.checkins} check-ins, gunicorn killed (SIGKILL) half-way", flush=True)
            results["kill"] = load_drill(env=env, args=args, phones=phones, kill=True)
        if "import" not in args.skip:
            print(f"[drill] import: {args.import_rows} rows, killed (SIGKILL) while writing", flush=True)
            results["import"] = import_kill_drill(env=env, args=args, db=db, data_dir=data_dir)
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        db.drop()
        shutil.rmtree(data_dir, ignore_errors=True)
    results["passed"] = all(
        ok
        for part in ("load", "kill", "import")
        if part in results
        for ok in results[part]["checks"].values()
    )
    return results


def report(results: dict[str, Any]) -> str:
    lines = [f"[drill] {results['database']}: {'PASSED' if results['passed'] else 'FAILED'}"]
    for name in ("load", "kill"):
        part = results.get(name)
        if part:
            lines.append(
                f"[drill] {name}: {part['acknowledged']}/{part['checkins']} acknowledged "
                f"in {part['seconds']} s ({part['per_second']}/s, p50 {part['latency_ms']['p50']} ms, "
                f"p99 {part['latency_ms']['p99']} ms), "
                f"errors {part['errors']}, connection errors {part['connection_errors']}, "
                f"marks {part['marks_in_database']}, missing {part['acknowledged_missing']}"
            )
            if "kill" in part:
                k = part["kill"]
                lines.append(
                    f"[drill]   killed {k.get('killed_processes')} processes after "
                    f"{k.get('acknowledged_before_kill')} acknowledged; present after restart "
                    f"{k.get('present_after_restart')}, missing {k.get('missing_after_restart')}; "
                    f"restart {k.get('restart_seconds')} s"
                )
                if "error" in k:
                    lines.append(f"[drill]   the kill went wrong: {k['error']}")
    part = results.get("import")
    if part:
        lines.append(
            f"[drill] import: {part['rows']} rows, killed after {part['killed_after_seconds']} s "
            f"({part['killed_while']}); tables changed: {part['tables_changed'] or 'none'}; "
            f"usable after: {part['database_usable_after']}"
        )
    for name in ("load", "kill", "import"):
        for check, ok in results.get(name, {}).get("checks", {}).items():
            if not ok:
                lines.append(f"[drill] FAILED {name}: {check}")
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    results = run(args)
    output = args.output or RESULTS_DIR / f"reliability-{results['database']}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(report(results))
    print(f"[drill] written to {output}")
    sys.exit(0 if results["passed"] else 1)


if __name__ == "__main__":
    main()
