"""Backups of the database, and restoring them: `perjumpaan backup` and `perjumpaan restore`.

- **SQLite**: SQLite's online backup API (`sqlite3.Connection.backup`) copies the database while the app
  runs — a consistent snapshot in one read transaction, which in WAL mode does not hold up writers. The
  copy is made self-contained (rollback journal, not WAL), checked with `PRAGMA integrity_check`, and only
  then renamed to its final name, so a half-written backup never looks like a backup.
- **PostgreSQL**: `pg_dump --format=custom`. The connection parameters come from DATABASE_URL through the
  environment of pg_dump (PGHOST, PGUSER, PGPASSWORD, …), never its command line, where every user of the
  machine could read the password in the process list.

Restoring replaces the whole database with the backup, all or nothing: on SQLite through the same backup
API in the other direction; on PostgreSQL by dropping this schema's tables and loading the dump in one
`psql --single-transaction`, so that a failure leaves the database as it was, and tables a newer release
added do not linger beside the restored ones.

A file is recognised as a backup by its content, not its name: an SQLite database holding Perjumpaan's
tables, or a pg_dump custom archive whose table of contents lists them. Anything else is refused with a
message saying what it is.

`database_digest()` gives every table's row count and a SHA-256 of all its rows in primary-key order; the
round-trip tests compare it before a backup and after a restore, and the restore drill in
docs/operations.md uses the counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess  # nosec B404  # runs pg_dump/pg_restore/psql with argument lists, never a shell
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

Engine = Literal["sqlite", "postgresql"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# Tables every Perjumpaan database has; a backup without them is some other application's.
MARKER_TABLES = ("django_migrations", "org_employee", "org_office")
BACKUP_NAME = re.compile(r"^perjumpaan-(sqlite|postgresql)-(\d{8})-(\d{6})\.(sqlite3|dump)$")

MISSING = gettext_noop("Berkas {name} tidak ada.")
EXISTS = gettext_noop("Berkas {name} sudah ada; pilih nama lain atau pakai --force untuk menimpanya.")
NOT_A_BACKUP = gettext_noop(
    "Berkas {name} bukan cadangan Perjumpaan: bukan basis data SQLite maupun arsip pg_dump (format custom)."
)
NOT_OURS = gettext_noop(
    "Berkas {name} adalah {kind}, tetapi bukan cadangan Perjumpaan (tabel {table} tidak ada di dalamnya)."
)
DAMAGED = gettext_noop("Berkas cadangan {name} rusak: {reason}")
WRONG_ENGINE = gettext_noop(
    "Berkas {name} adalah cadangan {kind}, sedangkan basis data aplikasi ini {engine}. Cadangan hanya dapat "
    "dipulihkan ke jenis basis data yang sama."
)
UNSUPPORTED_ENGINE = gettext_noop("Basis data {vendor} tidak didukung oleh perintah ini.")
TOOL_MISSING = gettext_noop(
    "Program {tool} tidak ditemukan. Pasang klien PostgreSQL (apt-get install postgresql-client) yang "
    "versinya sama dengan server atau lebih baru."
)
TOOL_FAILED = gettext_noop("{tool} gagal (kode {code}): {error}")
NO_SOURCE = gettext_noop("Basis data SQLite {name} tidak ada; tidak ada yang dicadangkan.")


class BackupError(Exception):
    """A backup or restore that cannot be done; `str(error)` is a message for the operator."""


@dataclass
class BackupResult:
    path: Path
    engine: Engine
    size: int
    seconds: float
    tables: dict[str, int] = field(default_factory=dict)
    removed: list[Path] = field(default_factory=list)


# --- Which engine -------------------------------------------------------------------------------------


def engine_of(using: str = DEFAULT_DB_ALIAS) -> Engine:
    vendor = connections[using].vendor
    if vendor == "sqlite":
        return "sqlite"
    if vendor == "postgresql":
        return "postgresql"
    raise BackupError(_(UNSUPPORTED_ENGINE).format(vendor=vendor))


def _kind_label(kind: Engine) -> str:
    return "SQLite" if kind == "sqlite" else "PostgreSQL (pg_dump)"


def backup_kind(path: Path) -> Engine:
    """What kind of backup `path` is, judged by its content; BackupError if it is none."""
    if not path.is_file():
        raise BackupError(_(MISSING).format(name=path))
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(_(NOT_A_BACKUP).format(name=path.name))


def default_name(engine: Engine, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    extension = "sqlite3" if engine == "sqlite" else "dump"
    return f"perjumpaan-{engine}-{now:%Y%m%d-%H%M%S}.{extension}"


# --- Making a backup ----------------------------------------------------------------------------------


def backup_create(
    target: Path, *, using: str = DEFAULT_DB_ALIAS, force: bool = False, now: dt.datetime | None = None
) -> BackupResult:
    """Back the database up into `target` (a file, or a directory to put a dated file in)."""
    engine = engine_of(using)
    if target.is_dir():
        target = target / default_name(engine, now)
    if target.exists() and not force:
        raise BackupError(_(EXISTS).format(name=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    started = dt.datetime.now(dt.UTC)
    try:
        if engine == "sqlite":
            _sqlite_backup(Path(connections[using].settings_dict["NAME"]), partial)
            tables = _sqlite_counts(partial)
        else:
            _pg_dump(using, partial)
            # An archive's table of contents has no row counts: -1 means "in the backup, not counted".
            tables = {name: -1 for name in _pg_archive_tables(partial)}
        _fsync(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    return BackupResult(target, engine, target.stat().st_size, seconds, tables)


def _sqlite_connect(target: str | Path, **kwargs: Any) -> sqlite3.Connection:
    """A plain sqlite3 connection that can check Perjumpaan's CHECK constraints, some of which use
    REGEXP, a function Django registers on its own connections."""
    connection: sqlite3.Connection = sqlite3.connect(target, **kwargs)
    connection.create_function("REGEXP", 2, _regexp, deterministic=True)
    return connection


def _read_only_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def _regexp(pattern: str | None, value: Any) -> bool | None:
    if pattern is None or value is None:
        return None
    return re.search(pattern, str(value)) is not None


def _sqlite_backup(source: Path, destination: Path) -> None:
    if not source.is_file():
        raise BackupError(_(NO_SOURCE).format(name=source))
    destination.unlink(missing_ok=True)
    src = _sqlite_connect(source, timeout=60)
    try:
        dst = _sqlite_connect(destination)
        try:
            # One step (pages=-1): a consistent snapshot in one read transaction. A backup in several
            # steps starts over whenever another connection writes, which under load may be forever.
            src.backup(dst)
            # A standalone file: the live database's WAL mode would otherwise come along in its header.
            dst.execute("PRAGMA journal_mode=DELETE")
            result = dst.execute("PRAGMA integrity_check").fetchone()
            if not result or result[0] != "ok":
                raise BackupError(_(DAMAGED).format(name=destination.name, reason=result))
        finally:
            dst.close()
    finally:
        src.close()


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def _sqlite_counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(_read_only_uri(path), uri=True)
    try:
        return {
            table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608  # nosec B608  # names from sqlite_master
            for table in _sqlite_tables(connection)
        }
    finally:
        connection.close()


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


# --- PostgreSQL tools ---------------------------------------------------------------------------------


def pg_environment(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The environment for pg_dump, pg_restore and psql: the process's own, without any PG* variable
    that could point them elsewhere, plus the connection parameters of `using`."""
    settings_dict = connections[using].settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    options = settings_dict.get("OPTIONS") or {}
    pairs = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGAPPNAME": "perjumpaan-backup",
    }
    env.update({key: str(value) for key, value in pairs.items() if value not in (None, "")})
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(_(TOOL_MISSING).format(tool=name))
    return found


