"""Two customer groups for the search tests, one of them hidden from kam_user:

Daimler (key account, owned by kam_user)
├── Müller Maschinenbau (Düsseldorf)      Markus Vogel, Jürgen Müller, Anna Vogelsang, Peter Vogl
│                                          contacts: "Verhandlung über den Rahmenvertrag …",
│                                                    "Discussed the automation roadmap …"
└── Daimler Truck (Stuttgart)              Hans Mueller; a plan with an objective and an activity
Bosch (owned by other_kam)                 Markus Vogel (a namesake), Helga Geheim;
                                            contact "Geheimprojekt Verhandlung …", request "Geheimprojekt"
"""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import Account
from planning.models import Activity
from tests.factories import (
    AccountFactory,
    ActivityFactory,
    GroupFactory,
    InteractionFactory,
    ObjectiveFactory,
    PlanFactory,
    RequestFactory,
    StakeholderFactory,
)


@pytest.fixture
def world(group, other_kam, kam_user):
    mueller = AccountFactory(name="Müller Maschinenbau", parent=group, city="Düsseldorf")
    truck = AccountFactory(name="Daimler Truck", parent=group, city="Stuttgart")
    bosch = GroupFactory(name="Bosch", owner=other_kam, city="Gerlingen")
    person = StakeholderFactory
    people = SimpleNamespace(
        markus=person(account=mueller, first_name="Markus", last_name="Vogel", job_title="Head of Purchasing"),
        juergen=person(account=mueller, first_name="Jürgen", last_name="Müller", job_title="Plant manager"),
        anna=person(account=mueller, first_name="Anna", last_name="Vogelsang", job_title="Buyer"),
        peter=person(account=mueller, first_name="Peter", last_name="Vogl", job_title="Engineer"),
        hans=person(account=truck, first_name="Hans", last_name="Mueller", job_title="CFO"),
        namesake=person(account=bosch, first_name="Markus", last_name="Vogel", job_title="Head of Purchasing"),
        helga=person(account=bosch, first_name="Helga", last_name="Geheim", job_title="CEO"),
    )
    now = timezone.now()
    contacts = SimpleNamespace(
        german=InteractionFactory(
            account=mueller,
            summary="Verhandlung über den Rahmenvertrag: Preise für 2027 stehen, Laufzeit noch offen.",
            occurred_at=now,
            stakeholders=[people.markus],
        ),
        english=InteractionFactory(
            account=mueller, summary="Discussed the automation roadmap with the plant.", occurred_at=now
        ),
        hidden=InteractionFactory(
            account=bosch, summary="Geheimprojekt Verhandlung: Helga will Preise sehen.", occurred_at=now
        ),
    )
    plan = PlanFactory(account=group, title="Daimler Wachstum", summary="Automatisierung in allen Werken")
    objective = ObjectiveFactory(plan=plan, title="Retrofit der Lackiererei")
    activity = ActivityFactory(plan=plan, account=truck, title="Werksbesuch Stuttgart", status=Activity.Status.OPEN)
    request = RequestFactory(account=bosch, title="Geheimprojekt Angebot", description="Helga fragt nach Preisen")
    return SimpleNamespace(
        group=group, mueller=mueller, truck=truck, bosch=bosch, people=people, contacts=contacts, plan=plan,
        objective=objective, activity=activity, request=request,
    )  # fmt: skip


def titles(groups, kind: str) -> list[str]:
    return [hit.title for group in groups if group.kind.key == kind for hit in group.hits]


__all__ = ["Account", "titles"]
