"""Celery tasks of the relationship decay job and the alert digest: thin callers."""

from celery import shared_task

from kam.jobs import JOB_TASK_OPTIONS
from stakeholders.alerts import digest, watch


@shared_task(**JOB_TASK_OPTIONS)
def relationship_decay_task() -> dict:
    """Every relationship's strength and status as of now; alerts raised and resolved."""
    return watch.decay_job().as_dict()


@shared_task(**JOB_TASK_OPTIONS)
def alert_digest_task() -> int:
    """The daily mail to every relationship owner with open alerts; returns how many went out."""
    return digest.send_digests()