def _run(command: list[str], *, env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(command, env=env, capture_output=True, check=False, **kwargs)  # noqa: S603  # nosec B603  # fixed tools, argument list
    except OSError as error:
        raise BackupError(_(TOOL_FAILED).format(tool=command[0], code="-", error=error)) from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BackupError(
            _(TOOL_FAILED).format(
                tool=Path(command[0]).name, code=done.returncode, error=" / ".join(message[-3:]) or "?"
            )
        )
    return done


def _pg_dump(using: str, destination: Path) -> None:
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-password", f"--file={destination}"],
        env=pg_environment(using),
    )


def _pg_archive_tables(path: Path) -> list[str]:
    """The tables in a pg_dump custom archive's table of contents."""
    done = _run([_tool("pg_restore"), "--list", str(path)], env=pg_environment())
    tables = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        # "215; 1259 16390 TABLE public org_employee postgres"
        parts = line.split()
        if len(parts) >= 6 and not line.startswith(";") and parts[3] == "TABLE":
            tables.append(parts[5])
    return tables


# Drops every table and sequence of the connection's schema, so that the dump loads into an empty
# schema; run in the same transaction as the load.
_PG_EMPTY_SCHEMA = """
DO $perjumpaan$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('DROP TABLE IF EXISTS public.%I CASCADE', r.tablename);
  END LOOP;
  FOR r IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS public.%I CASCADE', r.sequencename);
  END LOOP;
END
$perjumpaan$;
"""


