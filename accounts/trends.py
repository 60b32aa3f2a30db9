"""Trends from the snapshot history (written by the potential job, kam/top/snapshots.py): the
series the charts draw and the change in share of wallet the portfolio sorts by."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountSnapshot, CurrentSnapshot
from kam.lib.charts import LineChart, line_chart

# The share-of-wallet trend compares the current snapshot with the newest one at least this old.
TREND_DAYS = 90
CHART_MONTHS = 12


def snapshot_before(day: date, field: str) -> Subquery:
    """For annotating accounts: `field` of the account's newest snapshot on or before `day`."""
    older = AccountSnapshot.objects.filter(account=OuterRef("pk"), day__lte=day).order_by("-day")
    return Subquery(older.values(field)[:1])


def trend_start(today: date | None = None) -> date:
    return (today or timezone.localdate()) - timedelta(days=TREND_DAYS)


def monthly_history(
    account_ids: list[int], *, months: int = CHART_MONTHS, only: tuple[str, ...] = ()
) -> dict[int, list[AccountSnapshot]]:
    """Per account, oldest first: the snapshot of the first day of each of the last `months`
    months (where the nightly job ran that day) and, last, the current one; with `only`, just
    those fields loaded. One query."""
    if not account_ids:
        return {}
    since = months_before(timezone.localdate().replace(day=1), months)
    current = CurrentSnapshot.objects.filter(account_id__in=account_ids).values("snapshot_id")
    rows = (
        AccountSnapshot.objects.filter(account_id__in=account_ids, day__gte=since)
        .filter(Q(day__day=1) | Q(pk__in=current))
        .order_by("account_id", "day")
    )
    if only:
        rows = rows.only("account_id", "day", *only)
    history: dict[int, list[AccountSnapshot]] = defaultdict(list)
    for snapshot in rows:
        history[snapshot.account_id].append(snapshot)
    return dict(history)


# --- a made-up past, for demo and generated data -------------------------------------------------


def months_before(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def trend_charts(history: list[AccountSnapshot], *, rollup: bool = True) -> list[tuple[str, LineChart]]:
    """The account page's trend charts from `monthly_history`: revenue and potential, and share
    of wallet with relationship health. With `rollup=False` the node's own figures only (for
    who sees the node alone), and no health, which counts the people of the whole subtree."""
    days = [snapshot.day for snapshot in history]
    prefix = "rollup" if rollup else "own"

    def series(field: str) -> list:
        return [getattr(snapshot, f"{prefix}_{field}") for snapshot in history]

    amounts = line_chart(
        days, {"revenue": (_("Revenue"), series("revenue")), "potential": (_("Potential"), series("potential"))}
    )
    shares = {"share_of_wallet": (_("Share of wallet"), series("share_of_wallet"))}
    if rollup:
        shares["health"] = (_("Relationship health"), [snapshot.health for snapshot in history])
    ratios = line_chart(days, shares, percent=True)
    titles = (
        _("Revenue and potential"),
        _("Share of wallet and relationship health") if rollup else _("Share of wallet"),
    )
    return [(title, chart) for title, chart in zip(titles, (amounts, ratios), strict=True) if chart]
