"""The Django admin keeps users and product lines; business records are shown there read-only,
because their writes carry rules that only the services apply (the cycle guard, locks, stale
marks). A staff user cannot move an account under its own child there, or change a figure past
the snapshot's outbox."""

import pytest
from django.urls import reverse

from accounts.models import Account, ProductLine, Revenue
from tests.factories import AccountFactory, ProductLineFactory, RevenueFactory


@pytest.fixture
def hierarchy(group):
    child = AccountFactory(name="Mercedes", parent=group)
    return group, child


def test_the_admin_cannot_create_a_hierarchy_cycle(client_for, admin_user, hierarchy):
    group, child = hierarchy
    client = client_for(admin_user)
    change = reverse("admin:accounts_account_change", args=[group.pk])
    page = client.get(change)
    assert page.status_code == 200  # shown, for support
    assert b'name="parent"' not in page.content  # but no field to change
    client.post(change, {"name": group.name, "kind": "group", "parent": child.pk})
    group.refresh_from_db()
    assert group.parent_id is None


@pytest.mark.parametrize(
    "url",
    ["admin:accounts_account_add", "admin:accounts_revenue_add", "admin:stakeholders_stakeholder_add"],
)
def test_the_admin_adds_no_business_records(client_for, admin_user, url):
    assert client_for(admin_user).get(reverse(url)).status_code == 403


def test_the_admin_neither_changes_nor_deletes_a_figure(client_for, admin_user, group):
    revenue = RevenueFactory(account=group, amount=100)
    client = client_for(admin_user)
    client.post(reverse("admin:accounts_revenue_change", args=[revenue.pk]), {"amount": "999"})
    assert client.post(reverse("admin:accounts_revenue_delete", args=[revenue.pk]), {"post": "yes"}).status_code == 403
    revenue.refresh_from_db()
    assert revenue.amount == 100


def test_the_admin_still_maintains_product_lines(client_for, admin_user):
    line = ProductLineFactory(code="CARS", name="Cars")
    answer = client_for(admin_user).post(
        reverse("admin:accounts_productline_change", args=[line.pk]),
        {"code": "CARS", "name": "Passenger cars", "is_active": "on"},
    )
    assert answer.status_code == 302
    assert ProductLine.objects.get(pk=line.pk).name == "Passenger cars"
    assert Revenue.objects.count() == 0
    assert Account.objects.count() == 0
