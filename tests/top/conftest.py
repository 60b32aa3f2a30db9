"""A portfolio of three key accounts whose dashboard figures are computed by hand below.

Nordwerk (DE, owned by kam_user)                       CARS revenue / potential
├── Nordwerk Süd (FR)                                   500 / 1,000
│     Carla Champion (champion, warm)   Dora Decider (decision-maker, warm: other_kam)
└── Nordwerk JV (participation 50 %)                    200 / 1,000  → counts 100 / 500
      Uwe User (user, influence 2: not a key person)
Nordwerk itself                                         1,000 / 4,000 (in the past: 500)
      Anna Decider (decision-maker, warm)  Bert Buyer (economic buyer, cold)
      Ines Influencer (influencer, influence 4: key, no relationship)

  revenue 1,000 + 500 + 100 = 1,600; potential 4,000 + 1,000 + 500 = 5,500
  whitespace 3,000 + 500 + 400 = 3,900; share of wallet 1,600 / 5,500 = 29.09 %
  key people Anna, Bert, Carla, Dora, Ines = 5, warm Anna, Carla, Dora = 3: health 60 %
  decision-makers and economic buyers Anna, Bert, Dora = 3, warm 2: coverage 66.67 %
  open alerts 2 (a third is resolved); last contact 3 days ago (on Nordwerk Süd)
  100 days ago the group had 500 instead of 1,000 of own revenue: share of wallet then
  1,100 / 5,500 = 20 %, trend +9.09 points
  plan: objectives "typed" 5 of 10 and "revenue" 1,600 of 3,200: mean 50 %;
  activities done, overdue, open (cancelled ones do not count): 1 of 3 done, 1 overdue

Bosch (DE, owned by other_kam): revenue 100, potential 100, nobody known: health unknown
Castell (IT, owned by other_kam, kam_user on the team): potential 10,000; one key person,
  warm: health 100 %

Quadrants for who sees all three: whitespace 3,900 / 0 / 10,000, median 3,900.
"""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import Revenue
from kam.top import snapshots
from planning.models import Activity, Objective
from stakeholders.models import Alert, Relationship, Stakeholder
from tests.factories import (
    AccountFactory,
    ActivityFactory,
    GroupFactory,
    InteractionFactory,
    ObjectiveFactory,
    ParticipationFactory,
    PlanFactory,
    ProductLineFactory,
    RevenueFactory,
    StakeholderFactory,
    TeamMemberFactory,
    figures,
)

R = Stakeholder.BuyingRole


def person(account, first, last, role, influence=3):
    return StakeholderFactory(account=account, first_name=first, last_name=last, buying_role=role, influence=influence)


def relationship(user, stakeholder, status):
    return Relationship.objects.create(user=user, stakeholder=stakeholder, status=status, strength=50)


def alert(stakeholder, user, *, resolved=False):
    now = timezone.now()
    return Alert.objects.create(
        kind=Alert.Kind.CADENCE_MISSED,
        account=stakeholder.account,
        stakeholder=stakeholder,
        user=user,
        days_without_contact=40,
        cadence_days=30,
        raised_at=now,
        resolved_at=now if resolved else None,
        resolution=Alert.Resolution.MANUAL if resolved else "",
    )


@pytest.fixture
def portfolio_data(kam_user, other_kam):
    today = timezone.localdate()
    year = today.year
    then = today - timedelta(days=100)  # in January that lies in last year: figures for both years
    cars = ProductLineFactory(code="CARS", name="Passenger cars")
    nordwerk = GroupFactory(name="Nordwerk", owner=kam_user, country="DE")
    sued = AccountFactory(name="Nordwerk Süd", parent=nordwerk, country="FR")
    jv = ParticipationFactory(name="Nordwerk JV", parent=nordwerk, ownership_share=Decimal("50"))
    bosch = GroupFactory(name="Bosch", owner=other_kam, country="DE")
    castell = GroupFactory(name="Castell", owner=other_kam, country="IT")
    for figure_year in {then.year, year}:
        figures(sued, cars, year=figure_year, revenue=500, potential=1000)
        figures(jv, cars, year=figure_year, revenue=200, potential=1000)
        figures(nordwerk, cars, year=figure_year, potential=4000)
        figures(bosch, cars, year=figure_year, revenue=100, potential=100)
        figures(castell, cars, year=figure_year, potential=10000)
    RevenueFactory(account=nordwerk, product_line=cars, year=then.year, amount=Decimal(500))

    anna = person(nordwerk, "Anna", "Decider", R.DECISION_MAKER)
    bert = person(nordwerk, "Bert", "Buyer", R.ECONOMIC_BUYER)
    ines = person(nordwerk, "Ines", "Influencer", R.INFLUENCER, influence=4)
    carla = person(sued, "Carla", "Champion", R.CHAMPION)
    dora = person(sued, "Dora", "Decider", R.DECISION_MAKER)
    person(jv, "Uwe", "User", R.USER, influence=2)
    relationship(kam_user, anna, Relationship.Status.WARM)
    relationship(kam_user, bert, Relationship.Status.COLD)
    relationship(other_kam, bert, Relationship.Status.COOLING)
    relationship(kam_user, carla, Relationship.Status.WARM)
    relationship(other_kam, dora, Relationship.Status.WARM)
    alert(bert, kam_user)
    alert(carla, kam_user)
    alert(anna, kam_user, resolved=True)
    last_contact = timezone.now() - timedelta(days=3)
    InteractionFactory(account=sued, occurred_at=last_contact, stakeholders=[carla], colleagues=[kam_user])
    InteractionFactory(account=nordwerk, occurred_at=last_contact - timedelta(days=7), stakeholders=[anna])

    plan = PlanFactory(account=nordwerk, year=year, title="Nordwerk plan")
    ObjectiveFactory(plan=plan, title="Typed", metric=Objective.Metric.MANUAL, target_value=10, current_value=5)
    ObjectiveFactory(plan=plan, title="Revenue", metric=Objective.Metric.REVENUE_TOTAL, target_value=3200)
    S = Activity.Status
    ActivityFactory(plan=plan, status=S.DONE, due_on=today - timedelta(days=20))
    ActivityFactory(plan=plan, status=S.OPEN, due_on=today - timedelta(days=1))
    ActivityFactory(plan=plan, status=S.OPEN, due_on=today + timedelta(days=9))
    ActivityFactory(plan=plan, status=S.CANCELLED, due_on=today - timedelta(days=5))

    TeamMemberFactory(account=castell, user=kam_user)
    relationship(other_kam, person(castell, "Cesare", "Castelli", R.DECISION_MAKER), Relationship.Status.WARM)

    groups = [nordwerk.pk, bosch.pk, castell.pk]
    snapshots.snapshot_groups(groups, day=then)
    Revenue.objects.update_or_create(account=nordwerk, product_line=cars, year=year, defaults={"amount": Decimal(1000)})
    snapshots.snapshot_groups(groups)
    return SimpleNamespace(
        nordwerk=nordwerk, sued=sued, jv=jv, bosch=bosch, castell=castell, plan=plan, cars=cars, people=(anna, ines)
    )
