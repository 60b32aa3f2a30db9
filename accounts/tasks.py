"""Celery tasks of the account potential job: thin callers of accounts.snapshots."""

from celery import shared_task

from accounts import snapshots
from kam.jobs import JOB_TASK_OPTIONS


@shared_task(**JOB_TASK_OPTIONS)
def potential_snapshot_task() -> dict:
    """Today's snapshot of every node (nightly, and `run_jobs`)."""
    return snapshots.snapshot_all().as_dict()


@shared_task(**JOB_TASK_OPTIONS)
def potential_catch_up_task() -> dict:
    """The groups marked stale since the last run (after a change, and every few minutes)."""
    return snapshots.catch_up().as_dict()
