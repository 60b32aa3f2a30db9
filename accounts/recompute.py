"""A group's snapshot going stale and being recomputed, as the accounts app sees it.

Changes that move figures or health (a saved revenue, a move in the hierarchy, a logged contact,
a person's new role, a resolved alert) call `mark_stale()` in their own transaction: the group
lands in the outbox (StaleGroup) and a worker is woken after the commit. The job itself (the
snapshot of every node, kam/top/snapshots.py) reads every app, so it lives on the top floor;
this module names it only by its task name. `recompute_status()` is what the account page shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

from accounts.models import Account, AccountSnapshot, StaleGroup
from kam.jobs import enqueue_on_commit
from kam.models import User
from kam.visibility import restrict_to_visible

# The potential job's catch-up run (kam/top/tasks.py), which empties the outbox.
CATCH_UP_TASK = "kam.top.tasks.potential_catch_up_task"

_MARK_STALE_SQL = """
WITH RECURSIVE up(id, parent_id) AS (
    SELECT id, parent_id FROM accounts_account WHERE id IN ({accounts})
    UNION
    SELECT a.id, a.parent_id FROM accounts_account a JOIN up ON a.id = up.parent_id
)
INSERT INTO accounts_stalegroup (group_id, requested_at, started_at)
SELECT id, %s, NULL FROM up WHERE parent_id IS NULL
ON CONFLICT (group_id) DO UPDATE SET requested_at = excluded.requested_at, started_at = NULL
"""


def mark_stale(account_ids: Iterable[int]) -> None:
    """Note in the caller's transaction that the groups of these accounts need a new snapshot,
    and wake a worker once it commits (without waiting for one: see kam.jobs)."""
    ids = sorted({int(pk) for pk in account_ids if pk is not None})
    if not ids:
        return
    at_param = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_MARK_STALE_SQL.format(accounts=", ".join(["%s"] * len(ids))), [*ids, at_param])
    enqueue_on_commit(CATCH_UP_TASK)


# --- what the account page shows ---------------------------------------------------------------


@dataclass(frozen=True)
class RecomputeStatus:
    """Where a group's snapshot stands: `queued` (waiting for a worker), `running`, `done`, or
    `never` computed."""

    state: str
    requested_at: datetime | None = None
    started_at: datetime | None = None
    computed_at: datetime | None = None
    day: date | None = None
    nodes: int = 0
    untapped: list[AccountSnapshot] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return self.state in ("queued", "running")

    @property
    def step(self) -> int:
        """For a progress bar of three steps: queued 1, running 2, done 3."""
        return {"queued": 1, "running": 2, "done": 3}.get(self.state, 0)


UNTAPPED_SHOWN = 5


def recompute_status(group: Account, *, user: User) -> RecomputeStatus:
    """The snapshot state of `group` (a top-level group) and, once computed, its most
    attractive untapped nodes among those `user` may see. At most four queries."""
    mark = StaleGroup.objects.filter(group=group).first()
    latest = AccountSnapshot.objects.filter(account=group).order_by("-day").first()
    pending = {}
    if mark is not None:
        pending = {
            "state": "running" if mark.started_at else "queued",
            "requested_at": mark.requested_at,
            "started_at": mark.started_at,
        }
    if latest is None:
        return RecomputeStatus(**({"state": "never"} | pending))
    rows = AccountSnapshot.objects.filter(group=group, day=latest.day)
    untapped = restrict_to_visible(rows.filter(whitespace_rank__isnull=False), user, "account")
    untapped = untapped.select_related("account").order_by("whitespace_rank")
    return RecomputeStatus(
        **(
            {
                "state": "done",
                "computed_at": latest.computed_at,
                "day": latest.day,
                "nodes": rows.count(),
                "untapped": list(untapped[:UNTAPPED_SHOWN]),
            }
            | pending
        )
    )
