"""Run the periodic jobs now: in this process (the default), or on the Celery workers."""

import time

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kam.celery import app
from kam.lib.trash import purge_expired
from kam.tasks import purge_trash_task
from kam.top import snapshots
from kam.top.tasks import potential_snapshot_task
from stakeholders.alerts import digest, watch
from stakeholders.tasks import alert_digest_task, relationship_decay_task

JOBS = {
    "potential": potential_snapshot_task,
    "decay": relationship_decay_task,
    "digest": alert_digest_task,
    "purge": purge_trash_task,
}
DEFAULT_JOBS = ["potential", "decay"]
# A broker that is down should be reported at once, not after kombu's patient retries.
_TRY_ONCE = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "socket_connect_timeout": 2}


class Command(BaseCommand):
    help = (
        "Run the account potential job (a dated snapshot of every node) and the relationship decay job "
        "(strengths, alerts) now. With --enqueue, hand them to the Celery workers and wait for them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "jobs", nargs="*", metavar="JOB", help="potential, decay, digest, purge (default: potential decay)"
        )
        parser.add_argument("--enqueue", action="store_true", help="send the jobs to the Celery workers and wait")
        parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the workers (default 600)")
        parser.add_argument("--queue", default=None, help="the queue to send to (default: CELERY_QUEUE, 'celery')")

    def handle(self, *args, jobs: list[str], enqueue: bool, timeout: float, queue: str | None, **options) -> None:
        unknown = sorted(set(jobs) - set(JOBS))
        if unknown:
            raise CommandError(f"Unknown job {', '.join(unknown)}: choose from {', '.join(JOBS)}.")
        jobs = list(dict.fromkeys(jobs)) or DEFAULT_JOBS
        if enqueue:
            self._enqueue(jobs, timeout=timeout, queue=queue or settings.CELERY_TASK_DEFAULT_QUEUE)
            return
        for name in jobs:
            getattr(self, f"_run_{name}")()

    # --- in this process -------------------------------------------------------------------

    def _run_potential(self) -> None:
        self.stdout.write("potential: today's snapshot of every node…")

        def progress(done: int, total: int, nodes: int) -> None:
            self.stdout.write(f"potential: {done:,}/{total:,} groups, {nodes:,} nodes")

        run = snapshots.snapshot_all(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"potential: done, {run.nodes:,} nodes in {run.groups:,} groups in {run.seconds:.1f} s")
        )

    def _run_decay(self) -> None:
        self.stdout.write("decay: recomputing every relationship…")
        run = watch.decay_job(progress=lambda line: self.stdout.write(f"decay: {line}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"decay: done, {run.relationships:,} relationships, {run.raised:,} alerts raised, "
                f"{run.resolved:,} resolved in {run.seconds:.1f} s"
            )
        )

    def _run_purge(self) -> None:
        purged = purge_expired()
        self.stdout.write(self.style.SUCCESS(f"purge: {purged:,} rows removed from the trash for good"))

    def _run_digest(self) -> None:
        sent = digest.send_digests()
        self.stdout.write(self.style.SUCCESS(f"digest: {sent:,} mails sent"))

    # --- on the workers --------------------------------------------------------------------

    def _enqueue(self, jobs: list[str], *, timeout: float, queue: str) -> None:
        if app.conf.task_always_eager:
            raise CommandError(
                "No broker is configured (REDIS_URL is unset), so there are no workers: run without --enqueue."
            )
        self._check_a_worker_listens(queue)
        started = time.monotonic()
        try:
            sent = {name: JOBS[name].apply_async(queue=queue) for name in jobs}
        except Exception as error:  # the broker went away between the check and the send
            raise CommandError(f"Could not queue the jobs on {_broker()}: {error}") from error
        for name, result in sent.items():
            self.stdout.write(f"{name}: queued as {result.id} on '{queue}', waiting…")
        for name, result in sent.items():
            left = max(timeout - (time.monotonic() - started), 0.1)
            try:
                outcome = result.get(timeout=left, propagate=True)
            except CeleryTimeout:
                raise CommandError(
                    f"{name}: no worker finished it within {timeout:.0f} s. It stays queued on '{queue}' and runs "
                    "when a worker takes it; check the workers (`celery -A kam inspect active`)."
                ) from None
            self.stdout.write(self.style.SUCCESS(f"{name}: done on a worker: {outcome}"))

    def _check_a_worker_listens(self, queue: str) -> None:
        try:
            with app.connection_for_write(transport_options=_TRY_ONCE) as connection:
                replies = app.control.inspect(timeout=2.0, connection=connection).active_queues() or {}
        except Exception as error:
            raise CommandError(f"Could not reach the broker at {_broker()}: {error}") from error
        listening = [worker for worker, queues in replies.items() if any(q["name"] == queue for q in queues)]
        if not listening:
            raise CommandError(
                f"No Celery worker answered for the queue '{queue}' within 2 s, so nothing was queued. "
                "Start one (`make worker`, or `celery -A kam worker`), or run the jobs here without --enqueue."
            )
        self.stdout.write(f"workers on '{queue}': {', '.join(sorted(listening))}")


def _broker() -> str:
    # The URL without a password, for messages.
    return app.connection_for_write().as_uri()
