"""The portfolio dashboard (home of KAMs and sales leadership) against the figures computed by
hand in conftest.py, through the test client."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kam.top import snapshots
from tests.factories import (
    ActivityFactory,
    GroupFactory,
    ObjectiveFactory,
    PlanFactory,
    PotentialFactory,
    ProductLineFactory,
    RevenueFactory,
)

HOME = reverse("home")


def rows_of(answer) -> dict:
    return {row.name: row for row in answer.context["rows"]}


def names(answer) -> list[str]:
    return [row.name for row in answer.context["rows"]]


def test_leader_sees_every_key_account_with_figures_computed_by_hand(client_for, leader, portfolio_data):
    answer = client_for(leader).get(HOME)

    assert answer.status_code == 200
    nordwerk = rows_of(answer)["Nordwerk"]
    assert (nordwerk.revenue, nordwerk.potential, nordwerk.whitespace) == (Decimal(1600), Decimal(5500), Decimal(3900))
    assert nordwerk.share_of_wallet == Decimal("0.2909")
    assert nordwerk.share_then == Decimal("0.2000")
    assert nordwerk.trend == Decimal("0.0909")
    assert (nordwerk.key_people, nordwerk.warm_key_people, nordwerk.health) == (5, 3, Decimal("0.6"))
    assert (nordwerk.decision_makers, nordwerk.covered_decision_makers) == (3, 2)
    assert nordwerk.coverage == Decimal("0.6667")
    assert nordwerk.open_alerts == 2
    assert timezone.now() - nordwerk.last_contact_at - timedelta(days=3) < timedelta(minutes=5)
    plan = nordwerk.plan
    assert (plan.objectives, plan.progress, plan.activities, plan.done, plan.overdue) == (2, Decimal("0.5"), 3, 1, 1)
    page = answer.content.decode()
    for shown in ("1,600", "5,500", "3,900", "29.1 %", "+9.1 pp", "60.0 %", "3/5", "2/3", "50.0 %", "1/3 done"):
        assert shown in page, shown


def test_accounts_without_people_have_no_health_and_sort_last(client_for, leader, portfolio_data):
    client = client_for(leader)

    rows = rows_of(client.get(HOME))
    assert rows["Bosch"].health is None and rows["Bosch"].health_band == "unknown"
    assert rows["Castell"].health == Decimal(1)
    assert names(client.get(HOME, {"sort": "health"})) == ["Nordwerk", "Castell", "Bosch"]
    assert names(client.get(HOME, {"sort": "-health"})) == ["Castell", "Nordwerk", "Bosch"]
    assert names(client.get(HOME, {"sort": "-revenue"})) == ["Nordwerk", "Bosch", "Castell"]
    assert names(client.get(HOME, {"sort": "name"})) == ["Bosch", "Castell", "Nordwerk"]


def test_a_kam_reviews_the_accounts_they_own_or_are_on_the_team_of(client_for, kam_user, other_kam, portfolio_data):
    assert sorted(names(client_for(kam_user).get(HOME))) == ["Castell", "Nordwerk"]
    answer = client_for(other_kam).get(HOME)
    assert sorted(names(answer)) == ["Bosch", "Castell"]
    assert "Nordwerk" not in answer.content.decode()


def test_a_regional_colleague_gets_their_tasks_and_no_portfolio(client_for, regional, portfolio_data):
    client = client_for(regional)

    answer = client.get(HOME)
    assert "portfolio" not in answer.context
    assert "Nordwerk" not in answer.content.decode()
    assert client.get(reverse("portfolio_export_csv")).status_code == 403


def test_filters_by_owner_country_health_and_search(client_for, leader, other_kam, portfolio_data):
    client = client_for(leader)

    assert sorted(names(client.get(HOME, {"owner": other_kam.pk}))) == ["Bosch", "Castell"]
    assert names(client.get(HOME, {"country": "it"})) == ["Castell"]
    assert names(client.get(HOME, {"health": "healthy", "sort": "name"})) == ["Castell", "Nordwerk"]
    assert names(client.get(HOME, {"health": "unknown"})) == ["Bosch"]
    assert names(client.get(HOME, {"health": "critical"})) == []
    assert names(client.get(HOME, {"q": "nord"})) == ["Nordwerk"]
    answer = client.get(HOME, {"q": "nord"})
    assert answer.context["portfolio"].total == 3
    assert [name for _, name in answer.context["portfolio"].owners] == ["kam", "otherkam"]


def test_the_segmentation_splits_at_half_health_and_the_median_whitespace(client_for, leader, portfolio_data):
    client = client_for(leader)

    answer = client.get(HOME)
    data = answer.context["portfolio"]
    assert data.whitespace_median == Decimal(3900)
    assert {row.name: row.quadrant for row in data.charted} == {
        "Nordwerk": "develop",  # 3,900 whitespace (the median), 60 % health
        "Castell": "develop",
        "Bosch": "review",  # no whitespace, nobody known
    }
    assert data.quadrant_counts() == {"develop": 2, "connect": 0, "maintain": 0, "review": 1}
    assert len(answer.context["chart"].dots) == 3
    assert names(client.get(HOME, {"quadrant": "review"})) == ["Bosch"]
    # The chart keeps every segment while the table shows one.
    assert len(client.get(HOME, {"quadrant": "review"}).context["chart"].dots) == 3


def test_a_key_account_not_computed_yet_shows_dashes_and_no_dot(client_for, leader, portfolio_data):
    GroupFactory(name="Zeta", owner=leader)

    answer = client_for(leader).get(HOME, {"sort": "-revenue"})
    assert names(answer)[-1] == "Zeta"
    zeta = rows_of(answer)["Zeta"]
    assert zeta.day is None and zeta.revenue is None and zeta.quadrant == ""
    assert "Zeta" not in [row.name for row in answer.context["portfolio"].charted]


def test_htmx_gets_only_the_results(client_for, leader, portfolio_data):
    answer = client_for(leader).get(HOME, {"sort": "-health"}, headers={"HX-Request": "true"})

    assert [t.name for t in answer.templates][0] == "kam/partials/portfolio_results.html"
    assert b"<html" not in answer.content


def test_bad_filter_values_fall_back_to_the_whole_portfolio(client_for, leader, portfolio_data):
    answer = client_for(leader).get(HOME, {"sort": "password", "owner": "x"})

    assert answer.status_code == 200
    assert len(answer.context["rows"]) == 3


# --- query counts -----------------------------------------------------------------------------


def key_accounts(count: int, owner, line) -> None:
    year = timezone.localdate().year
    groups = [GroupFactory(name=f"Group {n:03d}", owner=owner) for n in range(count)]
    for group in groups:
        RevenueFactory(account=group, product_line=line, year=year, amount=Decimal(10))
        PotentialFactory(account=group, product_line=line, year=year, amount=Decimal(40))
        plan = PlanFactory(account=group, year=year)
        ObjectiveFactory(plan=plan, metric="revenue_total", target_value=100)
        ActivityFactory(plan=plan, due_on=timezone.localdate())
    snapshots.snapshot_groups([group.pk for group in groups])


def count_queries(django_assert_max_num_queries, client, **params) -> int:
    with django_assert_max_num_queries(15) as captured:
        assert client.get(HOME, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["leader", "kam_user"])
def test_the_dashboard_costs_the_same_queries_for_3_and_60_key_accounts(
    django_assert_max_num_queries, client_for, request, role
):
    user = request.getfixturevalue(role)
    line = ProductLineFactory(code="CARS")
    client = client_for(user)
    key_accounts(3, user, line)

    on_small = count_queries(django_assert_max_num_queries, client)
    key_accounts(57, user, line)
    on_big = count_queries(django_assert_max_num_queries, client)
    on_big_filtered = count_queries(django_assert_max_num_queries, client, sort="health", page=2, q="group")

    assert len(client.get(HOME).context["rows"]) == 25
    assert on_small == on_big == on_big_filtered


def test_chart_coordinates_keep_a_decimal_point_in_german(client_for, leader, portfolio_data):
    client = client_for(leader)
    client.cookies["django_language"] = "de"

    page = client.get(HOME).content.decode()
    assert "Segmentierung" in page
    coordinates = re.findall(r' (?:cx|cy|r|x|y|x1|x2|y1|y2)="([^"]*)"', page)
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates)


def test_each_dot_links_to_its_account_and_names_it_escaped(client_for, leader, portfolio_data):
    nordwerk = portfolio_data.nordwerk
    nordwerk.name = 'Nordwerk <b>"&" Söhne</b>'
    nordwerk.save()

    page = client_for(leader).get(HOME).content.decode()
    dot = re.search(rf'<a href="{reverse("accounts:detail", args=[nordwerk.pk])}"><circle class="dot q-develop"[^>]*>'
                    r"<title>([^<]*)</title>", page)  # fmt: skip
    assert dot is not None
    assert dot.group(1).startswith(
        "Nordwerk &lt;b&gt;&quot;&amp;&quot; Söhne&lt;/b&gt; · Whitespace 3,900 EUR · Health 60.0 %"
    )
    assert "<b>" not in page.split('class="segmentation"')[1].split("</svg>")[0]
