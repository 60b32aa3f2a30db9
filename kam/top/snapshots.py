"""The account potential job: a dated snapshot of every node's figures, for trends.

For each node of a group: own and rolled-up revenue, potential, whitespace and share of wallet
for the year (the same rules as accounts.potential), and for the group's
*untapped* nodes (no own revenue yet, but potential) their rank by whitespace: where to open
doors next ("warm acquisition"). Over each node's subtree also its relationship health: key
people and how many of them have a warm relationship, decision-makers and how many of those
do (coverage), open alerts and the last contact. One row per node and day: running the job
twice on a day updates that day's rows instead of adding more; `CurrentSnapshot` points at
each node's newest row, which is what the portfolio dashboard reads.

Set-based: one INSERT ... SELECT ... ON CONFLICT DO UPDATE per batch of groups computes every
node of those groups at once (a recursive CTE pairs each node with its whole subtree), on
PostgreSQL and SQLite alike.

The job reads every app (figures, people, relationships, alerts, contacts), so it lives on the
top floor. Changes mark their group stale in the accounts app's outbox (accounts.recompute);
`catch_up()` recomputes whatever the outbox holds, so a change made while the broker was down
is picked up by the next periodic run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Account, StaleGroup
from accounts.trends import CHART_MONTHS, months_before
from stakeholders.models import Stakeholder

# Groups per statement: big enough to be set-based, small enough to report progress and keep
# each transaction short.
BATCH_GROUPS = 250

Progress = Callable[[int, int, int], None]  # (groups done, groups in all, nodes written so far)

# The columns of a snapshot row, in the order the INSERT statements here and in kam.top.trends fill them.
SNAPSHOT_COLUMNS = """
    account_id, group_id, day, year,
    own_revenue, own_potential, own_whitespace, own_share_of_wallet,
    rollup_revenue, rollup_potential, rollup_whitespace, rollup_share_of_wallet,
    whitespace_rank, key_people, warm_key_people, decision_makers, covered_decision_makers,
    open_alerts, last_contact_at, nodes_with_revenue, rollup_revenue_by_line, computed_at
