"""Settings come from the environment and fail loudly on bad values."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from perjumpaan.core.env import envbool, envcache, envint, envlist, envpool, envsecret


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


# --- The PostgreSQL connection pool (PERJUMPAAN_DB_POOL*) -------------------------------------------------

POSTGRES = "django.db.backends.postgresql"
POOL_VARIABLES = ("X_POOL", "X_POOL_MIN", "X_POOL_MAX", "X_POOL_TIMEOUT")


def test_envpool_is_off_unless_asked_and_then_has_small_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in POOL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert envpool("X_POOL", engine=POSTGRES) is None
    monkeypatch.setenv("X_POOL", "true")
    assert envpool("X_POOL", engine=POSTGRES) == {"min_size": 1, "max_size": 2, "timeout": 10}
    monkeypatch.setenv("X_POOL_MIN", "0")
    monkeypatch.setenv("X_POOL_MAX", "6")
    monkeypatch.setenv("X_POOL_TIMEOUT", "3")
    assert envpool("X_POOL", engine=POSTGRES) == {"min_size": 0, "max_size": 6, "timeout": 3}


def test_envpool_refuses_sqlite_and_checks_its_numbers_even_when_off(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in POOL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("X_POOL", "true")
    with pytest.raises(ImproperlyConfigured, match="X_POOL=true applies to PostgreSQL only"):
        envpool("X_POOL", engine="django.db.backends.sqlite3")
    monkeypatch.setenv("X_POOL", "false")
    monkeypatch.setenv("X_POOL_MAX", "0")
    with pytest.raises(ImproperlyConfigured, match="X_POOL_MAX must be at least 1"):
        envpool("X_POOL", engine=POSTGRES)
    monkeypatch.setenv("X_POOL_MAX", "2")
    monkeypatch.setenv("X_POOL_MIN", "4")
    with pytest.raises(ImproperlyConfigured, match=r"X_POOL_MAX \(2\) must be at least X_POOL_MIN \(4\)"):
        envpool("X_POOL", engine=POSTGRES)
    monkeypatch.setenv("X_POOL_MIN", "1")
    monkeypatch.setenv("X_POOL", "ya")
    with pytest.raises(ImproperlyConfigured, match="X_POOL must be true or false"):
        envpool("X_POOL", engine=POSTGRES)


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    switch=st.sampled_from(["", "true", "false", "1", "on", "ya", "benar"]),
    minimum=st.one_of(st.just(""), st.integers(-3, 12).map(str), st.text(max_size=4)),
    maximum=st.one_of(st.just(""), st.integers(-3, 12).map(str), st.text(max_size=4)),
    timeout=st.one_of(st.just(""), st.integers(-3, 12).map(str), st.sampled_from(["1.5", "sepuluh"])),
)
def test_envpool_gives_psycopg_a_valid_pool_or_refuses_with_a_message(
    switch: str, minimum: str, maximum: str, timeout: str
) -> None:
    values = {"X_POOL": switch, "X_POOL_MIN": minimum, "X_POOL_MAX": maximum, "X_POOL_TIMEOUT": timeout}
    if any("\x00" in value for value in values.values()):
        return  # the environment cannot hold a NUL
    with mock.patch.dict(os.environ, values):
        try:
            pool = envpool("X_POOL", engine=POSTGRES)
        except ImproperlyConfigured as refusal:
            assert str(refusal).startswith("X_POOL")
            return
    # Accepted: the switch was a true or false word and every number a whole one within its bounds.
    assert switch.strip().lower() in {"", "true", "false", "1", "on"}
    if pool is None:
        assert switch.strip().lower() in {"", "false"}
        return
    from psycopg_pool import ConnectionPool

    # psycopg_pool itself accepts the sizes (it checks them only when the pool is made, in a worker).
    ConnectionPool("", open=False, **pool).close()
    assert pool["max_size"] >= max(pool["min_size"], 1) and pool["timeout"] >= 1


POOL_SNIPPET = (
    "import perjumpaan.settings as s; d = s.DATABASES['default']; "
    "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d.get('OPTIONS', {}).get('pool'))"
)
PG_URL = {"DATABASE_URL": "postgres://perjumpaan@db.internal:5432/perjumpaan"}


def test_postgresql_keeps_persistent_connections_unless_the_pool_is_on(tmp_path: Path) -> None:
    result = _load_settings(PG_URL, tmp_path, POOL_SNIPPET)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "600 True None"
    result = _load_settings({**PG_URL, "PERJUMPAAN_DB_POOL": "true"}, tmp_path, POOL_SNIPPET)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 True {'min_size': 1, 'max_size': 2, 'timeout': 10}"
    result = _load_settings(
        {
            **PG_URL,
            "PERJUMPAAN_DB_POOL": "true",
            "PERJUMPAAN_DB_POOL_MIN": "2",
            "PERJUMPAAN_DB_POOL_MAX": "4",
            "PERJUMPAAN_DB_POOL_TIMEOUT": "5",
            "PERJUMPAAN_CONN_MAX_AGE": "0",
        },
        tmp_path,
        POOL_SNIPPET,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 True {'min_size': 2, 'max_size': 4, 'timeout': 5}"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {**PG_URL, "PERJUMPAAN_DB_POOL": "true", "PERJUMPAAN_CONN_MAX_AGE": "600"},
            "PERJUMPAAN_CONN_MAX_AGE must be 0 or unset when PERJUMPAAN_DB_POOL is true",
        ),
        ({"PERJUMPAAN_DB_POOL": "true"}, "PERJUMPAAN_DB_POOL=true applies to PostgreSQL only"),
        ({**PG_URL, "PERJUMPAAN_DB_POOL": "ya"}, "PERJUMPAAN_DB_POOL must be true or false"),
        (
            {**PG_URL, "PERJUMPAAN_DB_POOL": "true", "PERJUMPAAN_DB_POOL_MIN": "3"},
            "PERJUMPAAN_DB_POOL_MAX (2) must be at least PERJUMPAAN_DB_POOL_MIN (3)",
        ),
        ({**PG_URL, "PERJUMPAAN_DB_POOL_TIMEOUT": "0"}, "PERJUMPAAN_DB_POOL_TIMEOUT must be at least 1"),
        ({**PG_URL, "PERJUMPAAN_DB_POOL_MAX": "dua"}, "PERJUMPAAN_DB_POOL_MAX must be a whole number"),
        ({**PG_URL, "PERJUMPAAN_CONN_MAX_AGE": "-1"}, "PERJUMPAAN_CONN_MAX_AGE must be at least 0"),
    ],
)
def test_a_bad_pool_setting_stops_the_start(tmp_path: Path, env: dict[str, str], message: str) -> None:
    result = _load_settings(env, tmp_path, POOL_SNIPPET)
    assert result.returncode != 0
    assert message in result.stderr
