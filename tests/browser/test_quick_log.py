"""The quick-log with the keyboard only: a contact logged on the account page without a click."""

import pytest

from stakeholders.models import Interaction, Relationship

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_kam_logs_a_contact_with_the_keyboard(log_in):
    page = log_in("kam")
    page.get_by_role("link", name="Accounts").click()
    page.get_by_role("link", name="Daimler", exact=True).first.click()
    page.wait_for_selector("#timeline")  # the group-wide timeline has loaded

    page.keyboard.press("l")  # L starts a log from anywhere on the page
    person = page.get_by_role("combobox", name="People")
    assert person.evaluate("el => el === document.activeElement")
    person.press_sequentially("kra")
    page.keyboard.press("Enter")  # before the matches arrive: the first match is taken when they do
    page.locator("#quick-log .chip", has_text="Oliver Kranz").wait_for()
    person.press_sequentially("fal")
    page.get_by_role("option", name="Renate Falk").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("Dinner after the supplier day: the CPO wants a price review in Q1.")
    page.keyboard.press("Control+Enter")

    logged = page.locator("#timeline li").filter(has_text="the CPO wants a price review in Q1")
    logged.wait_for()
    interaction = Interaction.objects.get(summary__startswith="Dinner after the supplier day")
    assert sorted(p.last_name for p in interaction.stakeholders.all()) == ["Falk", "Kranz"]
    assert [c.username for c in interaction.colleagues.all()] == ["kam"]
    assert interaction.kind == "meeting"
    assert Relationship.objects.get(user__username="kam", stakeholder__last_name="Falk").status == "warm"
    # The form is fresh and focused for the next contact.
    assert page.get_by_role("combobox", name="People").evaluate("el => el === document.activeElement")
    assert page.locator("#quick-log .chip").count() == 0
