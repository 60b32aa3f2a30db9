"""Trends from the snapshot history (accounts.snapshots): the series the charts draw and the
change in share of wallet the portfolio sorts by; and, for demo and generated data only, a
made-up past so that a fresh installation has trends to show."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountSnapshot, CurrentSnapshot
from accounts.snapshots import SNAPSHOT_COLUMNS
from kam.charts import LineChart, line_chart

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
    since = _months_before(timezone.localdate().replace(day=1), months)
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
            day = _months_before(first, k)
            params = {"day": connection.ops.adapt_datefield_value(day), "year": day.year, "k": k, "computed_at": at}
            cursor.execute(sql, params)


def _months_before(first_of_month: date, months: int) -> date:
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
