"""Share of wallet is one number wherever it is shown. 123.45 of a potential of 1,000 is 0.12345,
half-way between two four-place shares: half up (kam.lib.numbers.ratio) makes it 0.1235 on the
dashboard, the account page, the API (tree and portfolio) and both exports; half-even would
have made it 0.1234 somewhere."""

import csv
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import CurrentSnapshot
from kam.top import snapshots
from tests.factories import ProductLineFactory, figures

HALF_UP = Decimal("0.1235")


@pytest.fixture
def halfway(group):
    year = timezone.localdate().year
    figures(group, ProductLineFactory(code="CARS"), year=year, revenue="123.45", potential="1000")
    snapshots.snapshot_groups([group.pk])
    return group


def test_the_snapshot_stores_the_same_rounding(halfway):
    assert CurrentSnapshot.objects.get(account=halfway).snapshot.rollup_share_of_wallet == HALF_UP


def test_dashboard_account_page_api_and_exports_show_the_same_share(halfway, kam_user, client_for, api_for):
    client = client_for(kam_user)
    dashboard = client.get(reverse("home")).context
    assert dashboard["rows"][0].share_of_wallet == HALF_UP
    assert dashboard["portfolio"].totals().share_of_wallet == HALF_UP
    page = client.get(reverse("accounts:detail", args=[halfway.pk]))
    assert page.context["tree"].rollup.share_of_wallet == HALF_UP
    assert "12.4 %" in page.content.decode()  # 12.35 % to one place, half up

    api = api_for(kam_user)
    assert api.get(f"/api/accounts/{halfway.pk}/tree/").json()["rollup"]["share_of_wallet"] == str(HALF_UP)
    assert api.get("/api/portfolio/").json()["results"][0]["share_of_wallet"] == str(HALF_UP)

    exported = next(csv.DictReader(StringIO(client.get(reverse("portfolio_export_csv")).content.decode())))
    assert Decimal(exported["Share of wallet"]) == HALF_UP
    sheet = load_workbook(BytesIO(client.get(reverse("portfolio_export_xlsx")).content), read_only=True).active
    header, row = list(sheet.iter_rows(values_only=True))[:2]
    assert Decimal(str(row[header.index("Share of wallet")])) == HALF_UP
