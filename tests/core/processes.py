"""Other processes on the test database: the environment that points a `perjumpaan` command, a Python
snippet or gunicorn at the database this test process uses (tests/core/test_joblock.py,
tests/core/test_app_servers.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

VENV_BIN = Path(sys.executable).parent
PERJUMPAAN = str(VENV_BIN / "perjumpaan")


def database_url() -> str:
    """DATABASE_URL of the test database (its name is the test name once pytest-django created it)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings['NAME']).resolve()}"
    assert connection.vendor == "postgresql", connection.vendor
    user = quote(settings["USER"] or "", safe="")
    password = quote(settings["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{credentials}{settings['HOST'] or '127.0.0.1'}{port}/{quote(settings['NAME'])}"


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """This process's environment without any PERJUMPAAN_* setting, on the test database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PERJUMPAAN_") and key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "perjumpaan.settings",
            "DATABASE_URL": database_url(),
            "PERJUMPAAN_DATA_DIR": str(data_dir),
            "PERJUMPAAN_LOG_LEVEL": "ERROR",
        }
    )
    env.update(extra)
    return env
