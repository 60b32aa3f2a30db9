"""Celery tasks of the account potential job: thin callers of kam.top.snapshots. The accounts
app enqueues the catch-up by its name (accounts.recompute.CATCH_UP_TASK)."""

from celery import shared_task

from kam.jobs import JOB_TASK_OPTIONS
from kam.top import snapshots


@shared_task(**JOB_TASK_OPTIONS)
def potential_snapshot_task() -> dict:
    """Today's snapshot of every node (nightly, and `run_jobs`)."""
    return snapshots.snapshot_all().as_dict()


@shared_task(**JOB_TASK_OPTIONS)
def potential_catch_up_task() -> dict:
    """The groups marked stale since the last run (after a change, and every few minutes)."""
    return snapshots.catch_up().as_dict()
