from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.pagination import PageNumberPagination

from accounts.models import Account, AccountTeamMember
from tests.factories import (
    AccountFactory,
    GroupFactory,
    PotentialFactory,
    ProductLineFactory,
    RevenueFactory,
    TeamMemberFactory,
)


@pytest.fixture
def daimler(group):
    """Daimler (owned by `kam_user`) with a headquarters, a 50 % participation and inside that a 40 % one."""
    hq = AccountFactory(name="Daimler HQ", kind=Account.Kind.HEADQUARTERS, parent=group)
    part = AccountFactory(name="Daimler Truck", kind=Account.Kind.PARTICIPATION, ownership_share=50, parent=group)
    sub = AccountFactory(name="Truck Finance", kind=Account.Kind.PARTICIPATION, ownership_share=40, parent=part)
    return {"group": group, "hq": hq, "part": part, "sub": sub}


@pytest.fixture
def bosch(other_kam, kam_user):
    """Another KAM's group; `kam_user` is only on the team of its Brazilian subsidiary."""
    root = GroupFactory(name="Bosch", owner=other_kam)
    brazil = AccountFactory(name="Bosch Brazil", parent=root, country="BR")
    campinas = AccountFactory(name="Bosch Campinas", kind=Account.Kind.BRANCH, parent=brazil, country="BR")
    TeamMemberFactory(account=brazil, user=kam_user, role=AccountTeamMember.Role.LOCAL_ACCOUNT_MANAGER)
    return {"root": root, "brazil": brazil, "campinas": campinas}


def names(answer) -> list[str]:
    assert answer.status_code == 200, answer.content
    return [row["name"] for row in answer.json()["results"]]


# --- reading and visibility ---------------------------------------------------------------


def test_kam_lists_own_subtree_and_nodes_below_a_team_membership(api_for, kam_user, daimler, bosch):
    assert names(api_for(kam_user).get("/api/accounts/")) == [
        "Bosch Brazil",
        "Bosch Campinas",
        "Daimler",
        "Daimler HQ",
        "Daimler Truck",
        "Truck Finance",
    ]


def test_other_kam_sees_nothing_of_a_foreign_group(api_for, other_kam, daimler, bosch):
    api = api_for(other_kam)

    assert names(api.get("/api/accounts/")) == ["Bosch", "Bosch Brazil", "Bosch Campinas"]
    assert api.get(f"/api/accounts/{daimler['hq'].pk}/").status_code == 404
    assert api.get(f"/api/accounts/{daimler['group'].pk}/tree/").status_code == 404


def test_account_detail_shape(api_for, kam_user, daimler):
    part = daimler["part"]

    answer = api_for(kam_user).get(f"/api/accounts/{part.pk}/")

    assert answer.status_code == 200
    assert answer.json() == {
        "id": part.pk,
        "name": "Daimler Truck",
        "kind": "participation",
        "parent": daimler["group"].pk,
        "country": "DE",
        "city": "Stuttgart",
        "ownership_share": "50.00",
        "owner": None,
        "is_key_account": False,
        "archived_at": None,
    }


def test_leadership_reads_everything(api_for, leader, daimler, bosch):
    api = api_for(leader)

    assert len(names(api.get("/api/accounts/"))) == 7
    assert api.get(f"/api/accounts/{daimler['sub'].pk}/").status_code == 200


def test_leadership_cannot_write(api_for, leader, daimler):
    api = api_for(leader)
    hq, group = daimler["hq"], daimler["group"]

    answers = [
        api.patch(f"/api/accounts/{hq.pk}/", {"name": "Renamed"}, format="json"),
        api.delete(f"/api/accounts/{hq.pk}/"),
        api.post(f"/api/accounts/{hq.pk}/move/", {"parent": daimler["part"].pk}, format="json"),
        api.post("/api/accounts/", {"name": "New", "kind": "subsidiary", "parent": group.pk}, format="json"),
    ]

    assert [answer.status_code for answer in answers] == [403, 403, 403, 403]
    hq.refresh_from_db()
    assert (hq.name, hq.parent_id, hq.archived_at) == ("Daimler HQ", group.pk, None)
    assert Account.objects.count() == 4


