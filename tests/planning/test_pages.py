"""The planning pages through the client: plans, forms with their errors, the orchestra view,
the KAM's home, and the number of queries of My tasks, the plan board and the orchestra view
with 10 and with 200 activities."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from planning import services
from planning.models import AccountPlan, Activity, Capacity, Notification
from tests.factories import UserFactory
from tests.planning.conftest import YEAR


def url(name: str, *args) -> str:
    return reverse(name, args=args)


# --- plans and activities ------------------------------------------------------------------


def test_kam_creates_a_plan_for_their_key_account(client_for, kam_user, daimler):
    answer = client_for(kam_user).post(
        url("planning:plan_create"),
        {"account": daimler.group.pk, "year": YEAR, "title": "Daimler 2026", "summary": "Grow."},
    )

    plan = AccountPlan.objects.get()
    assert answer.status_code == 302 and answer.url == url("planning:plan_detail", plan.pk)
    assert (plan.account, plan.year, plan.created_by) == (daimler.group, YEAR, kam_user)


def test_a_second_plan_for_the_same_year_is_refused(client_for, kam_user, plan, daimler):
    answer = client_for(kam_user).post(
        url("planning:plan_create"), {"account": daimler.group.pk, "year": YEAR, "title": "Again"}
    )

    assert answer.status_code == 200
    assert answer.context["form"].errors
    assert AccountPlan.objects.count() == 1


def test_plans_are_made_for_key_accounts_one_may_change(client_for, kam_user, other_kam, daimler, bosch):
    form = client_for(kam_user).get(url("planning:plan_create")).context["form"]
    assert list(form.fields["account"].queryset) == [daimler.group]  # not Bosch, not the non-key nodes
    answer = client_for(kam_user).post(url("planning:plan_create"), {"account": bosch.pk, "year": YEAR, "title": "B"})
    assert "account" in answer.context["form"].errors
    assert not AccountPlan.objects.exists()


def test_readers_see_the_plan_but_may_not_change_it(client_for, leader, regional, other_kam, plan):
    assert client_for(leader).get(url("planning:plan_detail", plan.pk)).status_code == 200
    assert client_for(leader).get(url("planning:plan_edit", plan.pk)).status_code == 403
    assert client_for(leader).get(url("planning:activity_create", plan.pk)).status_code == 403
    assert client_for(other_kam).get(url("planning:plan_detail", plan.pk)).status_code == 404
    assert client_for(regional).get(url("planning:plan_detail", plan.pk)).status_code == 404


def test_plan_list_filters_and_paginates(client_for, kam_user, plan, daimler):
    client = client_for(kam_user)
    assert client.get(url("planning:plan_list")).context["page"].paginator.count == 1
    assert client.get(url("planning:plan_list"), {"q": "nothing like it"}).context["page"].paginator.count == 0
    assert client.get(url("planning:plan_list"), {"year": YEAR - 1}).context["page"].paginator.count == 0
    partial = client.get(url("planning:plan_list"), {"q": "Daimler"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Daimler 2026" in partial.content


def test_kam_adds_an_activity_with_people_and_hands_it_over(client_for, kam_user, regional, plan, daimler):
    answer = client_for(kam_user).post(
        url("planning:activity_create", plan.pk),
        {
            "account": daimler.irace.pk,
            "title": "Visit the plant",
            "description": "Meet maintenance.",
            "stakeholders": [daimler.people.iris.pk],
            "due_on": "2026-03-17",
            "impact": 4,
            "urgency": 3,
            "effort_hours": "8",
            "assignee": regional.pk,
        },
    )

    activity = Activity.objects.get()
    assert answer.status_code == 302 and answer.url == url("planning:activity_detail", activity.pk)
    assert (activity.account, activity.plan, activity.status, activity.assignee) == (
        daimler.irace,
        plan,
        "assigned",
        regional,
    )
    assert list(activity.stakeholders.all()) == [daimler.people.iris]
    assert activity.priority_score == Decimal("6.00")  # 12 ÷ 2


def test_activity_form_refuses_bad_input_and_writes_nothing(client_for, kam_user, plan, daimler):
    answer = client_for(kam_user).post(
        url("planning:activity_create", plan.pk),
        {"account": daimler.hq.pk, "title": "", "impact": 9, "urgency": 3, "effort_hours": "-1"},
    )

    assert answer.status_code == 200
    assert {"title", "impact", "effort_hours"} <= set(answer.context["form"].errors)
    assert not Activity.objects.exists()


def test_people_options_follow_the_chosen_account(client_for, kam_user, plan, daimler):
    answer = client_for(kam_user).get(url("planning:people_options", plan.pk), {"account": daimler.irace.pk})

    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Iris Irace" in html and "Ivo Irace" in html and "Bruno" not in html


def test_kam_edits_an_activity(client_for, kam_user, plan, daimler):
    activity = services.activity_create(actor=kam_user, plan=plan, account=daimler.hq, title="Old")
    answer = client_for(kam_user).post(
        url("planning:activity_edit", activity.pk),
        {"account": daimler.hq.pk, "title": "New", "impact": 5, "urgency": 5, "effort_hours": "2"},
    )
    assert answer.status_code == 302
    stored = Activity.objects.get()
    assert (stored.title, stored.priority_score) == ("New", Decimal("25.00"))


def test_kam_sets_team_capacity_on_the_board(client_for, kam_user, regional, task_for, plan, daimler):
    task_for(regional, daimler.irace)
    client = client_for(kam_user)

    answer = client.post(url("planning:plan_capacity", plan.pk), {"user": regional.pk, "hours_per_week": "6.5"})
    assert answer.status_code == 302
    assert Capacity.objects.get(user=regional).hours_per_week == Decimal("6.5")
    board = client.get(url("planning:plan_detail", plan.pk), {"weeks": 2}).context["board"]
    assert board.weekly_hours == Decimal("6.5") and board.capacity_hours == 13


def test_objective_pages(client_for, kam_user, plan):
    client = client_for(kam_user)
    answer = client.post(
        url("planning:objective_create", plan.pk),
        {"title": "Three new plants", "metric": "manual", "target_value": "3"},
    )
    assert answer.status_code == 302
    objective = plan.objectives.get()
    refused = client.post(
        url("planning:objective_edit", objective.pk),
        {"title": "Sensors", "metric": "revenue_product_line", "target_value": "3"},
    )
    assert refused.status_code == 200 and "product_line" in refused.context["form"].errors
    client.post(url("planning:objective_delete", objective.pk))
    assert not plan.objectives.exists()


# --- home and the orchestra view ------------------------------------------------------------


def test_kam_home_shows_due_and_overdue_activities(client_for, kam_user, regional, task_for, daimler):
    today = timezone.localdate()
    task_for(regional, daimler.irace, title="Late visit", due_on=today - timedelta(days=3))
    task_for(regional, daimler.brasil, title="Soon", due_on=today + timedelta(days=5))
    task_for(regional, daimler.brasil, title="Far away", due_on=today + timedelta(days=60))

    answer = client_for(kam_user).get(url("home"))

    assert [a.title for a in answer.context["due"]] == ["Late visit", "Soon"]
    html = answer.content.decode()
    assert "Due activities" in html and "overdue" in html
    assert "Daimler" in html  # the key accounts table is still there


def test_orchestra_groups_by_country_assignee_status_and_highlights_overdue(
    client_for, kam_user, regional, task_for, plan, daimler
):
    yuki = UserFactory(username="yuki", role="regional", country="JP")
    today = timezone.localdate()
    task_for(regional, daimler.irace, title="Brazil late", due_on=today - timedelta(days=1))
    task_for(regional, daimler.brasil, title="Brazil fine", due_on=today + timedelta(days=9))
    task_for(yuki, daimler.fuso, title="Japan", due_on=today - timedelta(days=2))
    services.activity_create(actor=kam_user, plan=plan, account=daimler.hq, title="Germany unassigned")
    client = client_for(kam_user)

    by_country = client.get(url("planning:orchestra", daimler.group.pk))
    summary = {row["key"]: (row["total"], row["overdue"]) for row in by_country.context["summary"]}
    assert summary == {"BR": (2, 1), "DE": (1, 0), "JP": (1, 1)}
    html = by_country.content.decode()
    assert html.count('class="late"') == 2

    by_assignee = client.get(url("planning:orchestra", daimler.group.pk), {"group_by": "assignee"})
    assert {row["key"]: row["total"] for row in by_assignee.context["summary"]} == {"regional": 2, "yuki": 1, None: 1}
    late_only = client.get(url("planning:orchestra", daimler.group.pk), {"overdue": "on"})
    assert {a.title for a in late_only.context["page"]} == {"Brazil late", "Japan"}
    in_japan = client.get(url("planning:orchestra", daimler.truck.pk), {"country": "jp"})
    assert [a.title for a in in_japan.context["page"]] == ["Japan"]


def test_orchestra_of_a_hidden_group_is_404(client_for, other_kam, regional, daimler):
    assert client_for(other_kam).get(url("planning:orchestra", daimler.group.pk)).status_code == 404
    assert client_for(regional).get(url("planning:orchestra", daimler.group.pk)).status_code == 404


def test_notification_badge_and_mark_read(client_for, kam_user, regional, task_for, daimler):
    task_for(regional, daimler.irace)
    client = client_for(regional)

    assert client.get(url("planning:notifications_badge")).content.decode().strip().endswith("1</span>")
    client.post(url("planning:notifications_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert client.get(url("planning:notifications_badge")).content.decode().strip() == ""


def test_colleague_sets_their_own_capacity(client_for, regional):
    client_for(regional).post(url("planning:capacity_update"), {"hours_per_week": "12"})
    assert Capacity.objects.get(user=regional).hours_per_week == 12
    client_for(regional).post(url("planning:capacity_update"), {"hours_per_week": "200"})
    assert Capacity.objects.get(user=regional).hours_per_week == 12


def test_planning_pages_need_a_login(client, plan):
    for page in (url("planning:my_tasks"), url("planning:plan_list"), url("planning:plan_detail", plan.pk)):
        assert client.get(page).status_code == 302


# --- query counts ---------------------------------------------------------------------------

QUERY_BOUND = {"planning:my_tasks": 16, "planning:plan_detail": 16, "planning:orchestra": 14}


def bulk_activities(plan, count: int, *, accounts, assignees, people) -> None:
    """`count` activities spread over accounts and assignees (half of them held, a third
    overdue), each with two people: a few inserts, not thousands."""
    today = date.today()
    rows = Activity.objects.bulk_create(
        [
            Activity(
                plan=plan,
                account=accounts[n % len(accounts)],
                title=f"Bulk activity {n:04d}",
                assignee=assignees[n % len(assignees)] if n % 2 else None,
                status="accepted" if n % 2 else "open",
                due_on=today + timedelta(days=n % 30 - 10),
                impact=n % 5 + 1,
                urgency=(n * 3) % 5 + 1,
                effort_hours=Decimal(n % 12 + 1),
                priority_score=Decimal(n % 25),
            )
            for n in range(count)
        ]
    )
    links = Activity.stakeholders.through
    links.objects.bulk_create([links(activity_id=a.pk, stakeholder_id=p.pk) for a in rows for p in people[:2]])


def count_queries(django_assert_max_num_queries, client, name: str, *args, **params) -> int:
    with django_assert_max_num_queries(QUERY_BOUND[name]) as captured:
        answer = client.get(url(name, *args), params)
    assert answer.status_code == 200
    return len(captured)


@pytest.fixture
def crowd(kam_user, regional, plan, daimler):
    colleagues = [regional, UserFactory(username="yuki", role="regional"), kam_user]
    for user in colleagues:
        Capacity.objects.create(user=user, hours_per_week=10)
    people = [daimler.people.iris, daimler.people.ivo]

    def grow(count: int) -> None:
        Activity.objects.all().delete()
        bulk_activities(
            plan, count, accounts=[daimler.irace, daimler.fuso, daimler.hq], assignees=colleagues, people=people
        )
        Notification.objects.bulk_create(
            [
                Notification(user=regional, kind="assigned", actor=kam_user, activity=a)
                for a in Activity.objects.all()[:count]
            ]
        )

    return grow


@pytest.mark.parametrize(
    ("role", "name"),
    [("regional", "planning:my_tasks"), ("kam_user", "planning:plan_detail"), ("kam_user", "planning:orchestra")],
)
def test_queries_do_not_grow_with_the_activities(
    django_assert_max_num_queries, client_for, request, crowd, plan, daimler, role, name
):
    client = client_for(request.getfixturevalue(role))
    args = {"planning:my_tasks": (), "planning:plan_detail": (plan.pk,), "planning:orchestra": (daimler.group.pk,)}[
        name
    ]

    client.get(url(name, *args))  # the first visit to My tasks creates the calendar token once
    crowd(10)
    on_small = count_queries(django_assert_max_num_queries, client, name, *args)
    crowd(200)
    on_big = count_queries(django_assert_max_num_queries, client, name, *args)
    on_big_filtered = count_queries(django_assert_max_num_queries, client, name, *args, q="Bulk", page=2)

    assert on_small == on_big == on_big_filtered
