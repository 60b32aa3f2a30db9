"""The whitespace grid of an account page: every node of the subtree against every product
line, each cell with its revenue, potential and gap. Empty cells with potential are untapped:
where to open doors next."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import ProductLine
from accounts.potential import Figures, TreeNode

ORDERS = {
    "tree": _("Hierarchy"),
    "whitespace": _("Most whitespace first"),
    "untapped": _("Most untapped potential first"),
}


@dataclass(frozen=True)
class GridCell:
    line: ProductLine
    figures: Figures | None  # None: neither revenue nor potential
    shade: float  # the cell's whitespace against the grid's biggest, 0–1

    @property
    def untapped(self) -> bool:
        return self.figures is not None and self.figures.potential > 0 and not self.figures.revenue

    @property
    def won_percent(self) -> int:
        """How much of the potential is won already, for the cell's bar (capped at 100)."""
        share = self.figures.share_of_wallet if self.figures else None
        return 0 if share is None else min(int(share * 100), 100)


@dataclass(frozen=True)
class GridRow:
    node: TreeNode
    depth: int
    cells: list[GridCell]
    untapped_potential: object  # potential of the row's untapped cells


def whitespace_grid(tree: TreeNode, lines: list[ProductLine], *, order: str = "tree") -> list[GridRow]:
    """One row per node of `tree` with figures, in hierarchy order or by (untapped) whitespace."""
    nodes = [node for node in tree.walk() if node.lines]
    biggest = max((cell.whitespace for node in nodes for cell in node.lines.values()), default=0) or 1
    rows = []
    for node in nodes:
        cells = [_cell(line, node.lines.get(line.pk), biggest) for line in lines]
        untapped = sum((cell.figures.potential for cell in cells if cell.untapped), Figures().potential)
        rows.append(GridRow(node, node.depth - tree.depth, cells, untapped))
    if order == "whitespace":
        rows.sort(key=lambda row: -row.node.own.whitespace)
    elif order == "untapped":
        rows.sort(key=lambda row: -row.untapped_potential)
    return rows


def _cell(line: ProductLine, figures: Figures | None, biggest) -> GridCell:
    if figures is None:
        return GridCell(line, None, 0.0)
    return GridCell(line, figures, round(float(figures.whitespace / biggest), 2))