def test_regional_colleague_sees_no_accounts_yet(api_for, regional, daimler):
    api = api_for(regional)

    assert names(api.get("/api/accounts/")) == []
    assert api.get(f"/api/accounts/{daimler['group'].pk}/").status_code == 404


def test_admin_changes_any_account(api_for, admin_user, bosch):
    answer = api_for(admin_user).patch(f"/api/accounts/{bosch['brazil'].pk}/", {"city": "São Paulo"}, format="json")

    assert answer.status_code == 200
    bosch["brazil"].refresh_from_db()
    assert bosch["brazil"].city == "São Paulo"


def test_list_filters(api_for, kam_user, daimler, bosch):
    api = api_for(kam_user)

    assert names(api.get("/api/accounts/", {"kind": "participation"})) == ["Daimler Truck", "Truck Finance"]
    assert names(api.get("/api/accounts/", {"country": "br"})) == ["Bosch Brazil", "Bosch Campinas"]
    assert names(api.get("/api/accounts/", {"parent": daimler["group"].pk})) == ["Daimler HQ", "Daimler Truck"]
    assert names(api.get("/api/accounts/", {"owner": kam_user.pk})) == ["Daimler"]
    assert names(api.get("/api/accounts/", {"is_key_account": "true"})) == ["Daimler"]
    assert names(api.get("/api/accounts/", {"search": "truck"})) == ["Daimler Truck", "Truck Finance"]
    assert names(api.get("/api/accounts/", {"ordering": "-name", "search": "truck"})) == [
        "Truck Finance",
        "Daimler Truck",
    ]


def test_list_is_paginated(api_for, kam_user, group, monkeypatch):
    # The page size is read once at import time, so a settings override would not reach it.
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    for n in range(4):
        AccountFactory(name=f"Branch {n}", kind=Account.Kind.BRANCH, parent=group)

    body = api_for(kam_user).get("/api/accounts/").json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5
    assert body["previous"] is None
    assert body["next"].endswith("/api/accounts/?page=2")
    assert [row["name"] for row in body["results"]] == ["Branch 0", "Branch 1"]


def test_list_query_count_does_not_grow_with_rows(api_for, kam_user, group, django_assert_max_num_queries):
    api = api_for(kam_user)
    for n in range(40):
        AccountFactory(name=f"Branch {n}", kind=Account.Kind.BRANCH, parent=group, owner=kam_user)

    # session, user, count, page: the visibility rule is a subquery, not a query per row.
    with django_assert_max_num_queries(4):
        answer = api.get("/api/accounts/")

    assert answer.json()["count"] == 41


# --- creating and changing ----------------------------------------------------------------


def test_kam_creates_a_subsidiary(api_for, kam_user, group):
    payload = {"name": "Mercedes-Benz AG", "kind": "subsidiary", "parent": group.pk, "country": "DE", "city": "Berlin"}

    answer = api_for(kam_user).post("/api/accounts/", payload, format="json")

    assert answer.status_code == 201, answer.content
    created = Account.objects.get(name="Mercedes-Benz AG")
    assert (created.parent, created.country.code, answer.json()["id"]) == (group, "DE", created.pk)


def test_kam_creates_a_group_and_owns_it(api_for, kam_user):
    answer = api_for(kam_user).post("/api/accounts/", {"name": "Siemens", "kind": "group"}, format="json")

    assert answer.status_code == 201, answer.content
    assert answer.json()["owner"] == kam_user.pk


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "JV", "kind": "participation"}, "ownership_share"),
        ({"name": "JV", "kind": "participation", "ownership_share": "150"}, "ownership_share"),
        ({"name": "x" * 201, "kind": "subsidiary"}, "name"),
        ({"name": "Branch", "kind": "branch", "country": "XX"}, "country"),
        ({"name": "Loose", "kind": "subsidiary", "parent": None}, "kind"),
    ],
)
def test_bad_account_is_refused_with_a_field_error(api_for, kam_user, group, payload, field):
    payload = {"parent": group.pk, **payload}

    answer = api_for(kam_user).post("/api/accounts/", payload, format="json")

    assert answer.status_code == 400
    assert field in answer.json()
    assert Account.objects.count() == 1


