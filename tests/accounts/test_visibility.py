"""One visibility rule per role, checked on the queryset and on every account page.

Daimler (owned by kam_user)
├── Daimler HQ
├── Daimler Trucks          ← team_kam is on its team
│   └── Trucks Brazil
└── Daimler Vans
Bosch (owned by other_kam)
"""

import pytest
from django.urls import reverse

from accounts.models import Account
from kam.models import User
from tests.factories import AccountFactory, GroupFactory, TeamMemberFactory, UserFactory

DAIMLER = {"Daimler", "Daimler HQ", "Daimler Trucks", "Trucks Brazil", "Daimler Vans"}
WRITE_PAGES = ["accounts:edit", "accounts:move", "accounts:figures", "accounts:archive"]


@pytest.fixture
def tree(group, team_kam, other_kam):
    hq = AccountFactory(name="Daimler HQ", kind=Account.Kind.HEADQUARTERS, parent=group)
    trucks = AccountFactory(name="Daimler Trucks", parent=group)
    brazil = AccountFactory(name="Trucks Brazil", kind=Account.Kind.BRANCH, parent=trucks, country="BR")
    vans = AccountFactory(name="Daimler Vans", parent=group)
    TeamMemberFactory(account=trucks, user=team_kam)
    bosch = GroupFactory(name="Bosch", owner=other_kam)
    return {"group": group, "hq": hq, "trucks": trucks, "brazil": brazil, "vans": vans, "bosch": bosch}


def visible_names(user) -> set[str]:
    return set(Account.objects.visible_to(user).values_list("name", flat=True))


def editable_names(user) -> set[str]:
    return set(Account.objects.editable_by(user).values_list("name", flat=True))


def listed_names(client) -> set[str]:
    answer = client.get(reverse("accounts:list"))
    assert answer.status_code == 200
    return {account.name for account in answer.context["page"].object_list}


def status(client, name: str, account: Account) -> int:
    return client.get(reverse(name, args=[account.pk])).status_code


# --- KAM who owns the group ------------------------------------------------------------------


def test_owner_sees_and_edits_the_whole_subtree_of_their_group(kam_user, tree):
    assert visible_names(kam_user) == DAIMLER
    assert editable_names(kam_user) == DAIMLER


def test_owner_opens_every_page_of_every_node(client_for, kam_user, tree):
    client = client_for(kam_user)

    assert listed_names(client) == DAIMLER
    for key in ("group", "hq", "brazil"):
        assert status(client, "accounts:detail", tree[key]) == 200
        for name in WRITE_PAGES:
            assert status(client, name, tree[key]) == 200, name


# --- KAM on the team of one subsidiary -------------------------------------------------------


def test_team_member_sees_only_the_subtree_of_their_node(team_kam, tree):
    assert visible_names(team_kam) == {"Daimler Trucks", "Trucks Brazil"}
    assert editable_names(team_kam) == {"Daimler Trucks", "Trucks Brazil"}


def test_team_member_pages_show_their_subtree_and_hide_root_and_siblings(client_for, team_kam, tree):
    client = client_for(team_kam)

    assert listed_names(client) == {"Daimler Trucks", "Trucks Brazil"}
    assert status(client, "accounts:detail", tree["trucks"]) == 200
    assert status(client, "accounts:edit", tree["brazil"]) == 200
    for key in ("group", "hq", "vans", "bosch"):
        assert status(client, "accounts:detail", tree[key]) == 404, key
        assert status(client, "accounts:edit", tree[key]) == 404, key


def test_team_member_breadcrumbs_leave_out_the_hidden_root(client_for, team_kam, tree):
    answer = client_for(team_kam).get(reverse("accounts:detail", args=[tree["brazil"].pk]))

    assert [a.name for a in answer.context["breadcrumbs"]] == ["Daimler Trucks"]
    assert reverse("accounts:detail", args=[tree["group"].pk]) not in answer.content.decode()


# --- another KAM -----------------------------------------------------------------------------


def test_other_kam_sees_nothing_of_a_foreign_group(other_kam, tree):
    assert visible_names(other_kam) == {"Bosch"}
    assert editable_names(other_kam) == {"Bosch"}


def test_other_kam_gets_404_on_every_page_of_a_foreign_group(client_for, other_kam, tree):
    client = client_for(other_kam)

    page = client.get(reverse("accounts:list")).content.decode()
    for name in DAIMLER:
        assert name not in page
    for key in ("group", "trucks", "brazil"):
        for name in ["accounts:detail", *WRITE_PAGES]:
            assert status(client, name, tree[key]) == 404, (key, name)
    assert client.post(reverse("accounts:archive", args=[tree["group"].pk])).status_code == 404
    assert client.post(reverse("accounts:restore", args=[tree["group"].pk])).status_code == 404
    assert not Account.objects.filter(archived_at__isnull=False).exists()


