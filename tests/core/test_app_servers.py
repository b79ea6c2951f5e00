"""Several app servers on one PostgreSQL (docs/scale.md, "A province on PostgreSQL"): two gunicorn
instances on two ports, each with the connection pool on, against the same test database, and — when
PERJUMPAAN_TEST_REDIS_URL names a Redis database the tests may write to — the same shared cache.

What a province relies on: a write through one server is read through the other at once (no server keeps
data of its own), a check-in code made by one is accepted by the other (same secret key), and a rate
limit counts requests across servers rather than per server. PostgreSQL only: SQLite is one machine's
database by design. Bounded: two servers of one gthread worker each, a handful of requests, every wait
with a deadline.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import secrets
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from perjumpaan.attendance.services import rules_freeze
from perjumpaan.org.models import ApiToken, Government, Office, Role, User
from perjumpaan.program.services import gathering_add
from tests.base import make_employee
from tests.core.processes import VENV_BIN, environment

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("PERJUMPAAN_TEST_REDIS_URL", "")
KEY_PREFIX = f"perjumpaan-appservers-{uuid.uuid4().hex[:12]}"
WORKERS, THREADS, POOL_MAX = 1, 2, 2
CHECKIN_RATE = 3  # per hour, when the cache is shared

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="several app servers share a PostgreSQL database (DATABASE_URL=postgres://…)",
    ),
]


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def request(
        self, method: str, path: str, token: str, body: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, Any]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            conn.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def servers(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Server]]:
    """Two gunicorn instances for the module's tests (started once: each takes seconds to boot)."""
    tmp_path = tmp_path_factory.mktemp("servers")
    extra = {
        "DJANGO_SETTINGS_MODULE": "tests.core.appserversettings",
        "PERJUMPAAN_DB_POOL": "true",
        "PERJUMPAAN_DB_POOL_MIN": "1",
        "PERJUMPAAN_DB_POOL_MAX": str(POOL_MAX),
        "PERJUMPAAN_DB_POOL_TIMEOUT": "10",
    }
    if REDIS_URL:
        extra |= {
            "PERJUMPAAN_CACHE_URL": REDIS_URL,
            "APP_SERVERS_TEST_KEY_PREFIX": KEY_PREFIX,
            "PERJUMPAAN_CHECKIN_RATE": f"{CHECKIN_RATE}/h",
        }
    env = environment(tmp_path, **extra)
    started: list[Server] = []
    try:
        for name in ("a", "b"):
            port, log = _free_port(), tmp_path / f"gunicorn-{name}.log"
            command = [
                str(VENV_BIN / "gunicorn"), "perjumpaan.wsgi",
                "--bind", f"127.0.0.1:{port}",
                "--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS),
                "--pythonpath", str(ROOT), "--log-level", "warning",
                "--timeout", "30", "--graceful-timeout", "5",
            ]  # fmt: skip
            with open(log, "wb") as output:
                process = subprocess.Popen(  # noqa: S603 -- our own gunicorn, fixed arguments
                    command, env=env, stdout=output, stderr=subprocess.STDOUT
                )
            started.append(Server(port=port, process=process, log=log))
        deadline = time.monotonic() + 60
        for server in started:
            while not _healthy(server.port):
                if server.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn on {server.port} did not start:\n{server.log.read_text()[-3000:]}")
                time.sleep(0.2)
        yield started
    finally:
        for server in started:
            _stop(server.process)
        if REDIS_URL:
            import redis

            client: Any = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(match=f"{KEY_PREFIX}:*"))
            if keys:
                client.delete(*keys)
            client.close()


def _office_with_a_gathering_open_now() -> tuple[str, str, int]:
    """A coordinator's and a staff member's API tokens and a gathering under way."""
    government = Government.objects.create(name="Provinsi Uji Server", slug="uji-server")
    office = Office.objects.create(government=government, code="DUKCAPIL", name="Dinas Uji")
    coordinator = User.objects.create_user(username="koordinator", password=secrets.token_urlsafe(16))
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, government=government, office=office)
    staff = User.objects.create_user(username="staf", password=secrets.token_urlsafe(16))
    make_employee(office, name="Baiq Nurul Aini", gender="P", user=staff, track="islam")
    tokens = []
    for user in (coordinator, staff):
        token = secrets.token_urlsafe(32)
        ApiToken.objects.create(user=user, digest=ApiToken.digest_of(token), name="uji")
        tokens.append(token)
    gathering = gathering_add(office=office, start=timezone.now() - dt.timedelta(minutes=1), minutes=180)
    rules_freeze(gathering=gathering)
    return tokens[0], tokens[1], gathering.pk


def test_a_write_through_one_server_is_read_through_the_other(servers: list[Server]) -> None:
    coordinator, staff, gathering = _office_with_a_gathering_open_now()
    a, b = servers
    code_path = f"/api/v1/gatherings/{gathering}/code"

    # The code shown on a screen served by A is accepted by B, which writes the mark...
    status, shown = a.request("GET", code_path, coordinator)
    assert status == 200, shown
    assert shown["checked_in"] == 0
    status, mark = b.request("POST", "/api/v1/checkins", staff, {"code": shown["code"]})
    assert (status, mark["created"], mark["status"]) == (201, True, "H"), mark

    # ...which A reads at once: the same check-in again is the existing mark, and the screen counts it.
    status, again = a.request("POST", "/api/v1/checkins", staff, {"code": shown["code"]})
    assert (status, again["created"], again["marked_at"]) == (200, False, mark["marked_at"]), again
    status, shown = a.request("GET", code_path, coordinator)
    assert (status, shown["checked_in"]) == (200, 1)

    # Connections: at most servers × workers × pool size, whatever the servers did.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        (backends,) = cursor.fetchone()
    assert 2 <= backends <= len(servers) * WORKERS * POOL_MAX, backends


@pytest.mark.skipif(
    not REDIS_URL, reason="the shared cache needs PERJUMPAAN_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)"
)
def test_the_checkin_rate_limit_counts_across_servers(servers: list[Server]) -> None:
    coordinator, staff, gathering = _office_with_a_gathering_open_now()
    a, b = servers
    status, shown = a.request("GET", f"/api/v1/gatherings/{gathering}/code", coordinator)
    assert status == 200, shown
    # Four check-ins against a limit of three an hour: not across an hour's end.
    left = 3600 - int(time.time()) % 3600
    if left < 20:
        time.sleep(left + 1)
    # Alternating servers, each with memory of its own: only a count they share reaches four.
    answers = [
        server.request("POST", "/api/v1/checkins", staff, {"code": shown["code"]})[0]
        for server in (b, a, b, a)
    ]
    assert answers == [201, 200, 200, 429]