def test_invisible_parent_is_refused_as_unknown(api_for, kam_user, other_kam):
    foreign = GroupFactory(name="BMW", owner=other_kam)

    answer = api_for(kam_user).post(
        "/api/accounts/", {"name": "Spy", "kind": "subsidiary", "parent": foreign.pk}, format="json"
    )

    assert answer.status_code == 400
    assert "does not exist" in answer.json()["parent"][0]
    assert Account.objects.count() == 1


def test_update_cannot_change_the_parent(api_for, kam_user, daimler):
    hq = daimler["hq"]

    answer = api_for(kam_user).patch(f"/api/accounts/{hq.pk}/", {"parent": daimler["part"].pk}, format="json")

    assert answer.status_code == 400
    assert "move/" in answer.json()["parent"][0]
    hq.refresh_from_db()
    assert hq.parent == daimler["group"]


def test_update_changes_fields(api_for, kam_user, daimler):
    part = daimler["part"]

    answer = api_for(kam_user).patch(
        f"/api/accounts/{part.pk}/", {"ownership_share": "75.5", "parent": daimler["group"].pk}, format="json"
    )

    assert answer.status_code == 200, answer.content
    part.refresh_from_db()
    assert part.ownership_share == Decimal("75.50")


def test_update_refusal_changes_nothing(api_for, kam_user, daimler):
    hq = daimler["hq"]

    answer = api_for(kam_user).patch(f"/api/accounts/{hq.pk}/", {"ownership_share": "20"}, format="json")

    assert answer.status_code == 400
    assert "ownership_share" in answer.json()
    hq.refresh_from_db()
    assert hq.ownership_share is None


def test_delete_archives_the_subtree(api_for, kam_user, daimler):
    api = api_for(kam_user)
    part = daimler["part"]

    answer = api.delete(f"/api/accounts/{part.pk}/")

    assert answer.status_code == 204
    assert Account.objects.count() == 4
    assert set(Account.objects.filter(archived_at__isnull=False).values_list("name", flat=True)) == {
        "Daimler Truck",
        "Truck Finance",
    }
    assert names(api.get("/api/accounts/")) == ["Daimler", "Daimler HQ"]
    assert names(api.get("/api/accounts/", {"archived": "true"})) == ["Daimler Truck", "Truck Finance"]


def test_restore_brings_back_the_subtree(api_for, kam_user, daimler):
    api = api_for(kam_user)
    part = daimler["part"]
    api.delete(f"/api/accounts/{part.pk}/")

    answer = api.post(f"/api/accounts/{part.pk}/restore/")

    assert answer.status_code == 200
    assert answer.json()["archived_at"] is None
    assert not Account.objects.filter(archived_at__isnull=False).exists()


# --- moving -------------------------------------------------------------------------------


def test_move_puts_the_account_under_a_new_parent(api_for, kam_user, daimler):
    hq, part = daimler["hq"], daimler["part"]

    answer = api_for(kam_user).post(f"/api/accounts/{hq.pk}/move/", {"parent": part.pk}, format="json")

    assert answer.status_code == 200, answer.content
    assert answer.json()["parent"] == part.pk
    hq.refresh_from_db()
    assert hq.parent == part


def test_move_into_own_subtree_is_refused(api_for, kam_user, daimler):
    part, sub = daimler["part"], daimler["sub"]

    answer = api_for(kam_user).post(f"/api/accounts/{part.pk}/move/", {"parent": sub.pk}, format="json")

    assert answer.status_code == 400
    assert "cycle" in answer.json()["parent"][0]
    part.refresh_from_db()
    assert part.parent == daimler["group"]


