"""Scheduled jobs run one at a time however many app servers start them (core/joblock.py): an advisory
lock on PostgreSQL, a file lock beside the database on SQLite. The tests run on the engine DATABASE_URL
names; the suite runs on both."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from perjumpaan.attendance.models import Attendance
from perjumpaan.core.joblock import JobBusy, JobLock, advisory_key, job_lock
from perjumpaan.org.models import Government, Office
from perjumpaan.program.models import Gathering
from perjumpaan.program.services import gathering_add
from tests.base import make_employee
from tests.core.processes import PERJUMPAAN, environment

ROOT = Path(__file__).resolve().parents[2]

# Every command a timer starts, with the arguments its timer gives it (docs/operations.md, docs/scale.md).
SCHEDULED: dict[str, list[str]] = {
    "close_gatherings": [],
    "remind_roster": [],
    "open_rounds": [],
    "close_rounds": [],
    "purge": [],
    "backup": ["{tmp}", "--keep-daily", "14"],
    "rebuild_rollups": ["--days", "35"],
    "warm_dashboards": [],
}

BUSY = "sedang dijalankan di tempat lain (server atau proses lain); kali ini dilewati."


def test_every_job_the_operations_guide_schedules_is_guarded() -> None:
    operations = (ROOT / "docs" / "operations.md").read_text()
    section = operations.split("## 2. Scheduled jobs", 1)[1].split("\n## 3.", 1)[0]
    timers = set(re.findall(r"^\| `perjumpaan (\w+)", section, flags=re.MULTILINE))
    assert {"close_gatherings", "backup", "purge"} <= timers  # the table was found
    assert timers <= SCHEDULED.keys(), timers - SCHEDULED.keys()
    assert "perjumpaan rebuild_rollups --days 35" in (ROOT / "docs" / "scale.md").read_text()


def test_job_names_have_distinct_keys_and_only_safe_characters() -> None:
    keys = {advisory_key(name) for name in SCHEDULED}
    assert len(keys) == len(SCHEDULED)
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert advisory_key("purge") == advisory_key("purge")
    for bad in ("", "Purge", "../etc/passwd", "purge now", "x" * 64):
        with pytest.raises(ValueError, match="job name"):
            JobLock(bad)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SCHEDULED))
def test_a_scheduled_command_does_nothing_while_its_job_is_held_elsewhere(name: str, tmp_path: Path) -> None:
    args = [arg.format(tmp=tmp_path) for arg in SCHEDULED[name]]
    held = JobLock(name)
    assert held.acquire()
    try:
        out, err = StringIO(), StringIO()
        call_command(name, *args, stdout=out, stderr=err)
    finally:
        held.release()
    assert out.getvalue() == ""
    assert err.getvalue().strip() == f"Tugas {name} {BUSY}"
    assert list(tmp_path.iterdir()) == []  # the backup wrote nothing


@pytest.mark.django_db
def test_a_held_job_is_refused_to_a_second_holder_until_released() -> None:
    first, second = JobLock("close_rounds"), JobLock("close_rounds")
    assert first.acquire()
    assert not second.acquire()
    other = JobLock("open_rounds")
    assert other.acquire()  # another job is another lock
    other.release()
    with pytest.raises(JobBusy, match=f"Tugas close_rounds {re.escape(BUSY)}"), job_lock("close_rounds"):
        pytest.fail("the block must not run")
    first.release()
    first.release()  # twice is harmless
    assert second.acquire()
    second.release()


@pytest.mark.django_db
def test_the_lock_is_released_when_the_job_fails() -> None:
    # A command whose handle raises inside the lock, and a block that raises. The tracebacks are kept,
    # and with them every frame's locals: a lock left to the garbage collector would still be held.
    with pytest.raises(CommandError, match="--now") as command_failure:
        call_command("close_rounds", now="kemarin sore")
    with pytest.raises(ZeroDivisionError) as block_failure, job_lock("purge"):
        _ = 1 / 0
    for name in ("close_rounds", "purge"):
        lock = JobLock(name)
        assert lock.acquire(), name
        lock.release()
    assert command_failure.traceback and block_failure.traceback


def _closing_run(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 -- our own console script, fixed arguments
        [PERJUMPAAN, "close_gatherings"],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_a_second_process_does_nothing_while_the_first_runs_the_job(tmp_path: Path) -> None:
    government = Government.objects.create(name="Kabupaten Uji Kunci", slug="uji-kunci")
    office = Office.objects.create(government=government, code="DUKCAPIL", name="Dinas Uji")
    make_employee(office, name="Baiq Nurul Aini", gender="P", track="islam")
    ended = gathering_add(office=office, start=timezone.now() - dt.timedelta(hours=3), minutes=45)

    # This test process plays the server whose run is under way; another process starts the same job.
    with job_lock("close_gatherings"):
        second = _closing_run(tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout == ""
    assert f"Tugas close_gatherings {BUSY}" in second.stderr
    ended.refresh_from_db()
    assert ended.status == Gathering.Status.SCHEDULED
    assert not Attendance.objects.filter(gathering=ended).exists()

    # Once the first is done, the next run does the work.
    third = _closing_run(tmp_path)
    assert third.returncode == 0, third.stderr
    assert "1 perjumpaan ditutup" in third.stdout
    ended.refresh_from_db()
    assert ended.status == Gathering.Status.HELD
    assert Attendance.objects.filter(gathering=ended).count() == 1


HOLDER = (
    "import sys, time, django; django.setup(); "
    "from perjumpaan.core.joblock import JobLock; "
    "lock = JobLock('purge'); print(lock.acquire(), flush=True); time.sleep(120)"
)


@pytest.mark.django_db
def test_a_job_killed_half_way_leaves_no_lock_behind(tmp_path: Path) -> None:
    holder = subprocess.Popen(  # noqa: S603 -- our own interpreter, a fixed snippet
        [sys.executable, "-c", HOLDER],
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "True"
        mine = JobLock("purge")
        assert not mine.acquire(), "another process holds the job"
        holder.kill()
        holder.wait(timeout=30)
        # The kernel closes the killed process's socket or file at once; PostgreSQL ends the session
        # when it reads the closed socket, which may take a moment.
        deadline = time.monotonic() + 15
        while not mine.acquire():
            assert time.monotonic() < deadline, f"the lock outlived its {connection.vendor} holder"
            time.sleep(0.1)
        mine.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
