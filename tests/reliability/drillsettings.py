"""Perjumpaan's settings for the staff import the kill drill starts (tests/reliability/drills.py).

On SQLite the page cache is made small (256 KiB instead of 2 MiB), so that the import's uncommitted pages
spill into the WAL file soon after it starts writing: the drill sees that it is writing, and kills it
well before it could commit. Everything else is Perjumpaan's settings unchanged.
"""

from __future__ import annotations

from perjumpaan.settings import *  # noqa: F403
from perjumpaan.settings import DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"]["init_command"] += "PRAGMA cache_size=-256;"
