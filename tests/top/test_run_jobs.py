"""`manage.py run_jobs`: both jobs in this process with progress; `--enqueue` on the workers,
with a clear message when no worker answers."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AccountSnapshot
from stakeholders.models import Alert
from tests.factories import GroupFactory, ProductLineFactory, bulk_tree, key_person


def run_jobs(*args) -> str:
    out = StringIO()
    call_command("run_jobs", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data(kam_user):
    group = GroupFactory(name="Nordwerk", owner=kam_user)
    bulk_tree(group, size=12, product_line=ProductLineFactory(code="A"), year=2026)
    key_person(kam_user, account=group, days_since_contact=45)
    return group


def test_run_jobs_runs_both_jobs_here_with_progress(data):
    output = run_jobs()

    assert "potential: 1/1 groups, 12 nodes" in output
    assert "potential: done, 12 nodes in 1 groups" in output
    assert "decay: 1 relationships recomputed" in output
    assert "decay: done, 1 relationships, 1 alerts raised, 0 resolved" in output
    assert AccountSnapshot.objects.count() == 12 and Alert.objects.count() == 1


def test_running_the_jobs_twice_on_a_day_changes_nothing_more(data):
    run_jobs()

    output = run_jobs()

    assert "0 alerts raised" in output
    assert AccountSnapshot.objects.count() == 12 and Alert.objects.count() == 1


def test_one_job_by_name(data):
    output = run_jobs("decay")

    assert "potential" not in output and Alert.objects.count() == 1 and not AccountSnapshot.objects.exists()


def test_an_unknown_job_is_refused(db):
    with pytest.raises(CommandError, match="Unknown job nightly"):
        run_jobs("nightly")


def test_enqueue_without_a_broker_says_to_run_here(db):
    # The suite runs tasks eagerly, like the embedded default without REDIS_URL.
    with pytest.raises(CommandError, match="REDIS_URL is unset"):
        run_jobs("--enqueue")


def test_enqueue_with_no_worker_on_the_queue_says_so_and_queues_nothing(real_broker, db):
    with pytest.raises(CommandError, match=f"No Celery worker answered for the queue '{real_broker}'"):
        run_jobs("--enqueue", "--queue", real_broker, "--timeout", "5")


def test_enqueue_with_redis_down_says_so(dead_broker, db):
    with pytest.raises(CommandError, match="Could not reach the broker"):
        run_jobs("--enqueue")


def test_enqueue_hands_both_jobs_to_a_worker_and_waits_for_them(worker, data):
    output = run_jobs("--enqueue", "--queue", worker.queue, "--timeout", "30")

    assert f"workers on '{worker.queue}'" in output
    assert "potential: done on a worker" in output and "decay: done on a worker" in output
    assert AccountSnapshot.objects.count() == 12 and Alert.objects.count() == 1
