"""The load and kill drills, reduced to a size CI can afford: 1,000 check-ins from 50 clients through
gunicorn, the same with the server killed (SIGKILL) half-way, and a staff import killed while writing.

They run `tests/reliability/drills.py` in a subprocess on a throwaway database of the engine DATABASE_URL
names (SQLite in a temporary directory, or `perjumpaan_rel_<pid>` on that PostgreSQL server), never the
test database. `make reliability` runs the full size (10,000 check-ins from 500 clients).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.reliability

DRILLS = Path(__file__).with_name("drills.py")


@pytest.fixture(scope="module")
def drills(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    output = tmp_path_factory.mktemp("drills") / "results.json"
    command = [
        sys.executable,
        str(DRILLS),
        "--checkins", "1000",
        "--clients", "50",
        "--import-rows", "6000",
        "--duration", "240",
        "--output", str(output),
    ]  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)
    if not output.exists():
        pytest.fail(
            f"the drills did not finish (exit {done.returncode}):\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    results = json.loads(output.read_text())
    results["_report"] = done.stdout[-3000:]
    yield results


def _checks(results: dict[str, Any], part: str) -> None:
    failed = [name for name, ok in results[part]["checks"].items() if not ok]
    assert not failed, f"{part}: {failed}\n{results['_report']}\n{json.dumps(results[part], indent=2)[:3000]}"


def test_a_thousand_checkins_from_fifty_clients_leave_one_mark_each(drills: dict[str, Any]) -> None:
    _checks(drills, "load")
    assert drills["load"]["acknowledged"] == drills["load"]["marks_in_database"] == 1000


def test_every_checkin_acknowledged_before_the_server_was_killed_is_kept(drills: dict[str, Any]) -> None:
    _checks(drills, "kill")
    kill = drills["kill"]["kill"]
    assert kill["acknowledged_before_kill"] > 0
    assert kill["missing_after_restart"] == 0


def test_an_import_killed_while_writing_leaves_the_database_as_before(drills: dict[str, Any]) -> None:
    _checks(drills, "import")
