"""Perjumpaan's settings, unchanged, with the benchmark's URL map (see benchsite/__init__.py)."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

if os.environ.get("PERJUMPAAN_BENCH") != "1":
    raise ImproperlyConfigured("benchsite is for benchmarks only: set PERJUMPAAN_BENCH=1.")

from perjumpaan.settings import *  # noqa: F403

ROOT_URLCONF = "benchsite.urls"
