"""The portfolio dashboard: every key account a user may review, one row each, from the
account's current snapshot (kam.top.snapshots): revenue, potential, whitespace, share of
wallet and its trend, relationship health, decision-maker coverage, open alerts, last contact;
for the rows on screen also the account plan's progress and the trend line.

A supplier has at most a few thousand key accounts: one query reads all of them that the user
may see, and searching, filtering, sorting, the quadrant chart and the export work on that
list, so that the chart, the table and the file always agree.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from accounts.models import AccountSnapshot, RelationshipHealth
from accounts.selectors import key_accounts_overview
from accounts.trends import monthly_history, snapshot_before, trend_start
from kam.lib import charts
from kam.lib.numbers import ratio, round_ratio
from kam.models import User
from planning.selectors import PlanProgress, plan_progress

# Share of key people with a warm relationship: at least HEALTHY is healthy, below AT_RISK critical.
HEALTHY = Decimal("0.6")
AT_RISK = Decimal("0.3")
HEALTH_BANDS = {
    "healthy": _("Healthy (60 % or more warm)"),
    "at_risk": _("At risk (30–60 % warm)"),
    "critical": _("Critical (under 30 % warm)"),
    "unknown": _("Unknown (no key people)"),
}

# The segmentation chart splits at this health and at the median whitespace of the portfolio.
QUADRANT_HEALTH = Decimal("0.5")
QUADRANTS = {
    "develop": (_("Develop"), _("Much whitespace, strong relationships: grow the share of wallet.")),
    "connect": (_("Build relationships"), _("Much whitespace, weak relationships: win the decision-makers first.")),
    "maintain": (_("Maintain"), _("Little whitespace, strong relationships: defend and serve well.")),
    "review": (_("Review"), _("Little whitespace, weak relationships: question the effort, say no with a reason.")),
}


@dataclass
class PortfolioRow(RelationshipHealth):
    id: int
    name: str
    country: Country
    owner_id: int | None
    owner_name: str
    day: date | None  # of the current snapshot; None: not computed yet
    revenue: Decimal | None
    potential: Decimal | None
    whitespace: Decimal | None
    share_then: Decimal | None  # TREND_DAYS ago
    key_people: int
    warm_key_people: int
    decision_makers: int
    covered_decision_makers: int
    open_alerts: int
    last_contact_at: datetime | None
    quadrant: str = ""
    # Only for the rows on screen and in exports:
    history: list[AccountSnapshot] = field(default_factory=list)
    plan: PlanProgress | None = None

    @cached_property
    def health(self) -> Decimal | None:  # read a dozen times a row by the chart and the table
        return RelationshipHealth.health.fget(self)

    @cached_property
    def share_of_wallet(self) -> Decimal | None:
        return ratio(self.revenue, self.potential)

    @cached_property
    def trend(self) -> Decimal | None:
        """Change of the share of wallet since TREND_DAYS ago, as a ratio (0.012 = +1.2 points)."""
        if self.share_of_wallet is None or self.share_then is None:
            return None
        return round_ratio(self.share_of_wallet - self.share_then)

    @property
    def trend_direction(self) -> str:
        trend = self.trend
        return "" if not trend else "up" if trend > 0 else "down"

    @cached_property
    def sparkline(self) -> str:
        """The share of wallet month by month, as the points of a small line."""
        return charts.sparkline([snapshot.rollup_share_of_wallet for snapshot in self.history])

    @cached_property
    def health_band(self) -> str:
        health = self.health
        if health is None:
            return "unknown"
        return "healthy" if health >= HEALTHY else "at_risk" if health >= AT_RISK else "critical"

    @property
    def health_band_label(self) -> str:
        return HEALTH_BANDS[self.health_band]

    @property
    def quadrant_label(self) -> str:
        return QUADRANTS[self.quadrant][0] if self.quadrant else ""


# Sort keys of the table with its column headers (SoW: share of wallet), None always last.
SORTS: dict[str, tuple[str, Callable[[PortfolioRow], object]]] = {
    "name": (_("Account"), lambda row: row.name.casefold()),
    "owner": (_("Owner"), lambda row: row.owner_name.casefold() or None),
    "country": (_("Country"), lambda row: row.country.name or None),
    "revenue": (_("Revenue"), lambda row: row.revenue),
    "potential": (_("Potential"), lambda row: row.potential),
    "whitespace": (_("Whitespace"), lambda row: row.whitespace),
    "share_of_wallet": (_("SoW"), lambda row: row.share_of_wallet),
    "trend": (_("Trend"), lambda row: row.trend),
    "health": (_("Health"), lambda row: row.health),
    "coverage": (_("Coverage"), lambda row: row.coverage),
    "alerts": (_("Alerts"), lambda row: row.open_alerts if row.day else None),
    "last_contact": (_("Last contact"), lambda row: row.last_contact_at),
}
DEFAULT_SORT = "-whitespace"
TEXT_SORTS = ("name", "owner", "country")  # A–Z on the first click; figures biggest first


@dataclass(frozen=True)
class PortfolioFilters:
    q: str = ""
    owner: int | None = None
    country: str = ""
    health: str = ""  # a key of HEALTH_BANDS
    quadrant: str = ""  # a key of QUADRANTS
    sort: str = DEFAULT_SORT  # a key of SORTS, "-" first for descending


_AMOUNTS = ("revenue", "potential", "whitespace")
_COUNTS = ("key_people", "warm_key_people", "decision_makers", "covered_decision_makers", "open_alerts")


@dataclass(frozen=True)
class Totals(RelationshipHealth):
    """The sums over the rows shown (every page): the portfolio at a glance."""

    accounts: int
    revenue: Decimal
    potential: Decimal
    whitespace: Decimal
    key_people: int
    warm_key_people: int
    decision_makers: int
    covered_decision_makers: int
    open_alerts: int

    @property
    def share_of_wallet(self) -> Decimal | None:
        return ratio(self.revenue, self.potential)


@dataclass
class Portfolio:
    rows: list[PortfolioRow]  # filtered and sorted
    charted: list[PortfolioRow]  # every row with a snapshot, before the quadrant filter
    whitespace_median: Decimal | None
    owners: list[tuple[int, str]]  # choices: every owner in the user's portfolio
    countries: list[tuple[str, str]]
    total: int  # key accounts before any filter
    as_of: date | None  # the newest snapshot day among the rows

    def totals(self) -> Totals:
        computed = [row for row in self.rows if row.day is not None]

        def total(name: str):
            return sum((getattr(row, name) for row in computed), Decimal(0) if name in _AMOUNTS else 0)

        return Totals(len(self.rows), *(total(name) for name in (*_AMOUNTS, *_COUNTS)))

    def quadrant_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(QUADRANTS, 0)
        for row in self.charted:
            counts[row.quadrant] += 1
        return counts


def portfolio(*, user: User, filters: PortfolioFilters = PortfolioFilters()) -> Portfolio:
    """The key accounts `user` reviews (a KAM: their own and their teams'; sales leadership and
    admins: all), filtered and sorted. One query. Regional colleagues have none: they work on
    the tasks assigned to them."""
    if user.role == User.Role.REGIONAL:
        raise PermissionDenied(_("Regional colleagues have no portfolio."))
    everything = _rows(user)
    rows = _filtered(everything, filters)
    charted = [row for row in rows if row.day is not None]
    median = statistics.median([row.whitespace for row in charted]) if charted else None
    for row in charted:
        row.quadrant = _quadrant(row, median)
    if filters.quadrant in QUADRANTS:
        rows = [row for row in rows if row.quadrant == filters.quadrant]
    owners = sorted({(row.owner_id, row.owner_name) for row in everything if row.owner_id}, key=lambda o: o[1].lower())
    codes = {row.country.code for row in everything if row.country}
    countries = sorted(((code, Country(code=code).name) for code in codes), key=lambda country: country[1])
    return Portfolio(
        rows=_sorted(rows, filters.sort),
        charted=charted,
        whitespace_median=median,
        owners=owners,
        countries=countries,
        total=len(everything),
        as_of=max((row.day for row in everything if row.day), default=None),
    )


# What the rows need of their history: the sparkline, and what plan objectives read (metrics).
HISTORY_FIELDS = (
    "year", "rollup_share_of_wallet", "rollup_revenue", "covered_decision_makers", "nodes_with_revenue",
    "rollup_revenue_by_line",
)  # fmt: skip


def with_details(rows: list[PortfolioRow]) -> list[PortfolioRow]:
    """The rows with their trend line and this year's plan progress: for the rows on screen or
    in an export. Five queries at most, however many rows: plan objectives read what the
    rows' snapshots hold (revenue, warm decision-makers, accounts with revenue) from there."""
    ids = [row.id for row in rows]
    history = monthly_history(ids, only=HISTORY_FIELDS)
    current = {pk: snapshots[-1] for pk, snapshots in history.items()}  # the newest comes last
    plans = plan_progress(ids, timezone.localdate().year, current=current)
    return [replace(row, history=history.get(row.id, []), plan=plans.get(row.id)) for row in rows]


