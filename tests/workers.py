"""Fixtures for the background jobs: the Celery app pointed at a real or a dead broker, and a
real Celery worker process working on the test database (tests/conftest.py makes the fixtures
available to every test)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from kam.celery import app

PROJECT = Path(__file__).resolve().parents[1]
DEAD_REDIS = "redis://127.0.0.1:6390/0"  # nothing listens there


# --- the Celery app's configuration --------------------------------------------------------------


def _drop_connections() -> None:
    # The app caches its broker pool, producer pool, queue declarations and result backend;
    # forget them so that the next use reads the changed configuration (kombu keeps one pool per
    # broker URL, so the pools themselves stay open for the next test with that URL).
    app._pool = None
    app.__dict__.pop("amqp", None)
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@contextmanager
def celery_config(**changes):
    saved = {key: app.conf[key] for key in changes}
    app.conf.update(changes)
    _drop_connections()
    try:
        yield app
    finally:
        app.conf.update(saved)
        _drop_connections()


@pytest.fixture
def dead_broker():
    """Celery as in production (not eager), with its broker and result store unreachable."""
    with celery_config(broker_url=DEAD_REDIS, result_backend=DEAD_REDIS, task_always_eager=False) as celery:
        yield celery


def require_redis() -> str:
    """The Redis of the test environment: CI must have one; elsewhere its absence skips."""
    url = settings.REDIS_URL
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but REDIS_URL is unset: the worker tests need the real Redis.")
        pytest.skip("REDIS_URL is unset: no real broker to test against")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"REDIS_URL={url} is set but Redis does not answer: {error}")
    return url


def require_worker_database() -> None:
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the tests run on SQLite: the worker tests need PostgreSQL.")
        pytest.skip("a worker process cannot open the in-memory SQLite test database; run on PostgreSQL")


@pytest.fixture
def queue_name():
    return f"kam-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def real_broker(queue_name):
    """Celery sending to the real Redis, on a queue of this test's own."""
    url = require_redis()
    with celery_config(broker_url=url, result_backend=url, task_always_eager=False, task_default_queue=queue_name):
        yield queue_name
    redis.Redis.from_url(url).delete(queue_name)


# --- a real worker ----------------------------------------------------------------------------------


class Worker:
    """`celery -A kam worker` in a subprocess, on the test database and one queue."""

    def __init__(self, queue: str, log: Path):
        self.queue = queue
        self.log = log
        self.process: subprocess.Popen | None = None
        self.name = f"{queue}-{uuid.uuid4().hex[:6]}@test"

    def start(self, timeout: float = 30) -> None:
        db = settings.DATABASES["default"]
        database_url = (
            f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{db['NAME']}"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url,  # the test database, by its test name
            "REDIS_URL": settings.REDIS_URL,
            # A job held by a killed worker is handed out again after a second, not an hour.
            "CELERY_VISIBILITY_TIMEOUT": "1",
        }
        command = [
            sys.executable, "-m", "celery", "-A", "kam", "worker", "--pool=solo", "--concurrency=1",
            "--queues", self.queue, "--hostname", self.name, "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"The worker exited at start:\n{self.output()}")
            if any(self.name in reply for reply in app.control.ping(destination=[self.name], timeout=0.5)):
                return
        self.stop()
        pytest.fail(f"The worker did not answer within {timeout} s:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, nothing acknowledged, nothing handed back."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]


@pytest.fixture
def worker(real_broker, transactional_db, tmp_path):
    """A running worker for this test, on the test database and the test's queue."""
    require_worker_database()
    running = Worker(real_broker, tmp_path / "worker.log")
    running.start()
    yield running
    running.stop()


def wait_for(condition, *, timeout: float = 20, what: str = "the job", worker: Worker | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    log = f"\nworker log:\n{worker.output()}" if worker else ""
    pytest.fail(f"Gave up waiting for {what} after {timeout} s.{log}")
