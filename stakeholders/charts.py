"""Layouts of the people charts on the account page: org chart rows and the power map's SVG
geometry, computed here so that the templates only place what they are given."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from stakeholders import selectors
from stakeholders.models import Relationship, Stakeholder

# --- org chart ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartRow:
    person: Stakeholder
    depth: int
    reports: int
    manager: Stakeholder | None  # shown to screen readers; the indentation shows it to the eye
    status: str  # of the best relationship: warm, cooling, cold or "" for none

    @property
    def status_label(self) -> str:
        return Relationship.Status(self.status).label if self.status else _("no relationship")


def chart_rows(nodes: list[selectors.OrgChartNode]) -> list[ChartRow]:
    by_id = {node.person.pk: node.person for node in nodes}
    return [
        ChartRow(
            person=node.person,
            depth=node.depth,
            reports=node.reports,
            manager=by_id.get(node.person.reports_to_id) if node.depth else None,
            status=selectors.best_status(node.person),
        )
        for node in nodes
    ]


# --- power map: the geometry of the inline SVG ---------------------------------------------

CELL_WIDTH, CELL_HEIGHT = 110, 72
LEFT, TOP = 64, 34  # room for the influence axis and the quadrant labels
DOTS_PER_CELL = 6
DOT_COLUMNS = 3
ALLY_ATTITUDES = (Stakeholder.Attitude.SUPPORTER, Stakeholder.Attitude.CHAMPION)
RISK_ATTITUDES = (Stakeholder.Attitude.OPPONENT, Stakeholder.Attitude.SKEPTIC)


@dataclass(frozen=True)
class MapDot:
    person: Stakeholder | None  # None for the "+N" dot
    x: int
    y: int
    label: str


@dataclass
class MapCell:
    influence: int
    attitude: str
    x: int
    y: int
    count: int
    zone: str  # "allies", "risks" or ""
    dots: list[MapDot] = field(default_factory=list)
    hidden: list[Stakeholder] = field(default_factory=list)  # behind the "+N" dot


@dataclass(frozen=True)
class MapZone:
    """A tinted corner of the map with its label above the grid."""

    name: str
    label: str
    x: int
    width: int
    height: int

    @property
    def label_x(self) -> int:
        return self.x + self.width // 2


@dataclass(frozen=True)
class PowerMapLayout:
    rows: list[list[MapCell]]  # influence 5 (top) to 1, attitude opponent (left) to champion
    columns: list[tuple[str, str, int]]  # attitude value, label, x of the column's centre
    influence_ticks: list[tuple[int, int]]  # influence, y of the row's centre
    zones: list[MapZone]
    people: int
    top: int = TOP
    left: int = LEFT
    cell_width: int = CELL_WIDTH
    cell_height: int = CELL_HEIGHT
    grid_right: int = LEFT + 5 * CELL_WIDTH
    grid_bottom: int = TOP + 5 * CELL_HEIGHT
    middle_x: int = LEFT + 5 * CELL_WIDTH // 2
    middle_y: int = TOP + 5 * CELL_HEIGHT // 2
    width: int = LEFT + 5 * CELL_WIDTH + 8
    height: int = TOP + 5 * CELL_HEIGHT + 48


def power_map_layout(grid: list[list[selectors.PowerMapCell]]) -> PowerMapLayout:
    # The selector's columns run champion → opponent; the map reads left (against) to right (for).
    rows = [list(reversed(row)) for row in grid]
    cells = [[_map_cell(cell, r, c) for c, cell in enumerate(row)] for r, row in enumerate(rows)]
    labels = dict(Stakeholder.Attitude.choices)
    columns = [(cell.attitude, labels[cell.attitude], cell.x + CELL_WIDTH // 2) for cell in cells[0]]
    zone_height = (5 - Stakeholder.KEY_INFLUENCE + 1) * CELL_HEIGHT
    return PowerMapLayout(
        rows=cells,
        columns=columns,
        influence_ticks=[(5 - r, TOP + r * CELL_HEIGHT + CELL_HEIGHT // 2) for r in range(5)],
        zones=[
            MapZone("risks", _("Risks"), LEFT, 2 * CELL_WIDTH, zone_height),
            MapZone("allies", _("Key allies"), LEFT + 3 * CELL_WIDTH, 2 * CELL_WIDTH, zone_height),
        ],
        people=sum(cell.count for row in cells for cell in row),
    )


def _map_cell(cell: selectors.PowerMapCell, row: int, column: int) -> MapCell:
    x, y = LEFT + column * CELL_WIDTH, TOP + row * CELL_HEIGHT
    zone = ""
    if cell.influence >= Stakeholder.KEY_INFLUENCE:
        zone = "allies" if cell.attitude in ALLY_ATTITUDES else "risks" if cell.attitude in RISK_ATTITUDES else ""
    people = cell.people
    shown = people if len(people) <= DOTS_PER_CELL else people[: DOTS_PER_CELL - 1]
    slots = [(x + 20 + (n % DOT_COLUMNS) * 35, y + 22 + (n // DOT_COLUMNS) * 30) for n in range(DOTS_PER_CELL)]
    dots = [MapDot(p, *slots[n], _initials(p)) for n, p in enumerate(shown)]
    if len(shown) < len(people):
        dots.append(MapDot(None, *slots[len(shown)], f"+{len(people) - len(shown)}"))
    return MapCell(cell.influence, cell.attitude, x, y, len(people), zone, dots, people[len(shown) :])


def _initials(person: Stakeholder) -> str:
    return "".join(name[:1].upper() for name in (person.first_name, person.last_name) if name)