_SNAPSHOT = "current__snapshot__"


def _rows(user: User) -> list[PortfolioRow]:
    accounts = key_accounts_overview(user=user).order_by()
    values = accounts.values(
        "id",
        "name",
        "country",
        "owner_id",
        "owner__username",
        "owner__first_name",
        "owner__last_name",
        day=F("current__day"),
        revenue=F(f"{_SNAPSHOT}rollup_revenue"),
        potential=F(f"{_SNAPSHOT}rollup_potential"),
        whitespace=F(f"{_SNAPSHOT}rollup_whitespace"),
        share_then=snapshot_before(trend_start(), "rollup_share_of_wallet"),
        key_people=F(f"{_SNAPSHOT}key_people"),
        warm_key_people=F(f"{_SNAPSHOT}warm_key_people"),
        decision_makers=F(f"{_SNAPSHOT}decision_makers"),
        covered_decision_makers=F(f"{_SNAPSHOT}covered_decision_makers"),
        open_alerts=F(f"{_SNAPSHOT}open_alerts"),
        last_contact_at=F(f"{_SNAPSHOT}last_contact_at"),
    )
    countries: dict[str, Country] = {}  # one per code, not one per row
    return [_row(value, countries) for value in values]


def _row(value: dict, countries: dict[str, Country]) -> PortfolioRow:
    first, last, username = value.pop("owner__first_name"), value.pop("owner__last_name"), value.pop("owner__username")
    code = value["country"] or ""
    if code not in countries:
        countries[code] = Country(code=code)
    value["country"] = countries[code]
    for name in _COUNTS:
        value[name] = value[name] or 0
    return PortfolioRow(**value, owner_name=User.name_from(first, last, username))


def _filtered(rows: list[PortfolioRow], filters: PortfolioFilters) -> list[PortfolioRow]:
    if filters.q:
        needle = filters.q.casefold()
        rows = [row for row in rows if needle in row.name.casefold()]
    if filters.owner:
        rows = [row for row in rows if row.owner_id == filters.owner]
    if filters.country:
        rows = [row for row in rows if row.country.code == filters.country.upper()]
    if filters.health in HEALTH_BANDS:
        rows = [row for row in rows if row.health_band == filters.health]
    return rows


def _sorted(rows: list[PortfolioRow], sort: str) -> list[PortfolioRow]:
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"), SORTS[DEFAULT_SORT.lstrip("-")])[1]
    by_name = sorted(rows, key=lambda row: (row.name.casefold(), row.id))
    known = [row for row in by_name if key(row) is not None]
    unknown = [row for row in by_name if key(row) is None]
    return sorted(known, key=key, reverse=descending) + unknown


def _quadrant(row: PortfolioRow, whitespace_median: Decimal) -> str:
    attractive = row.whitespace >= whitespace_median and row.whitespace > 0
    connected = (row.health or 0) >= QUADRANT_HEALTH
    if attractive:
        return "develop" if connected else "connect"
    return "maintain" if connected else "review"
