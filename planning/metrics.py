"""Objective values that fill themselves from CRM data, over the plan account's subtree.

- revenue (all product lines, or one): the plan year's revenue rows of every node below the
  plan's account, participations counted at their ownership share (the same consolidation as
  the account page's roll-up, accounts.potential);
- warm decision-makers: decision-makers and economic buyers in the subtree with at least one
  warm relationship on our side;
- accounts with revenue: nodes of the subtree with revenue above zero in the plan year.

Each metric is one set-based query for any number of plans, so a page of objectives costs at
most three queries however many plans and nodes are behind it.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection

from accounts.hierarchy import WEIGHTED_SUBTREES_SQL
from kam.lib.numbers import round_cents
from planning.models import Objective
from stakeholders.models import Relationship, Stakeholder

Metric = Objective.Metric


_REVENUE_SQL = (
    WEIGHTED_SUBTREES_SQL
    + """
SELECT sub.root_id, r.year, r.product_line_id, SUM(r.amount * sub.factor)
FROM sub JOIN accounts_revenue r ON r.account_id = sub.id
WHERE r.year IN ({years})
GROUP BY sub.root_id, r.year, r.product_line_id
"""
)

_NODES_WITH_REVENUE_SQL = (
    WEIGHTED_SUBTREES_SQL
    + """
SELECT sub.root_id, r.year, COUNT(DISTINCT sub.id)
FROM sub JOIN accounts_revenue r ON r.account_id = sub.id
WHERE r.year IN ({years}) AND r.amount > 0
GROUP BY sub.root_id, r.year
"""
)

_WARM_DECIDERS_SQL = (
    WEIGHTED_SUBTREES_SQL
    + """
SELECT sub.root_id, COUNT(DISTINCT s.id)
FROM sub JOIN stakeholders_stakeholder s ON s.account_id = sub.id
WHERE s.buying_role IN ({roles})
  AND EXISTS (SELECT 1 FROM stakeholders_relationship rel WHERE rel.stakeholder_id = s.id AND rel.status = %s)
GROUP BY sub.root_id
"""
)

_REVENUE_METRICS = (Metric.REVENUE_TOTAL, Metric.REVENUE_PRODUCT_LINE)


# The metrics that the potential job's snapshot holds for the snapshot's year, by the same rules
# (and the revenue per product line, in rollup_revenue_by_line).
_SNAPSHOT_FIELDS = {
    Metric.REVENUE_TOTAL: "rollup_revenue",
    Metric.WARM_DECISION_MAKERS: "covered_decision_makers",
    Metric.NODES_WITH_REVENUE: "nodes_with_revenue",
}


def attach_values(objectives: Iterable[Objective], *, current: dict | None = None) -> list[Objective]:
    """Set `computed_value` on every objective whose metric fills itself. The objectives need
    their plan loaded (select_related("plan")). With `current` (plan account id: its current
    AccountSnapshot) the metrics a snapshot of the plan's year holds are read from it rather
    than queried: what the portfolio dashboard shows beside them, as of the same moment."""
    objectives = list(objectives)
    live = []  # those the snapshots do not answer
    for objective in (o for o in objectives if o.is_computed):
        snapshot = (current or {}).get(objective.plan.account_id)
        if snapshot is None or snapshot.year != objective.plan.year:
            live.append(objective)
        elif objective.metric == Metric.REVENUE_PRODUCT_LINE:
            by_line = snapshot.rollup_revenue_by_line
            objective.computed_value = round_cents(Decimal(by_line.get(str(objective.product_line_id), "0")))
        else:
            objective.computed_value = round_cents(Decimal(getattr(snapshot, _SNAPSHOT_FIELDS[objective.metric])))
    if not live:
        return objectives
    revenue = _revenue({(o.plan.account_id, o.plan.year) for o in live if o.metric in _REVENUE_METRICS})
    nodes = _nodes_with_revenue(
        {(o.plan.account_id, o.plan.year) for o in live if o.metric == Metric.NODES_WITH_REVENUE}
    )
    deciders = _warm_deciders({o.plan.account_id for o in live if o.metric == Metric.WARM_DECISION_MAKERS})
    for objective in live:
        key = (objective.plan.account_id, objective.plan.year)
        if objective.metric == Metric.REVENUE_TOTAL:
            value = sum(revenue.get(key, {}).values(), Decimal(0))
        elif objective.metric == Metric.REVENUE_PRODUCT_LINE:
            value = revenue.get(key, {}).get(objective.product_line_id, Decimal(0))
        elif objective.metric == Metric.NODES_WITH_REVENUE:
            value = Decimal(nodes.get(key, 0))
        else:
            value = Decimal(deciders.get(objective.plan.account_id, 0))
        objective.computed_value = round_cents(value)
    return objectives


def _revenue(cells: set[tuple[int, int]]) -> dict[tuple[int, int], dict[int, Decimal]]:
    if not cells:
        return {}
    roots, years = _roots_and_years(cells)
    sums: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for root, year, product_line, total in _fetch(_REVENUE_SQL, roots, years):
        if (root, year) in cells:
            sums[(root, year)][product_line] = _decimal(total)
    return sums


def _nodes_with_revenue(cells: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    if not cells:
        return {}
    roots, years = _roots_and_years(cells)
    return {(root, year): count for root, year, count in _fetch(_NODES_WITH_REVENUE_SQL, roots, years)}


def _warm_deciders(roots: set[int]) -> dict[int, int]:
    if not roots:
        return {}
    sql = _WARM_DECIDERS_SQL.format(roots=_marks(roots), roles=_marks(Stakeholder.DECIDER_ROLES))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sorted(roots), *map(str, Stakeholder.DECIDER_ROLES), str(Relationship.Status.WARM)])
        return dict(cursor.fetchall())


def _fetch(sql: str, roots: list[int], years: list[int]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(roots=_marks(roots), years=_marks(years)), [*roots, *years])
        return cursor.fetchall()


def _roots_and_years(cells: set[tuple[int, int]]) -> tuple[list[int], list[int]]:
    return sorted({root for root, _ in cells}), sorted({year for _, year in cells})


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
