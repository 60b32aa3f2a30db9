"""Revenue, potential, whitespace and share of wallet, own and rolled up (docs/architecture.md).

own:     sums of the node's revenue and potential rows for the year; whitespace is the sum
         over product lines of max(potential - revenue, 0).
rollup:  own plus the children's rollups, a participation child counted at its ownership
         share (nested participations multiply).
share of wallet = revenue / potential, None when the potential is 0.

A whole subtree costs three queries whatever its size: the nodes, revenue sums and
potential sums per node and product line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Sum
from django.db.models.expressions import RawSQL

from accounts.hierarchy import SUBTREE_IDS_SQL, subtree_rows
from accounts.models import HUNDRED, ZERO, Account, Potential, Revenue
from kam.lib.numbers import ratio, round_cents


@dataclass(frozen=True)
class Figures:
    revenue: Decimal = ZERO
    potential: Decimal = ZERO
    whitespace: Decimal = ZERO

    @property
    def share_of_wallet(self) -> Decimal | None:
        return ratio(self.revenue, self.potential)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.revenue + other.revenue, self.potential + other.potential, self.whitespace + other.whitespace
        )

    def scaled(self, factor: Decimal) -> Figures:
        return Figures(self.revenue * factor, self.potential * factor, self.whitespace * factor)

    def rounded(self) -> Figures:
        return Figures(*(round_cents(amount) for amount in self.amounts()))

    def amounts(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.revenue, self.potential, self.whitespace)

    def as_dict(self) -> dict:
        rounded = self.rounded()
        sow = self.share_of_wallet
        return {
            "revenue": str(rounded.revenue),
            "potential": str(rounded.potential),
            "whitespace": str(rounded.whitespace),
            "share_of_wallet": None if sow is None else str(sow),
        }


@dataclass
class TreeNode:
    id: int
    parent_id: int | None
    depth: int
    name: str
    kind: str
    country: str
    city: str
    ownership_share: Decimal | None
    is_key_account: bool
    own: Figures = field(default_factory=Figures)
    rollup: Figures = field(default_factory=Figures)
    children: list[TreeNode] = field(default_factory=list)
    lines: dict[int, Figures] = field(default_factory=dict)  # own figures per product line id

    @property
    def kind_label(self) -> str:
        return Account.Kind(self.kind).label

    @property
    def weight(self) -> Decimal:
        """How much of this node counts towards its parent's rollup."""
        if self.kind == Account.Kind.PARTICIPATION and self.ownership_share is not None:
            return self.ownership_share / HUNDRED
        return Decimal(1)

    def alone(self) -> TreeNode:
        """This node without its subtree: its roll-up is its own figures."""
        return replace(self, rollup=self.own, children=[])

    def walk(self, max_depth: int | None = None):
        """This node and its descendants depth-first, down to `max_depth` levels below it."""
        yield self
        if max_depth is None or max_depth > 0:
            for child in self.children:
                yield from child.walk(None if max_depth is None else max_depth - 1)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "ownership_share": None if self.ownership_share is None else str(self.ownership_share),
            "own": self.own.as_dict(),
            "rollup": self.rollup.as_dict(),
            "children": [child.as_dict() for child in self.children],
        }


def subtree_figures(root_id: int, year: int) -> TreeNode:
    """The subtree under `root_id` with own and rolled-up figures for `year` on every node, and
    its own figures per product line."""
    nodes = [_node(row) for row in subtree_rows(root_id)]
    lines = figures_by_line(RawSQL(SUBTREE_IDS_SQL, [root_id]), year)
    by_id = {node.id: node for node in nodes}
    for node in nodes:
        node.lines = lines.get(node.id, {})
        node.own = sum(node.lines.values(), Figures())
        node.rollup = node.own
    # Rows come ordered by depth, so walking them backwards finishes every child before its parent.
    for node in reversed(nodes):
        parent = by_id.get(node.parent_id) if node is not nodes[0] else None
        if parent is not None:
            parent.children.append(node)
            parent.rollup = parent.rollup + node.rollup.scaled(node.weight)
    for node in nodes:
        node.children.reverse()
    return nodes[0]


# Trees up to this size are sent whole and expand instantly; bigger ones load deeper levels on demand.
EAGER_TREE_ROWS = 300
LAZY_TREE_DEPTH = 2


@dataclass(frozen=True)
class TreeRow:
    node: TreeNode
    depth: int  # indentation on the page
    loaded: bool  # its children are among the rows sent
    shown: bool
    expanded: bool


def tree_rows(tree: TreeNode, *, depth_offset: int = 0, open_depth: int | None = 2, eager: bool = False) -> dict:
    """Rows of the hierarchy table under `tree`: every node of a small tree, the top levels of a
    big one. Rows down to `open_depth` levels below `tree` are shown (None: all, expanded)."""
    complete = eager or sum(1 for _ in tree.walk()) <= EAGER_TREE_ROWS
    rows = []
    for node in tree.walk(None if complete else LAZY_TREE_DEPTH):
        below = node.depth - tree.depth
        loaded = complete or below < LAZY_TREE_DEPTH
        opened = open_depth is None or below < open_depth
        shown = open_depth is None or below <= open_depth
        rows.append(TreeRow(node, below + depth_offset, loaded, shown, loaded and opened and bool(node.children)))
    return {"tree_rows": rows, "tree_complete": complete}


def figures_by_line(account_ids, year: int) -> dict[int, dict[int, Figures]]:
    """Own figures per account id and product line id for the accounts in `account_ids` (ids or
    a subquery); only the cells with revenue or potential."""
    revenue = _sums(Revenue, account_ids, year)
    potential = _sums(Potential, account_ids, year)
    cells: dict[int, dict[int, Figures]] = defaultdict(dict)
    for account_id, line_id in revenue.keys() | potential.keys():
        cell = (account_id, line_id)
        cells[account_id][line_id] = _cell_figures(revenue.get(cell, ZERO), potential.get(cell, ZERO))
    return dict(cells)


def _cell_figures(revenue: Decimal, potential: Decimal) -> Figures:
    return Figures(revenue, potential, max(potential - revenue, ZERO))


def _sums(model, account_ids, year: int) -> dict[tuple[int, int], Decimal]:
    rows = (
        model.objects.filter(account_id__in=account_ids, year=year)
        .values_list("account_id", "product_line_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(account_id, pl): _decimal(total) for account_id, pl, total in rows}


def _node(row: dict) -> TreeNode:
    share = row["ownership_share"]
    return TreeNode(**{**row, "ownership_share": None if share is None else _decimal(share)})


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
