"""What the benchmarks and the reliability drills share: a throwaway database, gunicorn on 127.0.0.1, and
client threads that drive it.

- `database_for(DATABASE_URL, prefix)`: SQLite (in the caller's temporary PERJUMPAAN_DATA_DIR) or a new
  PostgreSQL database `<prefix>_<pid>` on a server at 127.0.0.1, dropped at the end;
- `setup_django(env)`: Django configured in this process for that database (bench/benchsite settings);
- `start_gunicorn(env, port, args)` / `stop(process)` / `process_tree(pid)`: the server, and every process
  of it (for the kill drills);
- `Codes`, `drive`, `deal`, `summary`: the current check-in codes as the screen fetches them, concurrent
  keep-alive clients with bounded loops, and their figures;
- `machine_facts`: what the figures were measured on.

Used by bench/checkin_bench.py (`make bench`) and tests/reliability/drills.py (`make reliability`). Only
127.0.0.1 is contacted; every loop is bounded and stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VENV_BIN = Path(sys.executable).parent


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


def database_for(url: str, prefix: str = "perjumpaan_bench") -> Database:
    """A throwaway database: SQLite (nothing to create: the caller's PERJUMPAAN_DATA_DIR), or a new
    PostgreSQL database `<prefix>_<pid>` on the server of `url` (127.0.0.1 only), dropped by `drop()`."""
    if not url:
        return Database(engine="sqlite", url="")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit(f"DATABASE_URL must be a postgres:// URL (got {parts.scheme}://)")
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("The benchmark only talks to a PostgreSQL on this machine (127.0.0.1).")
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return Database(
        engine="postgresql", url=urlunsplit(parts._replace(path="/" + name)), admin_url=url, name=name
    )


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(BENCH_DIR))
    import django

    django.setup()


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


# --- Facts --------------------------------------------------------------------------------------------


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


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (gunicorn's master and its workers), from /proc."""
    found = [pid]
    index = 0
    while index < len(found):
        current = found[index]
        index += 1
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        found.extend(int(child) for child in children)
    return found