"""

_SNAPSHOT_SQL = """
WITH RECURSIVE
tree(group_id, id) AS (
    SELECT id, id FROM accounts_account
    WHERE parent_id IS NULL AND archived_at IS NULL AND id IN ({groups})
    UNION ALL
    SELECT tree.group_id, child.id FROM accounts_account child JOIN tree ON child.parent_id = tree.id
    WHERE child.archived_at IS NULL
),
-- Each node with every node of its subtree (itself included) and the share of that descendant
-- counted in the node's roll-up: a participation at its ownership share, nested ones multiplied.
-- 100.0, not 100: SQLite stores 50.00 as the integer 50, and 50 / 100 would be 0 there.
below(id, descendant_id, factor) AS (
    SELECT id, id, CAST(1 AS NUMERIC) FROM tree
    UNION ALL
    SELECT below.id, child.id, CAST(below.factor * CASE WHEN child.kind = 'participation'
        THEN child.ownership_share / 100.0 ELSE 1 END AS NUMERIC)
    FROM accounts_account child JOIN below ON child.parent_id = below.descendant_id
    WHERE child.archived_at IS NULL
),
cells(account_id, product_line_id, revenue, potential) AS (
    SELECT account_id, product_line_id, amount, 0 FROM accounts_revenue
    WHERE year = %s AND account_id IN (SELECT id FROM tree)
    UNION ALL
    SELECT account_id, product_line_id, 0, amount FROM accounts_potential
    WHERE year = %s AND account_id IN (SELECT id FROM tree)
),
lines(account_id, product_line_id, revenue, potential, whitespace) AS (
    SELECT account_id, product_line_id, SUM(revenue), SUM(potential),
           CASE WHEN SUM(potential) > SUM(revenue) THEN SUM(potential) - SUM(revenue) ELSE 0 END
    FROM cells GROUP BY account_id, product_line_id
),
own(account_id, revenue, potential, whitespace) AS (
    SELECT account_id, SUM(revenue), SUM(potential), SUM(whitespace) FROM lines GROUP BY account_id
),
-- Whether each person has a warm relationship: one probe of the (stakeholder, status) index per
-- person, a plan that does not hang on how many relationships the statistics believe are warm
-- (right after the decay job has moved thousands, they are often far off).
person(account_id, key_person, decider, warm) AS (
    SELECT s.account_id,
           CASE WHEN {key_person} THEN 1 ELSE 0 END,
           CASE WHEN s.buying_role IN ({decider_roles}) THEN 1 ELSE 0 END,
           CASE WHEN (SELECT 1 FROM stakeholders_relationship r
                      WHERE r.stakeholder_id = s.id AND r.status = 'warm' LIMIT 1) IS NULL THEN 0 ELSE 1 END
    FROM stakeholders_stakeholder s
    WHERE s.account_id IN (SELECT id FROM tree)
),
people(account_id, key_people, warm_key_people, decision_makers, covered_decision_makers) AS (
    SELECT account_id, SUM(key_person), SUM(key_person * warm), SUM(decider), SUM(decider * warm)
    FROM person GROUP BY account_id
),
-- The newest contact of each node: one step down the (account, -occurred_at) index, not a scan.
contacts(account_id, last_contact_at) AS (
    SELECT tree.id, (
        SELECT i.occurred_at FROM stakeholders_interaction i
        WHERE i.account_id = tree.id ORDER BY i.occurred_at DESC LIMIT 1
    ) FROM tree
),
alerting(account_id, open_alerts) AS (
    SELECT account_id, COUNT(*) FROM stakeholders_alert
    WHERE resolved_at IS NULL AND account_id IN (SELECT id FROM tree) GROUP BY account_id
),
-- Everything known about each node on its own ...
facts AS (
    SELECT tree.id AS account_id,
           COALESCE(own.revenue, 0) AS revenue, COALESCE(own.potential, 0) AS potential,
           COALESCE(own.whitespace, 0) AS whitespace,
           COALESCE(people.key_people, 0) AS key_people, COALESCE(people.warm_key_people, 0) AS warm_key_people,
           COALESCE(people.decision_makers, 0) AS decision_makers,
           COALESCE(people.covered_decision_makers, 0) AS covered_decision_makers,
           COALESCE(alerting.open_alerts, 0) AS open_alerts, contacts.last_contact_at,
           CASE WHEN own.revenue > 0 THEN 1 ELSE 0 END AS with_revenue
    FROM tree
    LEFT JOIN own ON own.account_id = tree.id
    LEFT JOIN people ON people.account_id = tree.id
    LEFT JOIN contacts ON contacts.account_id = tree.id
    LEFT JOIN alerting ON alerting.account_id = tree.id
),
-- ... and over its subtree: amounts at the participation factor, people and alerts whole.
rolled AS (
    SELECT below.id, SUM(f.revenue * below.factor) AS revenue, SUM(f.potential * below.factor) AS potential,
           SUM(f.whitespace * below.factor) AS whitespace,
           SUM(f.key_people) AS key_people, SUM(f.warm_key_people) AS warm_key_people,
           SUM(f.decision_makers) AS decision_makers, SUM(f.covered_decision_makers) AS covered_decision_makers,
           SUM(f.open_alerts) AS open_alerts, MAX(f.last_contact_at) AS last_contact_at,
           SUM(f.with_revenue) AS nodes_with_revenue
    FROM below JOIN facts f ON f.account_id = below.descendant_id
    GROUP BY below.id
),
-- Revenue per product line over each subtree (for plan objectives on one product line).
line_rollups(id, product_line_id, revenue) AS (
    SELECT below.id, lines.product_line_id, SUM(lines.revenue * below.factor)
    FROM below JOIN lines ON lines.account_id = below.descendant_id
    WHERE lines.revenue > 0
    GROUP BY below.id, lines.product_line_id
),
by_line(id, revenue_by_line) AS (
    SELECT id, {json_object}(CAST(product_line_id AS TEXT), CAST(ROUND(revenue, 2) AS TEXT))
    FROM line_rollups GROUP BY id
),
figures AS (
    SELECT tree.group_id, tree.id,
           ROUND(f.revenue, 2) AS own_revenue,
           ROUND(f.potential, 2) AS own_potential,
           ROUND(f.whitespace, 2) AS own_whitespace,
           ROUND(rolled.revenue, 2) AS rollup_revenue,
           ROUND(rolled.potential, 2) AS rollup_potential,
           ROUND(rolled.whitespace, 2) AS rollup_whitespace,
           rolled.key_people, rolled.warm_key_people, rolled.decision_makers, rolled.covered_decision_makers,
           rolled.open_alerts, rolled.last_contact_at, rolled.nodes_with_revenue,
           {revenue_by_line} AS rollup_revenue_by_line
    FROM tree
    JOIN facts f ON f.account_id = tree.id
    JOIN rolled ON rolled.id = tree.id
    LEFT JOIN by_line ON by_line.id = tree.id
),
ranked AS (
    SELECT figures.*,
           CASE WHEN own_revenue = 0 AND own_whitespace > 0 THEN ROW_NUMBER() OVER (
               PARTITION BY group_id, CASE WHEN own_revenue = 0 AND own_whitespace > 0 THEN 1 ELSE 0 END
               ORDER BY own_whitespace DESC, id
           ) END AS whitespace_rank
    FROM figures
)
INSERT INTO accounts_accountsnapshot ({columns})
SELECT id, group_id, %s, %s,
       own_revenue, own_potential, own_whitespace,
       CASE WHEN own_potential > 0 THEN ROUND(own_revenue * 1.0 / own_potential, 4) END,
       rollup_revenue, rollup_potential, rollup_whitespace,
       CASE WHEN rollup_potential > 0 THEN ROUND(rollup_revenue * 1.0 / rollup_potential, 4) END,
       whitespace_rank, key_people, warm_key_people, decision_makers, covered_decision_makers,
       open_alerts, last_contact_at, nodes_with_revenue, rollup_revenue_by_line, %s
