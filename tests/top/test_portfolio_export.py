"""The portfolio as CSV and XLSX: the rows and order of the table, every page, and only what the
user may see."""

import csv
from decimal import Decimal
from io import BytesIO, StringIO

from django.urls import reverse
from openpyxl import load_workbook

from kam.top.exports import COLUMNS, headers
from tests.factories import GroupFactory

HOME = reverse("home")
CSV = reverse("portfolio_export_csv")
XLSX = reverse("portfolio_export_xlsx")


def csv_rows(answer) -> list[dict]:
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(StringIO(answer.content.decode())))


def xlsx_rows(answer) -> list[dict]:
    assert answer.status_code == 200
    sheet = load_workbook(BytesIO(answer.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def table_rows(client, **params) -> list:
    """Every row of the table, page by page, as the dashboard shows it."""
    rows, page = [], 1
    while True:
        answer = client.get(HOME, {**params, "page": page})
        rows.extend(answer.context["rows"])
        if not answer.context["page"].has_next():
            return rows
        page += 1


def test_csv_has_the_tables_rows_in_its_order_with_every_column(client_for, leader, portfolio_data):
    client = client_for(leader)

    exported = csv_rows(client.get(CSV, {"sort": "-health"}))
    shown = table_rows(client, sort="-health")

    assert list(exported[0]) == headers() and len(headers()) == len(COLUMNS)
    assert [row["Account"] for row in exported] == [row.name for row in shown] == ["Castell", "Nordwerk", "Bosch"]
    nordwerk = exported[1]
    assert (nordwerk["Revenue"], nordwerk["Potential"], nordwerk["Whitespace"]) == ("1600.00", "5500.00", "3900.00")
    assert (nordwerk["Share of wallet"], nordwerk["Trend (change of share of wallet)"]) == ("0.2909", "0.0909")
    assert (nordwerk["Key people"], nordwerk["Key people warm"], nordwerk["Health"]) == ("5", "3", "0.6000")
    assert (nordwerk["Decision-makers covered"], nordwerk["Coverage"], nordwerk["Open alerts"]) == ("2", "0.6667", "2")
    assert (nordwerk["Objectives reached (mean)"], nordwerk["Activities done"], nordwerk["Activities overdue"]) == (
        "0.5000",
        "1",
        "1",
    )
    assert nordwerk["Segment"] == "Develop" and exported[2]["Health"] == ""


def test_xlsx_holds_numbers_as_numbers(client_for, leader, portfolio_data):
    answer = client_for(leader).get(XLSX, {"sort": "name"})

    assert answer["Content-Disposition"].endswith('.xlsx"')
    rows = xlsx_rows(answer)
    assert [row["Account"] for row in rows] == ["Bosch", "Castell", "Nordwerk"]
    nordwerk = rows[2]
    assert nordwerk["Revenue"] == 1600 and nordwerk["Potential"] == 5500
    assert abs(nordwerk["Health"] - 0.6) < 1e-9 and nordwerk["Open alerts"] == 2
    assert nordwerk["Last contact"] is not None and nordwerk["Owner"] == "kam"


def test_exports_follow_the_filters_and_every_page(client_for, leader, other_kam, portfolio_data):
    for n in range(30):
        GroupFactory(name=f"Extra {n:02d}", owner=other_kam)
    client = client_for(leader)

    assert len(csv_rows(client.get(CSV))) == 33 == len(table_rows(client))
    assert [row["Account"] for row in csv_rows(client.get(CSV, {"owner": other_kam.pk, "q": "cast"}))] == ["Castell"]


def test_exports_show_a_kam_only_their_own_key_accounts(client_for, kam_user, portfolio_data):
    client = client_for(kam_user)

    assert sorted(row["Account"] for row in csv_rows(client.get(CSV))) == ["Castell", "Nordwerk"]
    assert sorted(row["Account"] for row in xlsx_rows(client.get(XLSX))) == ["Castell", "Nordwerk"]


def test_exports_need_a_login(client, portfolio_data):
    answer = client.get(CSV)
    assert answer.status_code == 302 and answer.url.startswith(reverse("login"))


def test_the_german_export_speaks_german(client_for, leader, portfolio_data):
    client = client_for(leader)
    client.cookies["django_language"] = "de"

    exported = csv_rows(client.get(CSV))
    assert "Umsatz" in exported[0] and Decimal(exported[0]["Umsatz"]) >= 0
