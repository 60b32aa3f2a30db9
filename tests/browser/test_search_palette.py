"""The search palette with the keyboard only: Ctrl+K, a misspelt name, Enter lands on the person."""

import pytest
from django.db import connection

from stakeholders.models import Stakeholder

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="typos are forgiven on PostgreSQL"),
]


def test_ctrl_k_a_misspelt_name_and_enter_opens_the_person(log_in):
    page = log_in("kam")
    person = Stakeholder.objects.get(first_name="Oliver", last_name="Kranz")
    page.keyboard.press("Control+k")
    palette = page.get_by_role("combobox", name="Find and go")
    assert palette.evaluate("el => el === document.activeElement")
    palette.press_sequentially("Oliver Krnaz")  # a transposition in the surname
    first = page.locator("#palette-results [role=option]").first
    first.wait_for()
    page.wait_for_function(
        "document.querySelector('#palette-results [role=option].active')?.textContent.includes('Kranz')"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/people/{person.pk}/")
    assert "Oliver Kranz" in page.locator("h1").inner_text()


def test_arrows_choose_an_action_and_escape_closes(log_in):
    page = log_in("kam")
    page.keyboard.press("Control+k")
    page.get_by_role("combobox", name="Find and go").press_sequentially("new acc")
    page.get_by_role("option", name="New account").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.locator("[role=option].active").inner_text().strip() == "New account"
    page.keyboard.press("Escape")
    assert not page.locator("#palette").is_visible()
    page.get_by_label("Find anything").first.click()  # the header box opens it again
    assert page.locator("#palette").is_visible()
    page.get_by_role("option", name="New account").wait_for()  # its answer is in before the test ends