def _pg_restore(using: str, source: Path) -> None:
    env = pg_environment(using)
    pg_restore = _tool("pg_restore")
    psql = _tool("psql")
    with tempfile.TemporaryDirectory(prefix="perjumpaan-restore-") as work:
        prelude = Path(work) / "prelude.sql"
        prelude.write_text(_PG_EMPTY_SCHEMA, encoding="utf-8")
        # pg_restore writes the SQL script; psql runs the prelude and that script in ONE transaction.
        producer = subprocess.Popen(  # noqa: S603  # nosec B603  # fixed tool, argument list
            [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(source)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            consumer = _run(
                [
                    psql,
                    "--no-psqlrc",
                    "--no-password",
                    "--quiet",
                    "--set=ON_ERROR_STOP=1",
                    "--single-transaction",
                    f"--file={prelude}",
                    "--file=-",
                ],
                env=env,
                stdin=producer.stdout,
            )
        finally:
            if producer.stdout is not None:
                producer.stdout.close()
            producer.wait()
        errors = producer.stderr.read().decode("utf-8", "replace") if producer.stderr else ""
        if producer.returncode != 0:
            raise BackupError(
                _(TOOL_FAILED).format(tool="pg_restore", code=producer.returncode, error=errors.strip())
            )
        del consumer


# --- Checking and restoring ---------------------------------------------------------------------------


def backup_check(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Engine:
    """That `path` is a sound Perjumpaan backup this database can be restored from; its kind."""
    kind = backup_kind(path)
    engine = engine_of(using)
    if kind != engine:
        raise BackupError(
            _(WRONG_ENGINE).format(name=path.name, kind=_kind_label(kind), engine=_kind_label(engine))
        )
    if kind == "sqlite":
        try:
            connection = _sqlite_connect(_read_only_uri(path), uri=True)
            try:
                result = connection.execute("PRAGMA quick_check").fetchone()
                tables = set(_sqlite_tables(connection))
            finally:
                connection.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(_(DAMAGED).format(name=path.name, reason=error)) from error
        if not result or result[0] != "ok":
            raise BackupError(_(DAMAGED).format(name=path.name, reason=result))
        kind_name = _("basis data SQLite")
    else:
        try:
            tables = set(_pg_archive_tables(path))
        except BackupError as error:
            raise BackupError(_(DAMAGED).format(name=path.name, reason=error)) from error
        kind_name = _("arsip pg_dump")
    for table in MARKER_TABLES:
        if table not in tables:
            raise BackupError(_(NOT_OURS).format(name=path.name, kind=kind_name, table=table))
    return kind


def backup_restore(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Replace the whole database with the backup in `path`, all or nothing."""
    kind = backup_check(path, using=using)
    started = dt.datetime.now(dt.UTC)
    connections[using].close()
    if kind == "sqlite":
        _sqlite_restore(path, Path(connections[using].settings_dict["NAME"]))
    else:
        _pg_restore(using, path)
    connections[using].close()
    seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    return BackupResult(path, kind, path.stat().st_size, seconds, table_counts(using))


def _sqlite_restore(source: Path, destination: Path) -> None:
    src = sqlite3.connect(_read_only_uri(source), uri=True)
    try:
        dst = sqlite3.connect(destination, timeout=60)
        try:
            # The backup API writes the destination in one transaction, through its journal (WAL):
            # other connections see the old database or the restored one, never a mixture.
            src.backup(dst)
            # Tables the backup lacks (a newer release's) are gone too: the backup replaced every page.
        except sqlite3.Error as error:
            raise BackupError(_(DAMAGED).format(name=source.name, reason=error)) from error
        finally:
            dst.close()
    finally:
        src.close()


# --- Counting and digesting ---------------------------------------------------------------------------


def _tables(using: str) -> list[str]:
    connection = connections[using]
    with connection.cursor() as cursor:
        return sorted(
            info.name
            for info in connection.introspection.get_table_list(cursor)
            if info.type == "t" and not info.name.startswith("sqlite_")
        )


def table_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Every table and its number of rows."""
    connection = connections[using]
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables(using):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608  # nosec B608  # introspected name
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _normal(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _digest_rows(rows: Iterable[tuple[Any, ...]]) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(repr(tuple(_normal(value) for value in row)).encode("utf-8"))
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def database_digest(using: str = DEFAULT_DB_ALIAS) -> dict[str, tuple[int, str]]:
    """Every table → (row count, SHA-256 of its rows in primary-key order)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    found: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for table in _tables(using):
            key = connection.introspection.get_primary_key_column(cursor, table)
            columns = [
                column.name for column in connection.introspection.get_table_description(cursor, table)
            ]
            order = quote(key) if key else ", ".join(quote(column) for column in columns)
            select = ", ".join(quote(column) for column in columns)
            cursor.execute(f"SELECT {select} FROM {quote(table)} ORDER BY {order}")  # noqa: S608  # nosec B608  # introspected names
            found[table] = _digest_rows(_fetch_all(cursor))
    return found


def _fetch_all(cursor: Any) -> Iterable[tuple[Any, ...]]:
    while rows := cursor.fetchmany(2000):
        yield from rows


# --- Keeping some backups, removing the rest ----------------------------------------------------------


def backups_to_remove(names: Iterable[str], *, daily: int, weekly: int, monthly: int) -> list[str]:
    """Of the backup files `names` (named as `default_name` makes them), those a daily/weekly/monthly
    rotation no longer keeps: the newest of each of the last `daily` days, `weekly` ISO weeks and
    `monthly` months that have a backup. Files named otherwise are never touched."""
    dated = []
    for name in names:
        match = BACKUP_NAME.match(name)
        if match:
            moment = dt.datetime.strptime(match.group(2) + match.group(3), "%Y%m%d%H%M%S")  # noqa: DTZ007 - UTC by construction
            dated.append((moment, name))
    dated.sort(reverse=True)
    keep: set[str] = set()
    for count, period in ((daily, "%Y-%m-%d"), (weekly, "%G-W%V"), (monthly, "%Y-%m")):
        seen: list[str] = []
        for moment, name in dated:
            bucket = moment.strftime(period)
            if bucket in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(bucket)
            keep.add(name)
    return [name for _moment, name in dated if name not in keep]


def backups_prune(directory: Path, *, daily: int, weekly: int, monthly: int) -> list[Path]:
    names = [path.name for path in directory.iterdir() if path.is_file()]
    removed = []
    for name in backups_to_remove(names, daily=daily, weekly=weekly, monthly=monthly):
        (directory / name).unlink(missing_ok=True)
        removed.append(directory / name)
    return removed
