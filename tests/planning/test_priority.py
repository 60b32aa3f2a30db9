"""The priority score and the capacity line, computed by hand.

score = impact × urgency ÷ effort size; sizes: ≤4 h → 1, ≤16 h → 2, ≤40 h → 3, ≤80 h → 4, more → 5.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from planning import priority, services, workflow
from planning.models import Activity, Capacity
from tests.factories import TeamMemberFactory, UserFactory


@pytest.mark.parametrize(
    ("hours", "size"),
    [(Decimal("0.5"), 1), (4, 1), (Decimal("4.5"), 2), (16, 2), (17, 3), (40, 3), (41, 4), (80, 4), (81, 5), (500, 5)],
)
def test_effort_size_bands(hours, size):
    assert priority.effort_size(hours) == size


@pytest.mark.parametrize(
    ("impact", "urgency", "hours", "score"),
    [
        (5, 4, 16, "10.00"),  # 20 ÷ 2
        (5, 5, 2, "25.00"),  # 25 ÷ 1
        (3, 3, 40, "3.00"),  # 9 ÷ 3
        (1, 1, 100, "0.20"),  # 1 ÷ 5
        (4, 5, 60, "5.00"),  # 20 ÷ 4
        (2, 5, 24, "3.33"),  # 10 ÷ 3 = 3.333…
    ],
)
def test_score_by_hand(impact, urgency, hours, score):
    assert priority.score(impact, urgency, hours) == Decimal(score)


def test_explanation_shows_the_arithmetic_in_one_line():
    with translation.override("en"):
        line = priority.explain(5, 4, Decimal("16.0"))

    assert line == "impact 5 × urgency 4 = 20, ÷ effort size 2 (16 h) = 10.00"
    assert "\n" not in line


def test_stored_score_follows_the_fields(plan, kam_user, daimler):
    activity = services.activity_create(
        actor=kam_user, plan=plan, account=daimler.hq, title="Workshop", impact=2, urgency=5, effort_hours=24
    )
    assert Activity.objects.get(pk=activity.pk).priority_score == Decimal("3.33")

    services.activity_update(actor=kam_user, activity=activity, impact=5, effort_hours=3)

    assert Activity.objects.get(pk=activity.pk).priority_score == Decimal("25.00")


@pytest.mark.parametrize(
    ("efforts", "capacity", "cut"),
    [
        ([10, 10, 10], 30, 3),  # exactly full: everything fits
        ([10, 10, 10], 29, 2),  # the third pushes the total to 30 > 29
        ([10, 25, 1], 30, 1),  # the line is where the total first exceeds: a small one after it is out too
        ([40], 39, 0),  # not even the first fits
        ([], 10, 0),
        ([5, 5], 0, 0),  # no capacity at all
    ],
)
def test_capacity_cut_by_hand(efforts, capacity, cut):
    assert priority.capacity_cut([Decimal(e) for e in efforts], Decimal(capacity)) == cut


def test_board_orders_by_priority_and_draws_the_capacity_line(client_for, kam_user, plan, daimler):
    """Team: kam_user 6 h/week + a colleague 4 h/week = 10 h/week; for 2 weeks 20 h.

    activity  impact urgency effort  score           running total
    A         5      5       4 h     25 ÷ 1 = 25.00   4
    B         4      5       8 h     20 ÷ 2 = 10.00  12
    C         3      3       6 h      9 ÷ 2 =  4.50  18
    D         5      4      30 h     20 ÷ 3 =  6.67  → ordered before C: 12 + 30 = 42 > 20, out
    so the order is A, B, D, C and the line falls before D (C, at 48 h, is below it too).
    """
    colleague = UserFactory(username="colleague")
    TeamMemberFactory(account=daimler.group, user=colleague)
    Capacity.objects.create(user=kam_user, hours_per_week=6)
    Capacity.objects.create(user=colleague, hours_per_week=4)
    for title, impact, urgency, effort in (("C", 3, 3, 6), ("A", 5, 5, 4), ("D", 5, 4, 30), ("B", 4, 5, 8)):
        services.activity_create(
            actor=kam_user,
            plan=plan,
            account=daimler.hq,
            title=title,
            impact=impact,
            urgency=urgency,
            effort_hours=effort,
        )

    answer = client_for(kam_user).get(reverse("planning:plan_detail", args=[plan.pk]), {"weeks": 2})

    board = answer.context["board"]
    assert [row.activity.title for row in board.rows] == ["A", "B", "D", "C"]
    assert [row.cumulative_hours for row in board.rows] == [4, 12, 42, 48]
    assert board.capacity_hours == 20 and board.cut == 2
    assert [row.fits for row in board.rows] == [True, True, False, False]
    html = answer.content.decode()
    assert html.index(">B</a>") < html.index("Capacity runs out here (20 h)") < html.index(">D</a>")
    assert "impact 5 × urgency 4 = 20, ÷ effort size 3 (30 h) = 6.67" in html


def test_done_and_cancelled_activities_leave_the_board(client_for, kam_user, plan, daimler):
    Capacity.objects.create(user=kam_user, hours_per_week=1)
    todo = services.activity_create(actor=kam_user, plan=plan, account=daimler.hq, title="Todo", effort_hours=2)
    gone = services.activity_create(actor=kam_user, plan=plan, account=daimler.hq, title="Gone", effort_hours=50)
    workflow.activity_cancel(actor=kam_user, activity=gone)

    board = client_for(kam_user).get(reverse("planning:plan_detail", args=[plan.pk]), {"weeks": 4}).context["board"]

    assert [row.activity for row in board.rows] == [todo]
    assert board.cut == 1  # 2 h of 4 h: it fits
    assert [a.title for a in board.closed] == ["Gone"]
