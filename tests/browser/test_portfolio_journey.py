import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def account_names(page) -> list[str]:
    return page.locator("#portfolio-table tbody tr td:first-child a").all_inner_texts()


def test_leader_sorts_the_portfolio_by_health_and_drills_into_an_account(log_in):
    page = log_in("leader")
    expect(page.get_by_role("heading", name="Key account portfolio")).to_be_visible()
    expect(page.locator("#portfolio-table tbody tr")).to_have_count(5)
    expect(page.locator(".segmentation-chart circle.dot")).to_have_count(5)

    health = page.locator("#portfolio-table thead").get_by_role("link", name="Health")
    health.click()
    expect(page).to_have_url(re.compile(r"sort=-health"))  # in place, and in the address bar
    expect(page.locator("#portfolio-table th[aria-sort=descending]")).to_contain_text("Health")
    # Fully warm first (ties by name), the cold ones last.
    assert account_names(page) == ["Bosch", "Volkswagen Group", "Daimler", "Siemens", "Stellantis"]

    page.locator("#portfolio-table thead").get_by_role("link", name="Health").click()
    expect(page.locator("#portfolio-table th[aria-sort=ascending]")).to_contain_text("Health")
    assert account_names(page)[:2] == ["Siemens", "Stellantis"]

    # A filter keeps the sort order chosen by the header.
    page.get_by_label("Country").select_option("DE")
    expect(page.locator("#portfolio-table tbody tr")).to_have_count(4)
    assert account_names(page)[0] == "Siemens"

    page.locator("#portfolio-table").get_by_role("link", name="Siemens", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Siemens")
    expect(page.get_by_text("0 of 3 key people warm")).to_be_visible()
    grid = page.locator("#whitespace table.whitespace-grid")
    expect(grid).to_be_visible()  # loaded after the page
    expect(grid.locator("td.untapped").first).to_be_visible()
    expect(page.locator(".trend-chart")).to_have_count(2)