def test_other_kam_search_leaks_nothing(client_for, other_kam, tree):
    answer = client_for(other_kam).get(reverse("accounts:list"), {"q": "Trucks"})

    assert answer.context["page"].paginator.count == 0
    assert "Daimler Trucks" not in answer.content.decode()
    assert "Trucks Brazil" not in answer.content.decode()


# --- leadership ------------------------------------------------------------------------------


def test_leadership_sees_everything_and_edits_nothing(leader, tree):
    assert visible_names(leader) == DAIMLER | {"Bosch"}
    assert editable_names(leader) == set()


def test_leadership_reads_every_page_but_gets_403_on_writes(client_for, leader, tree):
    client = client_for(leader)

    assert listed_names(client) == DAIMLER | {"Bosch"}
    for key in ("group", "brazil", "bosch"):
        assert status(client, "accounts:detail", tree[key]) == 200
        for name in WRITE_PAGES:
            assert status(client, name, tree[key]) == 403, (key, name)
    assert client.post(reverse("accounts:archive", args=[tree["group"].pk])).status_code == 403
    assert client.post(reverse("accounts:edit", args=[tree["hq"].pk]), {"name": "X"}).status_code == 403
    assert not Account.objects.filter(archived_at__isnull=False).exists()
    assert Account.objects.get(pk=tree["hq"].pk).name == "Daimler HQ"


def test_leadership_account_page_offers_no_edit_actions(client_for, leader, tree):
    answer = client_for(leader).get(reverse("accounts:detail", args=[tree["group"].pk]))

    assert answer.context["can_edit"] is False
    assert reverse("accounts:edit", args=[tree["group"].pk]) not in answer.content.decode()


# --- regional colleague ----------------------------------------------------------------------


def test_regional_sees_nothing_until_tasks_are_assigned(client_for, regional, tree):
    client = client_for(regional)

    assert visible_names(regional) == set()
    assert listed_names(client) == set()
    for key in ("group", "brazil", "bosch"):
        assert status(client, "accounts:detail", tree[key]) == 404
        assert status(client, "accounts:edit", tree[key]) == 404


# --- admin -----------------------------------------------------------------------------------


def test_admin_sees_and_edits_everything(client_for, admin_user, tree):
    client = client_for(admin_user)

    assert visible_names(admin_user) == editable_names(admin_user) == DAIMLER | {"Bosch"}
    assert listed_names(client) == DAIMLER | {"Bosch"}
    for key in ("group", "brazil", "bosch"):
        for name in ["accounts:detail", *WRITE_PAGES]:
            assert status(client, name, tree[key]) == 200, (key, name)


def test_the_admin_role_alone_writes_everything(client_for, db, tree):
    admin = UserFactory(username="roleadmin", role=User.Role.ADMIN)

    assert editable_names(admin) == DAIMLER | {"Bosch"}
    assert status(client_for(admin), "accounts:edit", tree["bosch"]) == 200


# --- inactive users --------------------------------------------------------------------------


def test_an_inactive_user_sees_nothing(inactive_kam, client_for, tree):
    tree["group"].owner = inactive_kam
    tree["group"].save()

    assert visible_names(inactive_kam) == set()
    assert editable_names(inactive_kam) == set()
    # Django's auth backend refuses inactive users, so every page sends them to the login.
    client = client_for(inactive_kam)
    for url in (reverse("accounts:list"), reverse("accounts:detail", args=[tree["group"].pk])):
        answer = client.get(url)
        assert answer.status_code == 302
        assert answer.url.startswith(reverse("login"))


def test_a_regional_colleague_sees_the_assigned_node_alone_on_its_page(client_for, api_for, regional, kam_user):
    from planning.models import Activity
    from tests.factories import AccountFactory, GroupFactory, ProductLineFactory, RevenueFactory

    group = GroupFactory(name="Daimler", owner=kam_user)
    brazil = AccountFactory(name="Mercedes-Benz do Brasil", parent=group)
    plant = AccountFactory(name="Mercedes-Benz Iracemápolis", parent=brazil)
    line = ProductLineFactory()
    RevenueFactory(account=brazil, product_line=line, amount=100, year=2026)
    RevenueFactory(account=plant, product_line=line, amount=40, year=2026)
    Activity.objects.create(
        account=brazil,
        title="Service offer",
        assignee=regional,
        status="accepted",
        impact=3,
        urgency=3,
        effort_hours=4,
        created_by=kam_user,
    )
    page = client_for(regional).get(f"/accounts/{brazil.pk}/?year=2026").content.decode()
    assert "Mercedes-Benz do Brasil" in page
    assert "Iracemápolis" not in page, "a child that is not assigned stays unknown"
    tree = api_for(regional).get(f"/api/accounts/{brazil.pk}/tree/?year=2026").json()
    assert tree["children"] == [] and tree["rollup"]["revenue"] == tree["own"]["revenue"] == "100.00"
