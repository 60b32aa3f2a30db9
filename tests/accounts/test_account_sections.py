"""The account page beyond the hierarchy: relationship figures from the current snapshot, trend
charts, the whitespace grid, the plan section and the alerts section; what a regional colleague
sees of them; and that none of them costs more queries as the group grows.

    Nordwerk (group)                   CARS r 100 p 400   VANS p 300 (untapped)
    ├── Nordwerk Süd                   CARS r 50  p 50    (no whitespace)
    └── Nordwerk Ost (BR)              VANS p 900 (untapped: the biggest gap)
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from kam.top import snapshots
from planning.models import Activity
from stakeholders.models import Alert, Relationship, Stakeholder
from tests.factories import (
    AccountFactory,
    ActivityFactory,
    GroupFactory,
    ObjectiveFactory,
    PlanFactory,
    ProductLineFactory,
    StakeholderFactory,
    bulk_tree,
    figures,
)

YEAR = timezone.localdate().year
TODAY = timezone.localdate()
S = Activity.Status


def url(name: str, *args) -> str:
    return reverse(name, args=args)


@pytest.fixture
def lines(db):
    return ProductLineFactory(code="CARS"), ProductLineFactory(code="VANS")


@pytest.fixture
def nordwerk(kam_user, lines):
    cars, vans = lines
    group = GroupFactory(name="Nordwerk", owner=kam_user)
    sued = AccountFactory(name="Nordwerk Süd", parent=group)
    ost = AccountFactory(name="Nordwerk Ost", parent=group, country="BR")
    figures(group, cars, year=YEAR, revenue=100, potential=400)
    figures(group, vans, year=YEAR, potential=300)
    figures(sued, cars, year=YEAR, revenue=50, potential=50)
    figures(ost, vans, year=YEAR, potential=900)
    anna = StakeholderFactory(account=group, first_name="Anna", buying_role=Stakeholder.BuyingRole.DECISION_MAKER)
    bert = StakeholderFactory(account=ost, first_name="Bert", buying_role=Stakeholder.BuyingRole.ECONOMIC_BUYER)
    Relationship.objects.create(user=kam_user, stakeholder=anna, status=Relationship.Status.WARM)
    Relationship.objects.create(user=kam_user, stakeholder=bert, status=Relationship.Status.COLD)
    Alert.objects.create(
        kind=Alert.Kind.RELATIONSHIP_DECAY, account=ost, stakeholder=bert, user=kam_user,
        days_without_contact=90, cadence_days=30, raised_at=timezone.now(),
    )  # fmt: skip
    snapshots.snapshot_groups([group.pk])
    snapshots.backfill_history([group.pk])
    return {"group": group, "sued": sued, "ost": ost, "anna": anna, "bert": bert}


# --- the page -------------------------------------------------------------------------------


def test_the_page_shows_relationship_health_and_trends_of_the_subtree(client_for, kam_user, nordwerk):
    answer = client_for(kam_user).get(url("accounts:detail", nordwerk["group"].pk))

    latest = answer.context["latest"]
    assert (latest.key_people, latest.warm_key_people, latest.open_alerts) == (2, 1, 1)
    page = answer.content.decode()
    assert "1 of 2 key people warm" in page and "1 of 2 covered" in page
    titles = [title for title, _chart in answer.context["trend_charts"]]
    assert [str(t) for t in titles] == ["Revenue and potential", "Share of wallet and relationship health"]
    amounts = answer.context["trend_charts"][0][1]
    assert [line.key for line in amounts.lines] == ["revenue", "potential"]
    assert len(amounts.days) == 13  # twelve months back and today
    for lazy in (url("accounts:whitespace", nordwerk["group"].pk), url("planning:account_plan", nordwerk["group"].pk)):
        assert lazy in page


def test_a_node_never_computed_has_no_trends_and_no_health(client_for, kam_user, lines):
    fresh = GroupFactory(name="Fresh", owner=kam_user)

    answer = client_for(kam_user).get(url("accounts:detail", fresh.pk))
    assert answer.context["latest"] is None and answer.context["trend_charts"] == []
    assert "Trends" not in answer.content.decode()


def test_a_regional_colleague_sees_the_nodes_own_trend_and_no_subtree_health(client_for, kam_user, regional, nordwerk):
    ActivityFactory(
        plan=PlanFactory(account=nordwerk["group"], year=YEAR),
        account=nordwerk["ost"],
        status=S.ASSIGNED,
        assignee=regional,
    )

    answer = client_for(regional).get(url("accounts:detail", nordwerk["ost"].pk))
    assert answer.status_code == 200
    assert answer.context["latest"] is None  # the counts span the subtree
    titles = [str(title) for title, _chart in answer.context["trend_charts"]]
    assert titles == ["Revenue and potential", "Share of wallet"]
    assert client_for(regional).get(url("accounts:detail", nordwerk["group"].pk)).status_code == 404


# --- the whitespace grid ----------------------------------------------------------------------


def grid(client, account, **params):
    answer = client.get(url("accounts:whitespace", account.pk), params)
    assert answer.status_code == 200
    return answer


def test_the_grid_has_a_row_per_node_with_figures_and_marks_untapped_cells(client_for, kam_user, nordwerk, lines):
    answer = grid(client_for(kam_user), nordwerk["group"])

    rows = {row.node.name: row for row in answer.context["page"].object_list}
    assert list(rows) == ["Nordwerk", "Nordwerk Ost", "Nordwerk Süd"]
    cars, vans = (cell for cell in rows["Nordwerk"].cells)
    assert (cars.figures.revenue, cars.figures.potential, cars.figures.whitespace) == (100, 400, 300)
    assert not cars.untapped and vans.untapped and cars.won_percent == 25
    ost_cars, ost_vans = rows["Nordwerk Ost"].cells
    assert ost_cars.figures is None and ost_vans.untapped and ost_vans.shade == 1.0
    assert rows["Nordwerk Süd"].cells[0].figures.whitespace == 0
    page = answer.content.decode()
    assert page.count('class="cell untapped"') == 2


def test_the_grid_orders_by_whitespace_or_untapped_potential(client_for, kam_user, nordwerk):
    client = client_for(kam_user)

    by_gap = [row.node.name for row in grid(client, nordwerk["group"], order="whitespace").context["page"]]
    assert by_gap == ["Nordwerk Ost", "Nordwerk", "Nordwerk Süd"]  # 900, 600, 0
    untapped = [row.node.name for row in grid(client, nordwerk["group"], order="untapped").context["page"]]
    assert untapped == ["Nordwerk Ost", "Nordwerk", "Nordwerk Süd"]  # 900, 300, 0


def test_a_regional_colleague_sees_only_the_assigned_node_in_the_grid(client_for, regional, nordwerk):
    ActivityFactory(
        plan=PlanFactory(account=nordwerk["group"], year=YEAR),
        account=nordwerk["ost"],
        status=S.ASSIGNED,
        assignee=regional,
    )
    client = client_for(regional)

    assert [row.node.name for row in grid(client, nordwerk["ost"]).context["page"]] == ["Nordwerk Ost"]
    assert client.get(url("accounts:whitespace", nordwerk["group"].pk)).status_code == 404


# --- the plan section ---------------------------------------------------------------------------


def plan_section(client, account):
    answer = client.get(url("planning:account_plan", account.pk))
    assert answer.status_code == 200
    return answer.context["work"]


def test_the_plan_section_shows_the_nearest_plan_and_the_open_work_below(client_for, kam_user, nordwerk):
    plan = PlanFactory(account=nordwerk["group"], year=YEAR, title="Nordwerk plan")
    ObjectiveFactory(plan=plan, title="Typed", target_value=10, current_value=4)
    PlanFactory(account=nordwerk["group"], year=YEAR - 1, title="Last year")
    ActivityFactory(plan=plan, account=nordwerk["ost"], title="Late", due_on=TODAY - timedelta(days=2), urgency=5)
    ActivityFactory(plan=plan, account=nordwerk["sued"], title="Later", due_on=TODAY + timedelta(days=9))
    ActivityFactory(plan=plan, title="Done", status=S.DONE, completed_at=timezone.now())
    client = client_for(kam_user)

    work = plan_section(client, nordwerk["ost"])
    assert work.plan == plan  # the group's plan covers its nodes
    assert [a.title for a in work.activities] == ["Late"]
    assert (work.open_count, work.overdue_count) == (1, 1)
    top = plan_section(client, nordwerk["group"])
    assert [a.title for a in top.activities] == ["Late", "Later"]
    assert (top.open_count, top.overdue_count, top.done_count) == (2, 1, 1)
    assert [o.progress for o in top.objectives] == [Decimal("0.4")]


def test_the_plan_section_without_a_plan_offers_one_to_the_kam(client_for, kam_user, nordwerk):
    answer = client_for(kam_user).get(url("planning:account_plan", nordwerk["group"].pk))

    assert answer.context["work"].plan is None
    assert f"{reverse('planning:plan_create')}?account={nordwerk['group'].pk}" in answer.content.decode()


def test_the_alerts_section_lists_the_subtrees_open_alerts(client_for, kam_user, other_kam, nordwerk):
    other = GroupFactory(name="Bosch", owner=other_kam)
    other_person = StakeholderFactory(account=other)
    Alert.objects.create(
        kind=Alert.Kind.CADENCE_MISSED, account=other, stakeholder=other_person, user=other_kam,
        days_without_contact=40, cadence_days=30, raised_at=timezone.now(),
    )  # fmt: skip
    client = client_for(kam_user)

    section = client.get(
        reverse("stakeholders:alerts"),
        {"account": nordwerk["group"].pk, "scope": "all", "status": "open"},
        headers={"HX-Request": "true"},
    )
    assert [alert.stakeholder for alert in section.context["page"]] == [nordwerk["bert"]]


# --- query counts ---------------------------------------------------------------------------------

BOUND = 15


def count(django_assert_max_num_queries, client, name, account) -> int:
    with django_assert_max_num_queries(BOUND) as captured:
        assert client.get(url(name, account.pk)).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["accounts:detail", "accounts:whitespace", "planning:account_plan"])
def test_sections_cost_the_same_queries_for_10_and_600_nodes(
    django_assert_max_num_queries, client_for, kam_user, lines, name
):
    client = client_for(kam_user)
    sizes = []
    for size in (10, 600):
        root = GroupFactory(name=f"Group of {size}", owner=kam_user)
        nodes = bulk_tree(root, size=size, product_line=lines[0], year=YEAR)
        plan = PlanFactory(account=root, year=YEAR)
        ObjectiveFactory(plan=plan, metric="revenue_total", target_value=1000)
        for node in nodes[: size // 10]:
            ActivityFactory(plan=plan, account=node, due_on=TODAY - timedelta(days=1))
        snapshots.snapshot_groups([root.pk])
        snapshots.backfill_history([root.pk])
        sizes.append(count(django_assert_max_num_queries, client, name, root))
    assert sizes[0] == sizes[1]
    assert Account.objects.count() == 610


def test_trend_chart_coordinates_keep_a_decimal_point_in_german(client_for, kam_user, nordwerk):
    client = client_for(kam_user)
    client.cookies["django_language"] = "de"

    page = client.get(url("accounts:detail", nordwerk["group"].pk)).content.decode()
    chart = page[page.index('class="trend-charts"') :]
    points = re.findall(r'points="([^"]*)"', chart)
    assert points and all(re.fullmatch(r"[\d. ,-]+", value) and ",," not in value for value in points)
    for pair in " ".join(points).split():
        assert re.fullmatch(r"\d+(\.\d+)?,\d+(\.\d+)?", pair)
