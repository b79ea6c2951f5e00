"""Settings come from the environment and fail loudly on bad values."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from perjumpaan.core.env import envbool, envcache, envint, envlist, envsecret


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


def test_envint_refuses_a_number_below_its_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="X_NUM must be at least 1, not '0'"):
        envint("X_NUM", 5, minimum=1)
    assert envint("X_NUM", 5, minimum=0) == 0
    monkeypatch.delenv("X_NUM")
    assert envint("X_NUM", 5, minimum=1) == 5


def test_envcache_is_local_memory_unless_a_redis_url_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_CACHE", raising=False)
    assert envcache("X_CACHE")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    monkeypatch.setenv("X_CACHE", "")
    assert envcache("X_CACHE")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    monkeypatch.setenv("X_CACHE", "memcached://127.0.0.1:11211")
    with pytest.raises(ImproperlyConfigured, match="X_CACHE must be a Redis URL"):
        envcache("X_CACHE")


def test_envcache_names_django_s_redis_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("redis", reason="the Python package redis is not installed")
    monkeypatch.setenv("X_CACHE", " redis://10.0.0.5:6379/1 ")
    assert envcache("X_CACHE") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://10.0.0.5:6379/1",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


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


DEFAULT_SNIPPET = (
    "import perjumpaan.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.TIME_ZONE)"
)


def _load_settings(
    env: dict[str, str], tmp_path: Path, code: str = DEFAULT_SNIPPET
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PERJUMPAAN_") and k != "DATABASE_URL"}
    clean.update({"PERJUMPAAN_DATA_DIR": str(tmp_path), **env})
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


LIMITS_SNIPPET = (
    "import perjumpaan.settings as s; "
    "print(s.CACHES['default']['BACKEND'], sorted(s.PERJUMPAAN_PUBLIC_FORM_LIMITS.items()), "
    "s.PERJUMPAAN_TRUSTED_PROXIES)"
)


def test_public_form_limits_and_trusted_proxies_come_from_the_environment(tmp_path: Path) -> None:
    from perjumpaan.service.abuse import DEFAULT_LIMITS

    result = _load_settings({}, tmp_path, LIMITS_SNIPPET)
    assert result.returncode == 0, result.stderr
    # With nothing set, the settings say what service/abuse.py's defaults say.
    assert result.stdout.strip() == (
        f"django.core.cache.backends.locmem.LocMemCache {sorted(DEFAULT_LIMITS.items())} 0"
    )
    result = _load_settings(
        {
            "PERJUMPAAN_PUBLIC_FORM_DEVICE_PER_HOUR": "3",
            "PERJUMPAAN_PUBLIC_FORM_DEVICE_PER_DAY": "8",
            "PERJUMPAAN_PUBLIC_FORM_ADDRESS_PER_HOUR": "600",
            "PERJUMPAAN_PUBLIC_FORM_KIOSK_PER_HOUR": "500",
            "PERJUMPAAN_TRUSTED_PROXIES": "1",
        },
        tmp_path,
        LIMITS_SNIPPET,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "django.core.cache.backends.locmem.LocMemCache [('address_per_hour', 600), ('device_per_day', 8), "
        "('device_per_hour', 3), ('kiosk_per_hour', 500)] 1"
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "PERJUMPAAN_PUBLIC_FORM_DEVICE_PER_HOUR",
            "0",
            "PERJUMPAAN_PUBLIC_FORM_DEVICE_PER_HOUR must be at least 1",
        ),
        ("PERJUMPAAN_PUBLIC_FORM_ADDRESS_PER_HOUR", "banyak", "must be a whole number"),
        ("PERJUMPAAN_TRUSTED_PROXIES", "-1", "PERJUMPAAN_TRUSTED_PROXIES must be at least 0"),
        ("PERJUMPAAN_CACHE_URL", "127.0.0.1:6379", "PERJUMPAAN_CACHE_URL must be a Redis URL"),
        ("PERJUMPAAN_AUDIT_RETENTION_DAYS", "-1825", "PERJUMPAAN_AUDIT_RETENTION_DAYS must be at least 0"),
    ],
)
def test_a_bad_limit_proxy_count_or_cache_url_stops_the_start(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    result = _load_settings({name: value}, tmp_path, LIMITS_SNIPPET)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_redis_cache_url_makes_the_cache_shared(tmp_path: Path) -> None:
    pytest.importorskip("redis", reason="the Python package redis is not installed")
    result = _load_settings({"PERJUMPAAN_CACHE_URL": "redis://127.0.0.1:6379/1"}, tmp_path, LIMITS_SNIPPET)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.core.cache.backends.redis.RedisCache"


def test_every_variable_the_settings_read_is_listed_in_the_env_example() -> None:
    root = Path(__file__).resolve().parents[2]
    read = set(re.findall(r"\"(PERJUMPAAN_[A-Z_]+)\"", (root / "src/perjumpaan/settings.py").read_text()))
    listed = set(re.findall(r"PERJUMPAAN_[A-Z_]+", (root / ".env.example").read_text()))
    assert "PERJUMPAAN_CACHE_URL" in read
    assert sorted(read - listed) == []
