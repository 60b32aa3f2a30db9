from decimal import Decimal

import pytest

from accounts.models import Account, Potential, ProductLine, Revenue
from tests.factories import AccountFactory, GroupFactory, ProductLineFactory, RevenueFactory


@pytest.fixture
def line(db) -> ProductLine:
    return ProductLineFactory(code="HYD", name="Hydraulics")


@pytest.fixture
def tree(group):
    """Daimler > Trucks > Trucks Brazil, and a sibling Vans."""
    trucks = AccountFactory(name="Trucks", parent=group)
    brazil = AccountFactory(name="Trucks Brazil", kind=Account.Kind.BRANCH, parent=trucks)
    vans = AccountFactory(name="Vans", parent=group)
    return {"group": group, "trucks": trucks, "brazil": brazil, "vans": vans}


def revenue_payload(account: Account, line: ProductLine, **extra) -> dict:
    return {"account": account.pk, "product_line": line.pk, "year": 2026, "amount": "1200.50", **extra}


def test_kam_records_a_revenue(api_for, kam_user, group, line):
    answer = api_for(kam_user).post("/api/revenues/", revenue_payload(group, line), format="json")

    assert answer.status_code == 201, answer.content
    revenue = Revenue.objects.get()
    assert answer.json() == {
        "id": revenue.pk,
        "account": group.pk,
        "product_line": line.pk,
        "year": 2026,
        "amount": "1200.50",
    }


def test_kam_records_a_potential_with_confidence(api_for, kam_user, group, line):
    payload = revenue_payload(group, line, confidence=80)

    answer = api_for(kam_user).post("/api/potentials/", payload, format="json")

    assert answer.status_code == 201, answer.content
    assert Potential.objects.get().confidence == 80


@pytest.mark.parametrize(
    ("url", "extra", "field"),
    [
        ("/api/revenues/", {"amount": "-1"}, "amount"),
        ("/api/potentials/", {"amount": "-0.01"}, "amount"),
        ("/api/potentials/", {"confidence": 150}, "confidence"),
        ("/api/revenues/", {"year": 1800}, "year"),
    ],
)
def test_bad_figure_is_refused_with_a_field_error(api_for, kam_user, group, line, url, extra, field):
    answer = api_for(kam_user).post(url, revenue_payload(group, line, **extra), format="json")

    assert answer.status_code == 400
    assert field in answer.json()
    assert Revenue.objects.count() == 0
    assert Potential.objects.count() == 0


def test_duplicate_revenue_is_refused_clearly(api_for, kam_user, group, line):
    RevenueFactory(account=group, product_line=line, year=2026, amount=Decimal("5"))

    answer = api_for(kam_user).post("/api/revenues/", revenue_payload(group, line), format="json")

    assert answer.status_code == 400
    assert "already has a revenue" in answer.json()["non_field_errors"][0]
    assert Revenue.objects.get().amount == Decimal("5")


def test_leadership_cannot_record_figures(api_for, leader, group, line):
    answer = api_for(leader).post("/api/revenues/", revenue_payload(group, line), format="json")

    assert answer.status_code == 403
    assert Revenue.objects.count() == 0


def test_figures_of_a_foreign_account_stay_hidden(api_for, kam_user, other_kam, line):
    foreign = GroupFactory(name="BMW", owner=other_kam)
    revenue = RevenueFactory(account=foreign, product_line=line)
    api = api_for(kam_user)

    assert api.get("/api/revenues/").json()["count"] == 0
    assert api.get(f"/api/revenues/{revenue.pk}/").status_code == 404
    assert api.delete(f"/api/revenues/{revenue.pk}/").status_code == 404
    refused = api.post("/api/revenues/", revenue_payload(foreign, line, year=2027), format="json")
    assert refused.status_code == 400
    assert "does not exist" in refused.json()["account"][0]
    assert Revenue.objects.count() == 1


def test_kam_changes_and_deletes_a_revenue(api_for, kam_user, group, line):
    revenue = RevenueFactory(account=group, product_line=line, amount=Decimal("5"))
    api = api_for(kam_user)

    changed = api.patch(f"/api/revenues/{revenue.pk}/", {"amount": "7.25"}, format="json")
    deleted = api.delete(f"/api/revenues/{revenue.pk}/")

    assert (changed.status_code, changed.json()["amount"]) == (200, "7.25")
    assert deleted.status_code == 204
    assert not Revenue.objects.exists()


def test_leadership_cannot_change_or_delete_figures(api_for, leader, group, line):
    revenue = RevenueFactory(account=group, product_line=line, amount=Decimal("5"))
    api = api_for(leader)

    assert api.get(f"/api/revenues/{revenue.pk}/").status_code == 200
    assert api.patch(f"/api/revenues/{revenue.pk}/", {"amount": "1"}, format="json").status_code == 403
    assert api.delete(f"/api/revenues/{revenue.pk}/").status_code == 403
    revenue.refresh_from_db()
    assert revenue.amount == Decimal("5")


def test_revenues_filter_by_subtree(api_for, kam_user, tree, line):
    for account in tree.values():
        RevenueFactory(account=account, product_line=line)

    rows = api_for(kam_user).get("/api/revenues/", {"subtree": tree["trucks"].pk}).json()["results"]

    assert {row["account"] for row in rows} == {tree["trucks"].pk, tree["brazil"].pk}


def test_revenues_filter_by_account_line_and_year(api_for, kam_user, tree, line):
    other_line = ProductLineFactory(code="PNE")
    RevenueFactory(account=tree["vans"], product_line=line, year=2025)
    wanted = RevenueFactory(account=tree["vans"], product_line=line, year=2026)
    RevenueFactory(account=tree["vans"], product_line=other_line, year=2026)
    RevenueFactory(account=tree["trucks"], product_line=line, year=2026)
    query = {"account": tree["vans"].pk, "product_line": line.pk, "year": 2026}

    body = api_for(kam_user).get("/api/revenues/", query).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert [row["id"] for row in body["results"]] == [wanted.pk]


# --- product lines ------------------------------------------------------------------------


def test_everyone_reads_product_lines(api_for, regional, line):
    body = api_for(regional).get("/api/product-lines/").json()

    assert body["results"] == [{"id": line.pk, "code": "HYD", "name": "Hydraulics", "is_active": True}]


def test_only_admins_write_product_lines(api_for, kam_user, admin_user):
    payload = {"code": "ELC", "name": "Electrics"}

    refused = api_for(kam_user).post("/api/product-lines/", payload, format="json")
    created = api_for(admin_user).post("/api/product-lines/", payload, format="json")

    assert (refused.status_code, created.status_code) == (403, 201)
    assert ProductLine.objects.get().code == "ELC"


def test_product_line_in_use_cannot_be_deleted(api_for, admin_user, group, line):
    RevenueFactory(account=group, product_line=line)

    answer = api_for(admin_user).delete(f"/api/product-lines/{line.pk}/")

    assert answer.status_code == 400
    assert ProductLine.objects.filter(pk=line.pk).exists()
