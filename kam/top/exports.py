"""The portfolio table as a file: CSV (text, for any tool) and XLSX (numbers stay numbers, for
Excel). Both take the rows the page shows, from kam.top.portfolio, so visibility, filters and the
sort order are the page's; the columns are the table's, with the trend line left out."""

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from accounts.trends import TREND_DAYS
from kam.top.portfolio import PortfolioRow


@dataclass(frozen=True)
class Column:
    header: Callable[[], str]  # translated when the file is written
    value: Callable[[PortfolioRow], object]
    kind: str = "text"  # text, amount, ratio, count, datetime


def _plan(attribute: str) -> Callable[[PortfolioRow], object]:
    return lambda row: getattr(row.plan, attribute) if row.plan else None


COLUMNS = [
    Column(lambda: _("ID"), lambda row: row.id, "count"),
    Column(lambda: _("Account"), lambda row: row.name),
    Column(lambda: _("Owner"), lambda row: row.owner_name),
    Column(lambda: _("Country"), lambda row: row.country.code),
    Column(lambda: _("Revenue"), lambda row: row.revenue, "amount"),
    Column(lambda: _("Potential"), lambda row: row.potential, "amount"),
    Column(lambda: _("Whitespace"), lambda row: row.whitespace, "amount"),
    Column(lambda: _("Share of wallet"), lambda row: row.share_of_wallet, "ratio"),
    Column(lambda: _("Share of wallet %(days)s days ago") % {"days": TREND_DAYS}, lambda row: row.share_then, "ratio"),
    Column(lambda: _("Trend (change of share of wallet)"), lambda row: row.trend, "ratio"),
    Column(lambda: _("Key people"), lambda row: row.key_people if row.day else None, "count"),
    Column(lambda: _("Key people warm"), lambda row: row.warm_key_people if row.day else None, "count"),
    Column(lambda: _("Health"), lambda row: row.health, "ratio"),
    Column(lambda: _("Decision-makers"), lambda row: row.decision_makers if row.day else None, "count"),
    Column(lambda: _("Decision-makers covered"), lambda row: row.covered_decision_makers if row.day else None, "count"),
    Column(lambda: _("Coverage"), lambda row: row.coverage, "ratio"),
    Column(lambda: _("Open alerts"), lambda row: row.open_alerts if row.day else None, "count"),
    Column(lambda: _("Objectives"), _plan("objectives"), "count"),
    Column(lambda: _("Objectives reached (mean)"), _plan("progress"), "ratio"),
    Column(lambda: _("Activities"), _plan("activities"), "count"),
    Column(lambda: _("Activities done"), _plan("done"), "count"),
    Column(lambda: _("Activities overdue"), _plan("overdue"), "count"),
    Column(lambda: _("Last contact"), lambda row: row.last_contact_at, "datetime"),
    Column(lambda: _("Segment"), lambda row: row.quadrant_label),
    Column(lambda: _("Figures as of"), lambda row: row.day, "date"),
]


def headers() -> list[str]:
    return [column.header() for column in COLUMNS]


def write_portfolio_csv(out: IO[str], rows: list[PortfolioRow]) -> None:
    writer = csv.writer(out)
    writer.writerow(headers())
    for row in rows:
        writer.writerow([_text(column.value(row)) for column in COLUMNS])


def portfolio_xlsx(rows: list[PortfolioRow]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Portfolio"))
    sheet.freeze_panes = "C2"
    sheet.append(headers())
    for row in rows:
        sheet.append([_cell(sheet, column, column.value(row)) for column in COLUMNS])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


NUMBER_FORMATS = {"amount": "#,##0.00", "ratio": "0.0%", "datetime": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd"}


def _cell(sheet, column: Column, value: object) -> WriteOnlyCell:
    if isinstance(value, datetime):
        value = timezone.localtime(value).replace(tzinfo=None)  # Excel knows no time zones
    elif isinstance(value, Decimal) and column.kind == "ratio":
        value = float(value)
    elif column.kind == "text" and value is not None:
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if column.kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[column.kind]
    return cell
