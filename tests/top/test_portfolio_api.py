"""GET /api/portfolio/: the dashboard's rows, filters and order for API clients."""

from decimal import Decimal

import pytest

URL = "/api/portfolio/"


def test_lists_the_dashboards_rows_with_their_figures(api_for, leader, portfolio_data):
    answer = api_for(leader).get(URL, {"sort": "-health"})

    assert answer.status_code == 200
    assert answer.data["count"] == 3
    assert [row["name"] for row in answer.data["results"]] == ["Castell", "Nordwerk", "Bosch"]
    nordwerk = answer.data["results"][1]
    assert Decimal(nordwerk["revenue"]) == 1600 and Decimal(nordwerk["health"]) == Decimal("0.6")
    assert Decimal(nordwerk["trend"]) == Decimal("0.0909") and nordwerk["segment"] == "develop"
    assert nordwerk["plan"]["done"] == 1 and nordwerk["plan"]["overdue"] == 1
    assert answer.data["results"][2]["health"] is None


def test_a_kam_gets_their_own_and_team_accounts(api_for, kam_user, portfolio_data):
    answer = api_for(kam_user).get(URL)
    assert sorted(row["name"] for row in answer.data["results"]) == ["Castell", "Nordwerk"]


def test_bad_parameters_answer_400_with_field_errors(api_for, leader, portfolio_data):
    answer = api_for(leader).get(URL, {"health": "splendid", "sort": "password"})
    assert answer.status_code == 400
    assert set(answer.data) == {"health", "sort"}


@pytest.mark.parametrize("role", ["regional"])
def test_regional_colleagues_have_no_portfolio(api_for, request, role, portfolio_data):
    assert api_for(request.getfixturevalue(role)).get(URL).status_code == 403
