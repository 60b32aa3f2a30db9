"""Settings come from the environment through typed helpers that fail loudly on a bad value,
naming the variable, both in the helpers themselves and when Django starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kam.lib.env import env_bool, env_database, env_int, env_list, env_redis_url

PROJECT = Path(__file__).resolve().parents[2]


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    for raw, expected in (("true", True), ("YES", True), ("1", True), (" on ", True), ("false", False), ("0", False)):
        monkeypatch.setenv("KAM_FLAG", raw)
        assert env_bool("KAM_FLAG") is expected, raw
    monkeypatch.delenv("KAM_FLAG")
    assert env_bool("KAM_FLAG", True) is True


def test_env_bool_refuses_maybe(monkeypatch):
    monkeypatch.setenv("KAM_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="KAM_FLAG"):
        env_bool("KAM_FLAG")


def test_env_int_refuses_abc(monkeypatch):
    monkeypatch.setenv("KAM_NUMBER", "abc")

    with pytest.raises(ImproperlyConfigured, match="KAM_NUMBER"):
        env_int("KAM_NUMBER", 5)


def test_env_int_reads_a_number_or_falls_back(monkeypatch):
    monkeypatch.setenv("KAM_NUMBER", "25")
    assert env_int("KAM_NUMBER", 5) == 25
    monkeypatch.delenv("KAM_NUMBER")
    assert env_int("KAM_NUMBER", 5) == 5


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("KAM_HOSTS", "kam.example.com, 127.0.0.1,,")

    assert env_list("KAM_HOSTS", []) == ["kam.example.com", "127.0.0.1"]


@pytest.mark.parametrize("url", ["mysql://kam:secret@db/kam", "nonsense", "postgres://db.example.com"])
def test_env_database_refuses_what_kam_does_not_run_on(monkeypatch, url):
    monkeypatch.setenv("KAM_DB", url)

    with pytest.raises(ImproperlyConfigured, match="KAM_DB"):
        env_database("KAM_DB", "sqlite:///default.sqlite3")


def test_env_database_accepts_sqlite_and_postgres(monkeypatch):
    monkeypatch.setenv("KAM_DB", "sqlite:////tmp/kam.sqlite3")
    sqlite = env_database("KAM_DB", "sqlite:///default.sqlite3")
    monkeypatch.setenv("KAM_DB", "postgres://postgres@127.0.0.1:5432/kam")
    postgres = env_database("KAM_DB", "sqlite:///default.sqlite3")

    assert (sqlite["ENGINE"], sqlite["NAME"]) == ("django.db.backends.sqlite3", "/tmp/kam.sqlite3")
    assert (postgres["ENGINE"], postgres["HOST"], postgres["PORT"], postgres["NAME"]) == (
        "django.db.backends.postgresql",
        "127.0.0.1",
        5432,
        "kam",
    )


def test_env_database_falls_back_to_the_default(monkeypatch):
    monkeypatch.delenv("KAM_DB", raising=False)

    assert env_database("KAM_DB", "sqlite:///default.sqlite3")["NAME"] == "default.sqlite3"


def test_env_redis_url_refuses_http(monkeypatch):
    monkeypatch.setenv("KAM_REDIS", "http://x")

    with pytest.raises(ImproperlyConfigured, match="KAM_REDIS"):
        env_redis_url("KAM_REDIS")


def test_env_redis_url_refuses_a_bad_port(monkeypatch):
    monkeypatch.setenv("KAM_REDIS", "redis://127.0.0.1:port/0")

    with pytest.raises(ImproperlyConfigured, match="KAM_REDIS"):
        env_redis_url("KAM_REDIS")


def test_env_redis_url_accepts_redis_and_is_empty_when_unset(monkeypatch):
    monkeypatch.setenv("KAM_REDIS", "redis://127.0.0.1:6379/0")
    assert env_redis_url("KAM_REDIS") == "redis://127.0.0.1:6379/0"
    monkeypatch.delenv("KAM_REDIS")
    assert env_redis_url("KAM_REDIS") == ""


# --- start-up of the real settings module, in a fresh interpreter ----------------------------


def start_django(**variables: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG")}
    env |= {"DJANGO_SETTINGS_MODULE": "kam.settings", **variables}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_up_fails_on_a_malformed_debug_naming_the_variable():
    result = start_django(DEBUG="maybe", SECRET_KEY="x" * 50)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG='maybe'" in result.stderr


def test_start_up_without_secret_key_fails_unless_debugging():
    result = start_django(DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_start_up_succeeds_with_debug_and_no_secret_key():
    result = start_django(DEBUG="true")

    assert result.returncode == 0, result.stderr


def test_start_up_fails_on_a_mysql_database_url():
    result = start_django(DEBUG="true", DATABASE_URL="mysql://kam:secret@db/kam")

    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_postgresql_connections_run_without_jit(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://kam@db:5432/kam")
    assert env_database("DATABASE_URL", "sqlite:///x")["OPTIONS"]["options"] == "-c jit=off"


@pytest.mark.django_db
def test_the_test_database_runs_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
