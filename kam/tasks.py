"""The base's own job: emptying the trash of what has expired."""

from kam.celery import app
from kam.jobs import JOB_TASK_OPTIONS
from kam.lib.trash import purge_expired


@app.task(**JOB_TASK_OPTIONS)
def purge_trash_task() -> int:
    return purge_expired()