FROM ranked
WHERE 1 = 1  -- SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT
ON CONFLICT (account_id, day) DO UPDATE SET
    group_id = excluded.group_id,
    year = excluded.year,
    own_revenue = excluded.own_revenue,
    own_potential = excluded.own_potential,
    own_whitespace = excluded.own_whitespace,
    own_share_of_wallet = excluded.own_share_of_wallet,
    rollup_revenue = excluded.rollup_revenue,
    rollup_potential = excluded.rollup_potential,
    rollup_whitespace = excluded.rollup_whitespace,
    rollup_share_of_wallet = excluded.rollup_share_of_wallet,
    whitespace_rank = excluded.whitespace_rank,
    key_people = excluded.key_people,
    warm_key_people = excluded.warm_key_people,
    decision_makers = excluded.decision_makers,
    covered_decision_makers = excluded.covered_decision_makers,
    open_alerts = excluded.open_alerts,
    last_contact_at = excluded.last_contact_at,
    nodes_with_revenue = excluded.nodes_with_revenue,
    rollup_revenue_by_line = excluded.rollup_revenue_by_line,
    computed_at = excluded.computed_at
-- Two runs at once: the later one's figures win, whichever finishes last.
WHERE excluded.computed_at >= accounts_accountsnapshot.computed_at
"""

# Who counts as a key person and as a decider: the same rules as Stakeholder.KEY_PERSON and the
# coverage on the account page.
_KEY_PERSON_SQL = Stakeholder.key_person_sql("s")
_DECIDER_ROLES_SQL = ", ".join(f"'{role}'" for role in Stakeholder.DECIDER_ROLES)

# The JSON object of revenue per product line: its aggregate and its column value, per database.
_JSON_SQL = {
    "postgresql": ("json_object_agg", "CAST(COALESCE(by_line.revenue_by_line, '{}') AS jsonb)"),
    "sqlite": ("json_group_object", "COALESCE(by_line.revenue_by_line, '{}')"),
}

# Today's rows of the processed groups that this run did not write: nodes archived (or moved to
# another group) since the day's earlier run; first whatever points at them as current.
_LEFTOVERS = "SELECT id FROM accounts_accountsnapshot WHERE day = %s AND group_id IN ({groups}) AND computed_at < %s"
_DROP_LEFTOVER_POINTERS_SQL = f"DELETE FROM accounts_currentsnapshot WHERE snapshot_id IN ({_LEFTOVERS})"
_DROP_LEFTOVERS_SQL = f"DELETE FROM accounts_accountsnapshot WHERE id IN ({_LEFTOVERS})"

# The day's rows become their nodes' current ones, unless a node already has a newer day (a run
# for a past day never moves the pointer back).
_POINT_TO_CURRENT_SQL = """
INSERT INTO accounts_currentsnapshot (account_id, snapshot_id, day)
SELECT account_id, id, day FROM accounts_accountsnapshot WHERE day = %s AND group_id IN ({groups})
ON CONFLICT (account_id) DO UPDATE SET snapshot_id = excluded.snapshot_id, day = excluded.day
WHERE excluded.day >= accounts_currentsnapshot.day
"""


@dataclass
class SnapshotRun:
    day: date
    groups: int = 0
    nodes: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"day": self.day.isoformat(), "groups": self.groups, "nodes": self.nodes, "seconds": self.seconds}


def snapshot_all(*, day: date | None = None, progress: Progress | None = None) -> SnapshotRun:
    """Today's snapshot of every node of every active group (the nightly run)."""
    started = timezone.now()
    group_ids = list(Account.objects.roots().active().order_by("pk").values_list("pk", flat=True))
    run = snapshot_groups(group_ids, day=day, progress=progress)
    # Everything asked for before this run began is done now.
    StaleGroup.objects.filter(requested_at__lte=started).delete()
    return run