def test_move_under_invisible_parent_is_refused(api_for, kam_user, daimler, bosch):
    hq = daimler["hq"]

    answer = api_for(kam_user).post(f"/api/accounts/{hq.pk}/move/", {"parent": bosch["root"].pk}, format="json")

    assert answer.status_code == 400
    assert "does not exist" in answer.json()["parent"][0]
    hq.refresh_from_db()
    assert hq.parent == daimler["group"]


def test_move_requires_a_parent_field(api_for, kam_user, daimler):
    answer = api_for(kam_user).post(f"/api/accounts/{daimler['hq'].pk}/move/", {}, format="json")

    assert answer.status_code == 400
    assert "parent" in answer.json()


# --- tree ---------------------------------------------------------------------------------


def test_tree_rolls_up_participations_proportionally(api_for, kam_user, daimler):
    a, b = ProductLineFactory(code="A"), ProductLineFactory(code="B")
    figures = [
        # account, product line, revenue, potential
        (daimler["group"], a, "100", "300"),
        (daimler["hq"], a, "50", "40"),  # revenue above potential: no whitespace, not negative
        (daimler["hq"], b, None, "100"),
        (daimler["part"], a, "200", "400"),
        (daimler["sub"], a, "100", "1000"),
    ]
    for account, line, revenue, potential in figures:
        if revenue:
            RevenueFactory(account=account, product_line=line, year=2026, amount=Decimal(revenue))
        PotentialFactory(account=account, product_line=line, year=2026, amount=Decimal(potential))
    RevenueFactory(account=daimler["group"], product_line=b, year=2025, amount=Decimal("999"))  # other year

    answer = api_for(kam_user).get(f"/api/accounts/{daimler['group'].pk}/tree/", {"year": 2026})

    assert answer.status_code == 200
    root = answer.json()
    hq, part = root["children"]
    (sub,) = part["children"]
    # Truck Finance: own 100 / 1000, whitespace 900.
    assert sub["rollup"] == {
        "revenue": "100.00",
        "potential": "1000.00",
        "whitespace": "900.00",
        "share_of_wallet": "0.1000",
    }
    # Daimler Truck: own 200 / 400 / 200 plus 40 % of Truck Finance (40 / 400 / 360).
    assert part["own"] == {
        "revenue": "200.00",
        "potential": "400.00",
        "whitespace": "200.00",
        "share_of_wallet": "0.5000",
    }
    assert part["rollup"] == {
        "revenue": "240.00",
        "potential": "800.00",
        "whitespace": "560.00",
        "share_of_wallet": "0.3000",
    }
    # HQ: A has 50 / 40 (whitespace 0), B has 0 / 100 (whitespace 100); 50 / 140 = 0.3571.
    assert hq["rollup"] == {
        "revenue": "50.00",
        "potential": "140.00",
        "whitespace": "100.00",
        "share_of_wallet": "0.3571",
    }
    # Daimler: own 100 / 300 / 200 + HQ 50 / 140 / 100 + 50 % of Daimler Truck (120 / 400 / 280).
    assert root["own"] == {
        "revenue": "100.00",
        "potential": "300.00",
        "whitespace": "200.00",
        "share_of_wallet": "0.3333",
    }
    assert root["rollup"] == {
        "revenue": "270.00",
        "potential": "840.00",
        "whitespace": "580.00",
        "share_of_wallet": "0.3214",
    }
    assert (root["name"], root["kind"], root["country"], hq["name"]) == ("Daimler", "group", "DE", "Daimler HQ")
    assert sub["children"] == []


def test_tree_defaults_to_the_current_year(api_for, kam_user, group):
    RevenueFactory(account=group, year=timezone.localdate().year, amount=Decimal("10"))

    root = api_for(kam_user).get(f"/api/accounts/{group.pk}/tree/").json()

    assert root["own"] == {"revenue": "10.00", "potential": "0.00", "whitespace": "0.00", "share_of_wallet": None}


@pytest.mark.parametrize("year", ["soon", "1200"])
def test_tree_refuses_a_bad_year(api_for, kam_user, group, year):
    answer = api_for(kam_user).get(f"/api/accounts/{group.pk}/tree/", {"year": year})

    assert answer.status_code == 400
    assert "year" in answer.json()
