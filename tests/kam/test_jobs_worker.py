"""A real Celery worker, started as a process against the real Redis (REDIS_URL) and the test
database, does the jobs; a worker killed in the middle of one loses nothing and duplicates
nothing once a worker runs again.

Needs REDIS_URL and PostgreSQL (a worker process cannot open SQLite's in-memory test database):
skipped without them, failed without them in CI. Each test has a queue of its own.
"""

from datetime import date
from decimal import Decimal

import psycopg2
from django.conf import settings
from django.urls import reverse

from accounts.models import AccountSnapshot, StaleGroup
from stakeholders.models import Alert, Relationship
from stakeholders.tasks import relationship_decay_task
from tests.factories import AccountFactory, GroupFactory, ProductLineFactory, key_person
from tests.workers import Worker, wait_for

YEAR = date.today().year


def test_a_worker_computes_the_snapshot_after_figures_are_saved_on_the_page(worker, client_for, kam_user):
    group = GroupFactory(name="Nordwerk", owner=kam_user)
    energie = AccountFactory(name="Nordwerk Energie", parent=group)
    line = ProductLineFactory(code="A")
    url = f"{reverse('accounts:figures', args=[energie.pk])}?year={YEAR}"

    answer = client_for(kam_user).post(url, {f"revenue_{line.pk}": "40", f"potential_{line.pk}": "100"})

    assert answer.status_code == 302
    snapshot = wait_for(
        lambda: AccountSnapshot.objects.filter(account=group).first(), what="the group's snapshot", worker=worker
    )
    assert (snapshot.rollup_revenue, snapshot.rollup_potential) == (Decimal("40"), Decimal("100"))
    wait_for(lambda: not StaleGroup.objects.exists(), what="the outbox to empty", worker=worker)


def test_a_worker_runs_the_decay_job_and_raises_the_alerts(worker, kam_user):
    key_person(kam_user, days_since_contact=45, last_name="Late")
    key_person(kam_user, days_since_contact=90, last_name="Cold")

    outcome = relationship_decay_task.delay().get(timeout=20)

    assert (outcome["relationships"], outcome["raised"]) == (2, 2)
    assert sorted(Alert.objects.values_list("kind", flat=True)) == ["cadence_missed", "relationship_decay"]
    assert set(Relationship.objects.values_list("status", flat=True)) == {"cooling", "cold"}


def _blocked_backend(database: str) -> int | None:
    """The pid of a PostgreSQL backend of `database` waiting for a lock, if any."""
    with _connect() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", [database])
        row = cursor.fetchone()
    conn.close()
    return row[0] if row else None


def _connect():
    db = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db.get("PASSWORD") or None, host=db["HOST"], port=db["PORT"]
    )


def test_a_worker_killed_mid_job_loses_no_job_and_raises_no_duplicate(worker, kam_user):
    key_person(kam_user, days_since_contact=45, last_name="Late")
    key_person(kam_user, days_since_contact=90, last_name="Cold")
    database = settings.DATABASES["default"]["NAME"]
    # Hold the alerts table so that the job stops half-way: relationships recomputed, alerts not yet.
    lock = _connect()
    lock.cursor().execute("LOCK TABLE stakeholders_alert IN EXCLUSIVE MODE")
    try:
        result = relationship_decay_task.delay()
        stuck = wait_for(lambda: _blocked_backend(database), what="the job to reach the alerts", worker=worker)

        worker.kill()  # SIGKILL: nothing acknowledged, nothing handed back
        with _connect() as admin, admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [stuck])  # its half-done transaction rolls back
        admin.close()
    finally:
        lock.rollback()
        lock.close()
    assert not Alert.objects.exists()

    again = Worker(worker.queue, worker.log)
    again.start()
    try:
        outcome = result.get(timeout=30)  # the same job, handed out again to the new worker
        duplicate = relationship_decay_task.delay().get(timeout=20)  # and a second delivery on top
    finally:
        again.stop()

    assert outcome["raised"] == 2 and duplicate["raised"] == 0
    assert sorted(Alert.objects.values_list("kind", "stakeholder__last_name")) == [
        ("cadence_missed", "Late"),
        ("relationship_decay", "Cold"),
    ]


def test_two_workers_raising_at_once_leave_one_alert_per_cause(worker, kam_user):
    for n in range(20):
        key_person(kam_user, days_since_contact=45 + n, last_name=f"P{n:02d}")
    second = Worker(worker.queue, worker.log)
    second.start()
    try:
        results = [relationship_decay_task.delay() for _ in range(4)]
        outcomes = [result.get(timeout=30) for result in results]
    finally:
        second.stop()

    assert sum(outcome["raised"] for outcome in outcomes) == 20
    assert Alert.objects.count() == 20 and Alert.objects.open().count() == 20
