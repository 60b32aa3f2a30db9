"""What every background job shares: the retry policy of its task, and how the web hands work
to the workers without ever waiting on the broker.

The rule: a request writes its change *and* a durable note of the work still to do (an
outbox row such as accounts.StaleGroup) in one transaction, and only after the commit tries
to wake a worker. If Redis is down the attempt fails at once, is logged, and the request
answers as usual; the periodic job (Celery beat, or `manage.py run_jobs`) picks the work up
from the outbox later. Nothing is lost, and nobody waits.
"""

import logging
from functools import partial
from importlib import import_module

from celery import Task
from django.db import InterfaceError, OperationalError, transaction

from kam.celery import app

logger = logging.getLogger(__name__)

# Options of every job task: acknowledged only when done (a worker lost mid-job leaves the
# message to be redelivered; the jobs are idempotent, so running one twice is harmless), and
# retried with exponential backoff and jitter when the database is briefly unavailable or a
# concurrent run deadlocks.
JOB_TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}

# For a publish from a web request: one connection attempt, given up after half a second, so a
# dead or unreachable Redis costs the request nothing noticeable.
_FAIL_FAST = {"max_retries": 0, "socket_connect_timeout": 0.5, "socket_timeout": 1.0}


def enqueue_on_commit(task: Task | str, **kwargs) -> None:
    """Send `task` (a task or its name) after the current transaction commits (at once outside
    one); never raises. Call it next to the outbox write that makes the work durable. A lower app
    names a task of a higher floor by its name, so that it need not import it."""
    transaction.on_commit(partial(send_now, task, **kwargs))


def send_now(task: Task | str, **kwargs) -> bool:
    """Try to queue `task` (run it in-process when tasks are eager). False when the broker
    could not be reached or the eager run failed; the outbox still holds the work."""
    try:
        task = registered_task(task) if isinstance(task, str) else task
        with app.connection_for_write(transport_options=_FAIL_FAST) as connection:
            # No result is kept: pages follow the progress in the database, not in Redis.
            task.apply_async(kwargs=kwargs, connection=connection, retry=False, ignore_result=True)
    except Exception:  # whatever the broker says, the request must go on
        name = task if isinstance(task, str) else task.name
        logger.warning("Could not queue %s; the periodic job will catch up.", name, exc_info=True)
        return False
    return True


def registered_task(name: str) -> Task:
    """The task called `name` ("package.tasks.function_task"), importing its module on first use
    (a worker loads every tasks module at start; a web process only what it needs)."""
    if name not in app.tasks:
        import_module(name.rsplit(".", 1)[0])
    return app.tasks[name]
