import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_kam_opens_the_demo_group_and_expands_the_tree(log_in):
    page = log_in("kam")
    expect(page.get_by_role("heading", name="My key accounts")).to_be_visible()

    page.get_by_role("link", name="Accounts", exact=True).click()
    page.get_by_label("Search").fill("Iracem")
    results = page.locator("#account-results tbody tr")
    expect(results).to_have_count(1)  # the search answered in place, without a page load
    page.get_by_label("Search").fill("Daimler")
    group_link = page.locator("#account-results tbody td:first-child").get_by_role("link", name="Daimler", exact=True)
    group_link.click()

    expect(page.get_by_role("heading", name="Daimler")).to_be_visible()
    tree = page.locator("#hierarchy")
    fuso = tree.get_by_role("link", name="Mitsubishi Fuso Truck and Bus")
    expect(fuso).to_be_hidden()

    truck_row = tree.locator("tr", has=page.get_by_role("link", name="Daimler Truck", exact=True))
    truck_row.get_by_role("button").click()
    expect(fuso).to_be_visible()
    expect(truck_row).to_have_attribute("aria-expanded", "true")

    truck_row.get_by_role("button").click()
    expect(fuso).to_be_hidden()

    page.get_by_role("button", name="Expand all").click()
    expect(tree.get_by_role("link", name="Mercedes-Benz Iracemápolis")).to_be_visible()