def catch_up(*, day: date | None = None, progress: Progress | None = None) -> SnapshotRun:
    """Recompute the groups in the outbox; what is marked while this runs stays for the next run."""
    started = timezone.now()
    group_ids = list(StaleGroup.objects.filter(requested_at__lte=started).values_list("group_id", flat=True))
    if not group_ids:
        return SnapshotRun(day=day or timezone.localdate())
    StaleGroup.objects.filter(group_id__in=group_ids).update(started_at=started)
    run = snapshot_groups(group_ids, day=day, progress=progress)
    StaleGroup.objects.filter(group_id__in=group_ids, requested_at__lte=started).delete()
    return run


def snapshot_groups(
    group_ids: Iterable[int], *, day: date | None = None, progress: Progress | None = None
) -> SnapshotRun:
    """Write `day`'s snapshot (default today; figures of that day's year) of every node of the
    given top-level groups; ids of anything else are ignored. Returns what was done."""
    day = day or timezone.localdate()
    ids = sorted(set(group_ids))
    run = SnapshotRun(day=day)
    clock = time.monotonic()
    for start in range(0, len(ids), BATCH_GROUPS):
        batch = ids[start : start + BATCH_GROUPS]
        run.nodes += _snapshot_batch(batch, day, timezone.now())
        run.groups += len(batch)
        if progress:
            progress(run.groups, len(ids), run.nodes)
    run.seconds = round(time.monotonic() - clock, 3)
    return run


