"""Objective values that fill themselves from CRM data over the plan account's subtree,
computed by hand, and the typed-in ones."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Account, AccountSnapshot
from kam.top import snapshots
from planning import metrics, services
from planning.models import Objective
from stakeholders.models import Relationship
from tests.factories import (
    AccountFactory,
    ParticipationFactory,
    ProductLineFactory,
    RevenueFactory,
    StakeholderFactory,
    UserFactory,
)
from tests.planning.conftest import YEAR

M = Objective.Metric


@pytest.fixture
def figures(daimler, bosch):
    """Revenue in the plan year (and noise in other years / other groups):

    node                      AUT      SW     factor
    Daimler                   1,000    –      1
    Daimler HQ                  500    200    1
    Mercedes-Benz do Brasil     300    –      1
    Iracemápolis                  0    –      1      (a zero row: no revenue)
    car2go (40 % of Truck)      250    100    0.4
    Bosch                     9,999    –      (not in the group)
    Daimler, last year        7,777           (not the plan year)

    AUT revenue = 1,000 + 500 + 300 + 0 + 0.4 × 250 = 1,900
    all revenue = 1,900 + 200 + 0.4 × 100 = 2,140
    nodes with revenue = Daimler, HQ, Brasil, car2go = 4
    """
    aut, sw = ProductLineFactory(code="AUT"), ProductLineFactory(code="SW")
    car2go = ParticipationFactory(name="car2go", parent=daimler.truck, ownership_share=Decimal("40"))
    cells = [
        (daimler.group, aut, 1000),
        (daimler.hq, aut, 500),
        (daimler.hq, sw, 200),
        (daimler.brasil, aut, 300),
        (daimler.irace, aut, 0),
        (car2go, aut, 250),
        (car2go, sw, 100),
        (bosch, aut, 9999),
    ]
    for account, line, amount in cells:
        RevenueFactory(account=account, product_line=line, year=YEAR, amount=Decimal(amount))
    RevenueFactory(account=daimler.group, product_line=aut, year=YEAR - 1, amount=Decimal(7777))
    return {"aut": aut, "sw": sw}


def objective(kam_user, plan, **fields) -> Objective:
    return services.objective_create(actor=kam_user, plan=plan, title=fields.pop("title", "Goal"), **fields)


def values(plan) -> dict[str, Decimal]:
    return {o.title: o.value for o in metrics.attach_values(plan.objectives.select_related("plan"))}


def test_revenue_objectives_fill_themselves(kam_user, plan, figures):
    objective(
        kam_user, plan, title="AUT", metric=M.REVENUE_PRODUCT_LINE, product_line=figures["aut"], target_value=3000
    )
    objective(kam_user, plan, title="All", metric=M.REVENUE_TOTAL, target_value=5000)
    objective(kam_user, plan, title="Nodes", metric=M.NODES_WITH_REVENUE, target_value=6)

    assert values(plan) == {"AUT": Decimal("1900.00"), "All": Decimal("2140.00"), "Nodes": Decimal("4.00")}


def test_warm_decision_makers_fill_themselves(kam_user, plan, daimler, bosch):
    """Iris and Bruno are decision-makers with a warm relationship; Hanna's is cooling; Ivo is
    a user (not a decider) though warm; Fumi is an economic buyer, warm with two colleagues
    (counted once); the Bosch decider is outside the group."""
    colleague = UserFactory(username="colleague")
    people = daimler.people
    people.fumi.buying_role = "economic_buyer"
    people.fumi.save()
    outsider = StakeholderFactory(account=bosch)
    for person, status in (
        (people.iris, "warm"),
        (people.bruno, "warm"),
        (people.hanna, "cooling"),
        (people.ivo, "warm"),
        (people.fumi, "warm"),
        (outsider, "warm"),
    ):
        Relationship.objects.create(user=kam_user, stakeholder=person, status=status, strength=50)
    Relationship.objects.create(user=colleague, stakeholder=people.fumi, status="warm", strength=40)
    objective(kam_user, plan, title="Deciders", metric=M.WARM_DECISION_MAKERS, target_value=10)

    assert values(plan) == {"Deciders": Decimal("3.00")}


def test_an_archived_branch_no_longer_counts(kam_user, plan, figures, daimler):
    objective(kam_user, plan, title="Nodes", metric=M.NODES_WITH_REVENUE, target_value=6)
    Account.objects.filter(pk=daimler.brasil.pk).update(archived_at="2026-01-01T00:00:00Z")

    assert values(plan) == {"Nodes": Decimal("3.00")}


def test_manual_objective_keeps_the_typed_value_and_computed_ones_ignore_it(kam_user, plan, figures):
    manual = objective(kam_user, plan, title="Manual", metric=M.MANUAL, target_value=10, current_value=Decimal("4"))
    computed = objective(kam_user, plan, title="All", metric=M.REVENUE_TOTAL, target_value=5000, current_value=99)

    assert Objective.objects.get(pk=computed.pk).current_value is None
    assert values(plan) == {"Manual": Decimal("4"), "All": Decimal("2140.00")}
    assert metrics.attach_values([Objective.objects.get(pk=manual.pk)])[0].progress == Decimal("0.4")


def test_product_line_metric_needs_a_product_line(kam_user, plan):
    with pytest.raises(ValidationError) as refused:
        objective(kam_user, plan, metric=M.REVENUE_PRODUCT_LINE, target_value=100)

    assert "product_line" in refused.value.message_dict
    assert not Objective.objects.exists()


def test_plan_page_shows_objective_progress(client_for, kam_user, plan, figures):
    objective(
        kam_user,
        plan,
        title="Grow automation",
        metric=M.REVENUE_PRODUCT_LINE,
        product_line=figures["aut"],
        target_value=3800,
    )

    answer = client_for(kam_user).get(reverse("planning:plan_detail", args=[plan.pk]))

    assert answer.status_code == 200
    assert [(o.title, o.value, o.progress) for o in answer.context["objectives"]] == [
        ("Grow automation", Decimal("1900.00"), Decimal("0.5"))
    ]
    assert "width: 50%" in answer.content.decode()


def test_objectives_of_many_plans_take_a_query_per_metric(kam_user, figures, django_assert_num_queries):
    plans = []
    for n in range(5):
        group = AccountFactory(name=f"Group {n}", kind=Account.Kind.GROUP, owner=kam_user, is_key_account=True)
        plan = services.plan_create(actor=kam_user, account=group, year=YEAR, title=f"P{n}")
        for metric in (M.REVENUE_TOTAL, M.NODES_WITH_REVENUE, M.WARM_DECISION_MAKERS):
            objective(kam_user, plan, metric=metric, target_value=1)
        plans.append(plan)
    loaded = list(Objective.objects.filter(plan__in=plans).select_related("plan"))

    with django_assert_num_queries(3):
        metrics.attach_values(loaded)


def test_the_dashboard_reads_the_same_values_from_the_current_snapshot(
    kam_user, daimler, figures, django_assert_num_queries
):
    Relationship.objects.create(user=kam_user, stakeholder=daimler.people.hanna, status=Relationship.Status.WARM)
    plan = services.plan_create(actor=kam_user, account=daimler.group, year=YEAR, title="Daimler")
    for metric in (M.REVENUE_TOTAL, M.NODES_WITH_REVENUE, M.WARM_DECISION_MAKERS):
        objective(kam_user, plan, metric=metric, target_value=1)
    objective(kam_user, plan, metric=M.REVENUE_PRODUCT_LINE, product_line=figures["aut"], target_value=1)
    snapshots.snapshot_groups([daimler.group.pk], day=date(YEAR, 6, 1))
    current = {daimler.group.pk: AccountSnapshot.objects.get(account=daimler.group)}

    live = [o.value for o in metrics.attach_values(plan.objectives.select_related("plan").order_by("pk"))]
    loaded = list(plan.objectives.select_related("plan").order_by("pk"))
    with django_assert_num_queries(0):  # every computed metric is in the snapshot
        from_snapshot = [o.value for o in metrics.attach_values(loaded, current=current)]

    assert live == from_snapshot == [Decimal("2140.00"), Decimal("4.00"), Decimal("1.00"), Decimal("1900.00")]
