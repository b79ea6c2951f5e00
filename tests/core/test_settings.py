"""Settings come from the environment and fail loudly on bad values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from perjumpaan.core.env import envbool, envint, envlist, envsecret


def test_envbool_reads_true_and_false_words(monkeypatch: pytest.MonkeyPatch) -> None:
    for word, expected in [("true", True), ("1", True), ("Yes", True), ("off", False), ("FALSE", False)]:
        monkeypatch.setenv("X_FLAG", word)
        assert envbool("X_FLAG", not expected) is expected


def test_envbool_refuses_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "ya")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be true or false"):
        envbool("X_FLAG", False)


def test_envint_refuses_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_NUM", "lima")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        envint("X_NUM", 5)
    monkeypatch.setenv("X_NUM", "7")
    assert envint("X_NUM", 5) == 7


def test_envlist_splits_and_trims(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_LIST", " a.example , b.example,, ")
    assert envlist("X_LIST", []) == ["a.example", "b.example"]


def test_envsecret_reads_a_file_for_container_secrets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret-from-file\n")
    monkeypatch.delenv("X_SECRET", raising=False)
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert envsecret("X_SECRET") == "s3cret-from-file"
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        envsecret("X_SECRET")


def _load_settings(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PERJUMPAAN_") and k != "DATABASE_URL"}
    clean.update({"PERJUMPAAN_DATA_DIR": str(tmp_path), **env})
    code = "import perjumpaan.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.TIME_ZONE)"
    return subprocess.run(  # noqa: S603 -- our own interpreter running a fixed snippet
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=False
    )


def test_development_needs_no_variables_and_uses_sqlite_in_wita(tmp_path: Path) -> None:
    result = _load_settings({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3", "Asia/Makassar"]


def test_production_refuses_to_start_without_a_real_secret_key(tmp_path: Path) -> None:
    result = _load_settings({"PERJUMPAAN_DEBUG": "false"}, tmp_path)
    assert result.returncode != 0
    assert "PERJUMPAAN_SECRET_KEY" in result.stderr


def test_production_starts_with_a_secret_key_and_a_postgres_url(tmp_path: Path) -> None:
    result = _load_settings(
        {
            "PERJUMPAAN_DEBUG": "false",
            "PERJUMPAAN_SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://perjumpaan@db.internal:5432/perjumpaan",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["False", "django.db.backends.postgresql"]


@pytest.mark.django_db
def test_sqlite_waits_for_the_write_lock_instead_of_failing() -> None:
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite":
        assert "transaction_mode" not in settings.DATABASES["default"].get("OPTIONS", {})
        return
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


def test_an_empty_database_url_means_the_embedded_sqlite(tmp_path: Path) -> None:
    result = _load_settings({"DATABASE_URL": ""}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "django.db.backends.sqlite3"
