"""Daimler with a plan, as most planning tests need it.

Daimler (key account, owned by kam_user)             plan "Daimler 2026"
├── Daimler HQ (DE)                                  Hanna Haupt
└── Daimler Truck (DE)
    ├── Mercedes-Benz do Brasil (BR)                 Bruno Brasil
    │   └── Mercedes-Benz Iracemápolis (BR)          Iris Irace, Ivo Irace
    └── Mitsubishi Fuso (JP)                         Fumi Fuso
Bosch (owned by other_kam)
"""

from types import SimpleNamespace

import pytest

from accounts.models import Account
from planning import services, workflow
from tests.factories import AccountFactory, GroupFactory, StakeholderFactory

YEAR = 2026


@pytest.fixture
def daimler(group):
    hq = AccountFactory(name="Daimler HQ", kind=Account.Kind.HEADQUARTERS, parent=group)
    truck = AccountFactory(name="Daimler Truck", parent=group)
    brasil = AccountFactory(name="Mercedes-Benz do Brasil", parent=truck, country="BR", city="São Bernardo")
    irace = AccountFactory(
        name="Mercedes-Benz Iracemápolis", kind=Account.Kind.BRANCH, parent=brasil, country="BR", city="Iracemápolis"
    )
    fuso = AccountFactory(name="Mitsubishi Fuso", parent=truck, country="JP", city="Kawasaki")
    people = SimpleNamespace(
        hanna=StakeholderFactory(account=hq, first_name="Hanna", last_name="Haupt"),
        bruno=StakeholderFactory(account=brasil, first_name="Bruno", last_name="Brasil"),
        iris=StakeholderFactory(account=irace, first_name="Iris", last_name="Irace"),
        ivo=StakeholderFactory(account=irace, first_name="Ivo", last_name="Irace", buying_role="user"),
        fumi=StakeholderFactory(account=fuso, first_name="Fumi", last_name="Fuso"),
    )
    return SimpleNamespace(group=group, hq=hq, truck=truck, brasil=brasil, irace=irace, fuso=fuso, people=people)


@pytest.fixture
def bosch(other_kam):
    return GroupFactory(name="Bosch", owner=other_kam)


@pytest.fixture
def plan(daimler, kam_user):
    return services.plan_create(actor=kam_user, account=daimler.group, year=YEAR, title="Daimler 2026")


@pytest.fixture
def task_for(kam_user, plan):
    """An activity of the plan on `account`, handed by kam_user to `assignee`."""

    def make(assignee, account, **fields):
        fields = {"title": "Visit the plant", "impact": 4, "urgency": 3, "effort_hours": 8, **fields}
        activity = services.activity_create(actor=kam_user, plan=plan, account=account, **fields)
        return workflow.activity_assign(actor=kam_user, activity=activity, assignee=assignee)

    return make
