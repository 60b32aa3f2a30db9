"""Build a generated data set: remove the previous one, write the new one in one transaction,
then run the background jobs so that dashboards and alerts have something to show."""

import gc
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from kam.top import snapshots
from kam.top.generator import accounts, bulk, cleanup, contacts, people, planning, users
from kam.top.generator.world import Size, World
from stakeholders.alerts import watch

SIZES = {
    "xs": Size(groups=3, nodes=60, stakeholders=240, interactions=1_200, relationships=600, big_group=(30, 6),
               leaders=2),
    "s": Size(groups=20, nodes=1_000, stakeholders=4_000, interactions=40_000, relationships=10_000,
              big_group=(200, 8), leaders=3),
    "m": Size(groups=200, nodes=10_000, stakeholders=40_000, interactions=400_000, relationships=100_000,
              big_group=(1_000, 10), leaders=4),
    "l": Size(groups=1_000, nodes=50_000, stakeholders=200_000, interactions=2_000_000, relationships=500_000,
              big_group=(2_000, 12), leaders=5),
}  # fmt: skip
# The apps whose tables the generator loads: their foreign keys are checked once at the end.
LOADED_APPS = ("accounts", "stakeholders", "planning")
# The tables with most rows: their plain indexes are built once at the end.
BIG_TABLES = ("accounts_revenue", "accounts_potential", "stakeholders_stakeholder", "stakeholders_position",
              "stakeholders_relationship", "stakeholders_interaction", "stakeholders_interaction_stakeholders",
              "stakeholders_interaction_colleagues")  # fmt: skip
HISTORY_MONTHS = 12

Progress = Callable[[str], None]


@dataclass
class Result:
    size: str
    seed: int
    group_ids: list[int] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=dict)  # rows per table
    steps: list[tuple[str, int | None, float]] = field(default_factory=list)  # (step, rows, seconds)
    seconds: float = 0.0


class Steps:
    """Runs and times the steps, reporting each as it ends."""

    def __init__(self, result: Result, progress: Progress | None, loader: bulk.Loader) -> None:
        self.result, self.progress, self.loader = result, progress or (lambda line: None), loader

    def run(self, label: str, work: Callable[[], int | None]) -> int | None:
        clock = time.perf_counter()
        count = work()
        self.loader.flush()  # the step's last rows are written before the clock stops
        self.done(label, count, time.perf_counter() - clock)
        return count

    def done(self, label: str, count: int | None, seconds: float) -> None:
        self.result.steps.append((label, count, seconds))
        self.progress(f"{label}… {'' if count is None else f'{count:,} '}in {seconds:.1f} s")


def generate(size: str, *, seed: int = 1, jobs: bool = True, progress: Progress | None = None) -> Result:
    """Replace the generated data set by a new one of `size` (a key of SIZES) from `seed`."""
    now = timezone.now()
    world = World(SIZES[size], random.Random(seed), bulk.Loader(), now, timezone.localdate(now))
    result = Result(size=size, seed=seed)
    steps = Steps(result, progress, world.loader)
    clock = time.perf_counter()
    with transaction.atomic(), _without_garbage_collection():
        try:
            constraints = bulk.drop_foreign_keys(_loaded_tables())
            indexes = bulk.drop_indexes(BIG_TABLES)
            steps.run("removing the previous data set", cleanup.remove_generated)
            _build(world, steps)
            world.loader.flush()
        finally:
            world.loader.close()
        steps.run("building indexes", lambda: bulk.restore_indexes(indexes))
        steps.run("checking foreign keys", lambda: bulk.restore_foreign_keys(constraints))
        commit_started = time.perf_counter()
    steps.done("commit", None, time.perf_counter() - commit_started)
    result.group_ids = [group.root.id for group in world.groups]
    result.written = dict(world.loader.written)
    steps.run("analyze", lambda: bulk.analyze(result.written))
    if jobs:
        _run_jobs(result.group_ids, steps)
    result.seconds = time.perf_counter() - clock
    return result


def _build(world: World, steps: Steps) -> None:
    steps.run("product lines", lambda: accounts.ensure_product_lines(world))
    users.plan_colleagues(world)
    steps.run("generating accounts", lambda: accounts.build_groups(world))
    users.plan_regionals(world)
    steps.run("generating colleagues and their hours", lambda: users.write_colleagues(world))
    steps.run("generating account teams", lambda: users.build_teams(world))
    steps.run("generating revenue and potential", lambda: accounts.build_figures(world))
    steps.run("generating stakeholders", lambda: people.build_people(world))
    steps.run("generating influence links", lambda: people.build_links(world))
    steps.run("choosing relationships", lambda: contacts.build_relationships(world))
    steps.run("generating interactions", lambda: contacts.build_interactions(world))
    steps.run("generating gives", lambda: contacts.build_gives(world))
    steps.run("generating relationships (strength, status)", lambda: contacts.write_relationships(world))
    steps.run("generating plans", lambda: planning.build_plans(world))


@contextmanager
def _without_garbage_collection() -> Iterator[None]:
    # Millions of small tuples and objects that live until the end: the cycle collector would
    # walk them over and over (a quarter of the run) and find nothing to free.
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _loaded_tables() -> list[str]:
    return [model._meta.db_table for model in cleanup.dependants() if model._meta.app_label in LOADED_APPS]


def _run_jobs(group_ids: list[int], steps: Steps) -> None:
    """What the nightly jobs would have done: relationship strengths and alerts, today's
    snapshot, and a year of monthly snapshots for the trends."""
    steps.run("decay job (relationships, alerts)", _decay)
    # The decay job marks every group stale; without a broker its commit has already caught up.
    steps.run("today's snapshot", lambda: snapshots.catch_up().nodes)
    history = f"{HISTORY_MONTHS} months of snapshot history"
    steps.run(history, lambda: snapshots.backfill_history(group_ids, months=HISTORY_MONTHS))


def _decay() -> int:
    relationships = watch.decay_job().relationships
    # The snapshots next count open alerts: the planner should know there are some now.
    bulk.analyze(["stakeholders_relationship", "stakeholders_alert"])
    return relationships
