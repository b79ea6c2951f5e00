"""Scheduled jobs run one at a time, however many app servers start them.

Every app server of a province carries the same timers (docs/operations.md), so at 15:00 three servers
start `perjumpaan remind_roster` at once. The jobs are written to be harmless when run twice in a row, but
not when two runs overlap: both would read the same kultum turns as not yet reminded and both would send
the email. `@scheduled_job("remind_roster")` on a command's `handle` makes the second run find the job
taken, say so on stderr and exit 0 having done nothing.

- PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a connection of its own, opened
  beside Django's and closed at the end. Not Django's connection: with the pool
  (PERJUMPAAN_DB_POOL) that connection goes back to the pool between uses, and a session lock would go
  with it, still held, into whatever borrows it next. The server drops the lock when the session ends, so
  a job killed half-way (SIGKILL, a crashed machine) does not leave it behind.
- SQLite (one machine by design): an exclusive `flock` on a file beside the database,
  `<database>-jobs/<job>.lock`. The kernel drops it when the process's file is closed, so the same holds.

The lock says "not at the same time", not "once per period": a server whose timer fires after the first
run has finished runs the job again and, the jobs being idempotent, finds nothing left to do.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

JOB_BUSY = gettext_noop(
    "Tugas {job} sedang dijalankan di tempat lain (server atau proses lain); kali ini dilewati."
)

_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")

Handle = TypeVar("Handle", bound=Callable[..., Any])


class JobBusy(Exception):
    """Another process holds the job's lock."""

    def __init__(self, name: str) -> None:
        super().__init__(_(JOB_BUSY).format(job=name))
        self.name = name


def advisory_key(name: str) -> int:
    """The job's key in PostgreSQL's advisory lock space: a signed 64-bit number derived from the name,
    with a prefix of ours so that other software using advisory locks on the same database is unlikely to
    pick it."""
    digest = hashlib.sha256(f"perjumpaan:job:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class JobLock:
    """The lock of one job on the database of `using`: `acquire()` (True, or False when another process
    holds it), then `release()`, which is safe to call more than once."""

    def __init__(self, name: str, *, using: str = "default") -> None:
        if not _NAME.fullmatch(name):
            raise ValueError(f"job name {name!r}: lowercase letters, digits and _, starting with a letter")
        self.name = name
        self.connection = connections[using]
        self._pg: Any = None
        self._file: IO[bytes] | None = None

    # --- PostgreSQL ---------------------------------------------------------------------------------

    def _acquire_postgresql(self) -> bool:
        import psycopg

        params = self.connection.get_connection_params()
        # A plain connection: Django's cursor class and adapters are of no use for two SELECTs.
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params["autocommit"] = True
        params["application_name"] = f"perjumpaan job {self.name}"
        conn = psycopg.connect(**params)
        try:
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", [advisory_key(self.name)]).fetchone()
        except BaseException:
            conn.close()
            raise
        if not (row and row[0]):
            conn.close()
            return False
        self._pg = conn
        return True

    def _release_postgresql(self) -> None:
        conn, self._pg = self._pg, None
        try:
            # Closing the session drops the lock anyway; the explicit unlock makes it so even if the
            # connection were somehow kept.
            with contextlib.suppress(Exception):
                conn.execute("SELECT pg_advisory_unlock(%s)", [advisory_key(self.name)])
        finally:
            conn.close()

    # --- SQLite ---------------------------------------------------------------------------------------

    def lock_path(self) -> Path:
        database = str(self.connection.settings_dict["NAME"])
        if database == ":memory:" or "mode=memory" in database:
            # Nobody outside this process can open an in-memory database; the lock only has to exclude
            # the process's own threads.
            return Path(tempfile.gettempdir()) / f"perjumpaan-jobs-{os.getpid()}" / f"{self.name}.lock"
        return Path(f"{database}-jobs") / f"{self.name}.lock"

    def _acquire_sqlite(self) -> bool:
        path = self.lock_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "ab")  # noqa: SIM115 -- held open for as long as the job runs
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        except BaseException:
            handle.close()
            raise
        self._file = handle
        return True

    def _release_sqlite(self) -> None:
        handle, self._file = self._file, None
        assert handle is not None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        finally:
            handle.close()

    # --- Either -------------------------------------------------------------------------------------

    def acquire(self) -> bool:
        if self.held:
            raise RuntimeError(f"job lock {self.name!r} is already held by this JobLock")
        if self.connection.vendor == "postgresql":
            return self._acquire_postgresql()
        if self.connection.vendor == "sqlite":
            return self._acquire_sqlite()
        raise NotImplementedError(f"no job lock for the {self.connection.vendor} database")

    def release(self) -> None:
        if self._pg is not None:
            self._release_postgresql()
        elif self._file is not None:
            self._release_sqlite()

    @property
    def held(self) -> bool:
        return self._pg is not None or self._file is not None


@contextlib.contextmanager
def job_lock(name: str, *, using: str = "default") -> Iterator[None]:
    """Run the block holding the job's lock; JobBusy when another process holds it. Released when the
    block ends, by an exception too."""
    lock = JobLock(name, using=using)
    if not lock.acquire():
        raise JobBusy(name)
    try:
        yield
    finally:
        lock.release()


def scheduled_job(name: str) -> Callable[[Handle], Handle]:
    """Decorate a management command's `handle`: it runs only while holding the job's lock. A run that
    finds the lock taken writes JOB_BUSY on the command's stderr and returns (exit status 0: for the
    timer another server's run is not a failure)."""

    def decorate(handle: Handle) -> Handle:
        @functools.wraps(handle)
        def wrapper(self: Any, *args: Any, **options: Any) -> Any:
            lock = JobLock(name)
            if not lock.acquire():
                self.stderr.write(_(JOB_BUSY).format(job=name))
                return None
            try:
                return handle(self, *args, **options)
            finally:
                lock.release()

        return wrapper  # type: ignore[return-value]

    return decorate
