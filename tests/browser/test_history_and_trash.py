"""A person edited, deleted and restored in the browser: the History section tells who changed
what, the Trash page brings the person back whole. Screenshots at phone and desktop width go to
KAM_SCREENSHOTS when it is set."""

import os

import pytest

from kam.models import TrashEntry
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db(transaction=True)


def _shot(page, name: str) -> None:
    folder = os.environ.get("KAM_SCREENSHOTS")
    if folder:
        for width in (390, 1440):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1440, "height": 900})


def test_a_kam_reads_the_history_and_restores_a_deleted_person(log_in):
    person = Stakeholder.objects.filter(account__name="Daimler Truck").order_by("pk").first()
    contacts = person.interactions.count()
    page = log_in("kam")

    for phone in ("+49 711 17-4242", "+49 711 17-0"):  # the demo has no history: the first edit starts it
        page.goto(f"/people/{person.pk}/edit/")
        page.get_by_label("Phone").fill(phone)
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"**/people/{person.pk}/")
    history = page.locator("#history-section .history-entry").first
    history.wait_for()
    assert "+49 711 17-4242" in history.inner_text() and "+49 711 17-0" in history.inner_text()
    page.locator("#history-section").scroll_into_view_if_needed()
    _shot(page, "person-history")

    page.goto(f"/people/{person.pk}/delete/")
    page.get_by_role("button", name="Delete").click()
    assert not Stakeholder.objects.filter(pk=person.pk).exists()

    page.get_by_role("link", name="Trash").click()
    row = page.locator("table.trash tr", has_text=person.last_name)
    row.wait_for()
    _shot(page, "trash")
    row.get_by_role("button", name="Restore").click()
    page.wait_for_url(f"**/people/{person.pk}/")
    assert Stakeholder.objects.get(pk=person.pk).interactions.count() == contacts
    assert not TrashEntry.objects.exists()
    page.locator("#history-section .history-entry").first.wait_for()
    assert "restored from the trash" in page.locator("#history-section").inner_text()