def _snapshot_batch(group_ids: list[int], day: date, computed_at: datetime) -> int:
    groups = ", ".join(["%s"] * len(group_ids))
    day_param = connection.ops.adapt_datefield_value(day)
    at_param = connection.ops.adapt_datetimefield_value(computed_at)
    with transaction.atomic(), connection.cursor() as cursor:
        json_object, revenue_by_line = _JSON_SQL[connection.vendor]
        sql = _SNAPSHOT_SQL.format(
            columns=SNAPSHOT_COLUMNS,
            groups=groups,
            key_person=_KEY_PERSON_SQL,
            decider_roles=_DECIDER_ROLES_SQL,
            json_object=json_object,
            revenue_by_line=revenue_by_line,
        )
        cursor.execute(sql, [*group_ids, day.year, day.year, day_param, day.year, at_param])
        written = _changed_rows(cursor)
        for leftovers in (_DROP_LEFTOVER_POINTERS_SQL, _DROP_LEFTOVERS_SQL):
            cursor.execute(leftovers.format(groups=groups), [day_param, *group_ids, at_param])
        cursor.execute(_POINT_TO_CURRENT_SQL.format(groups=groups), [day_param, *group_ids])
    return written


def _changed_rows(cursor) -> int:
    if connection.vendor == "sqlite":
        # Python's sqlite3 reports no row count for a statement that starts with WITH.
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]
    return cursor.rowcount


# --- a made-up past, for demo and generated data only --------------------------------------------

# k months back each group's revenue was lower by its own monthly growth (between -1 % and +3 %,
# from its id) with a wobble per month; potential grew by 0.4 % a month; the number of warm key
# people rose, fell or stayed by one every four months. Deterministic: the same data gives the
# same history.
_BACKFILL_SQL = """
INSERT INTO accounts_accountsnapshot ({columns})
SELECT account_id, group_id, %(day)s, %(year)s,
       ROUND(own_revenue * rf, 2), ROUND(own_potential * pf, 2), ROUND(own_whitespace * pf, 2),
       CASE WHEN own_potential > 0 THEN ROUND(own_revenue * rf / (own_potential * pf), 4) END,
       ROUND(rollup_revenue * rf, 2), ROUND(rollup_potential * pf, 2), ROUND(rollup_whitespace * pf, 2),
       CASE WHEN rollup_potential > 0 THEN ROUND(rollup_revenue * rf / (rollup_potential * pf), 4) END,
       NULL, key_people,
       CASE WHEN warm_key_people + wobble < 0 THEN 0
            WHEN warm_key_people + wobble > key_people THEN key_people
            ELSE warm_key_people + wobble END,
       decision_makers, covered_decision_makers, open_alerts, NULL, nodes_with_revenue, rollup_revenue_by_line,
       %(computed_at)s
FROM (
    SELECT s.*,
           CAST(1 - %(k)s * ((s.group_id * 7919) %% 41 - 10) / 1000.0
                + ((s.group_id * 31 + %(k)s * 17) %% 7 - 3) / 200.0 AS NUMERIC) AS rf,
           CAST(1 - %(k)s * 0.004 AS NUMERIC) AS pf,
           -CAST(%(k)s * ((s.group_id %% 3) - 1) / 4 AS INTEGER) AS wobble
    FROM accounts_accountsnapshot s JOIN accounts_currentsnapshot c ON c.snapshot_id = s.id
    WHERE s.group_id IN ({groups})
) current_rows
WHERE 1 = 1  -- SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT
ON CONFLICT (account_id, day) DO NOTHING
"""


def backfill_history(group_ids: list[int], *, months: int = CHART_MONTHS) -> None:
    """Invent snapshots for the first day of each of the last `months` months from the current
    ones of these groups' nodes, where none exist (real history always wins). For seed_demo and
    generate_data only: a fresh installation then has trends to show."""
    ids = sorted({int(pk) for pk in group_ids})
    if not ids:
        return
    first = timezone.localdate().replace(day=1)
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = _BACKFILL_SQL.format(columns=SNAPSHOT_COLUMNS, groups=", ".join(str(pk) for pk in ids))
    with transaction.atomic(), connection.cursor() as cursor:
        for k in range(1, months + 1):
            day = months_before(first, k)
            params = {"day": connection.ops.adapt_datefield_value(day), "year": day.year, "k": k, "computed_at": at}
            cursor.execute(sql, params)
