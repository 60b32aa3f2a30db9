"""History on every business record: who changed what from what to what, through the API
(`GET /api/<resource>/{id}/history/`) and the History sections of the pages."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import services as account_services
from planning import services as planning_services
from planning import triage
from stakeholders import services as people_services
from tests.factories import (
    AccountFactory,
    InfluenceLinkFactory,
    InteractionFactory,
    ObjectiveFactory,
    PlanFactory,
    ProductLineFactory,
    RequestFactory,
    RevenueFactory,
    StakeholderFactory,
    TeamMemberFactory,
    UserFactory,
)


def test_a_changed_account_names_who_changed_which_field_from_what_to_what(api_for, kam_user, group):
    api = api_for(kam_user)
    assert api.patch(f"/api/accounts/{group.pk}/", {"city": "Sindelfingen"}, format="json").status_code == 200
    api.patch(f"/api/accounts/{group.pk}/", {"city": "Berlin", "name": "Daimler AG"}, format="json")

    history = api.get(f"/api/accounts/{group.pk}/history/").json()

    assert [entry["action"] for entry in history] == ["changed", "changed", "created"]
    newest = history[0]
    assert newest["user"] == {"id": kam_user.pk, "name": kam_user.display_name}
    assert {(c["field"], c["old"], c["new"]) for c in newest["changes"]} == {
        ("city", "Sindelfingen", "Berlin"),
        ("name", "Daimler", "Daimler AG"),
    }
    assert history[0]["at"] > history[1]["at"]


def test_a_token_call_is_recorded_in_the_token_users_name(kam_user, group):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=kam_user).key}")
    created = api.post("/api/stakeholders/", _person(group), format="json").json()

    history = api.get(f"/api/stakeholders/{created['id']}/history/").json()

    assert history[0]["action"] == "created" and history[0]["user"]["id"] == kam_user.pk
    assert {"field": "last_name", "old": None, "new": "Wilhelm"} in history[0]["changes"]


def test_a_service_called_outside_a_request_names_its_actor(kam_user, group):
    person = people_services.stakeholder_create(actor=kam_user, account=group, **_person_fields())
    people_services.stakeholder_update(actor=kam_user, stakeholder=person, influence=5)

    records = list(person.history.order_by("history_date"))
    assert [r.history_user_id for r in records] == [kam_user.pk, kam_user.pk]
    assert [r.influence for r in records] == [3, 5]


def _person_fields() -> dict:
    return {"first_name": "Harald", "last_name": "Wilhelm", "buying_role": "economic_buyer", "influence": 3}


def _person(group) -> dict:
    return {"account": group.pk, **_person_fields()}


@pytest.fixture
def records(kam_user, group):
    """One of each business record, created and changed through the services."""
    line = ProductLineFactory(code="PL1")
    a, b = StakeholderFactory(account=group), StakeholderFactory(account=group)
    revenue = RevenueFactory(account=group, product_line=line, year=2025, amount=Decimal("100"))
    account_services.figure_save(actor=kam_user, figure=_set(revenue, amount=Decimal("150")))
    link = InfluenceLinkFactory(source=a, target=b)
    people_services.influence_link_save(actor=kam_user, link=_set(link, strength=3))
    contact = people_services.interaction_log(
        actor=kam_user, account=group, kind="call", occurred_at=timezone.now(), summary="Call", stakeholders=[a]
    )
    people_services.interaction_update(actor=kam_user, interaction=contact, stakeholders=[a, b], summary="Long call")
    give = people_services.give_record(actor=kam_user, stakeholder=a, kind="information", description="Study")
    people_services.give_update(actor=kam_user, give=give, description="Energy study")
    people_services.stakeholder_move(actor=kam_user, stakeholder=a, account=group, job_title="CFO")
    plan = PlanFactory(account=group, created_by=kam_user, title="Plan")
    planning_services.plan_update(actor=kam_user, plan=plan, title="Grow Daimler")
    objective = ObjectiveFactory(plan=plan, title="Objective")
    planning_services.objective_update(actor=kam_user, objective=objective, title="Win paint shops")
    request = RequestFactory(account=group, logged_by=kam_user, title="Request")
    triage.request_update(actor=kam_user, request=request, title="Demo for Plant IT")
    return {
        "revenues": (revenue.pk, "amount", "100.00", "150.00"),
        "influence-links": (link.pk, "strength", 2, 3),
        "interactions": (contact.pk, "stakeholders", [a.pk], sorted([a.pk, b.pk])),
        "gives": (give.pk, "description", "Study", "Energy study"),
        "stakeholders": (a.pk, "job_title", "Head of Purchasing", "CFO"),
        "positions": (a.positions.order_by("started_on", "pk").first().pk, "ended_on", None, timezone.localdate()),
        "plans": (plan.pk, "title", "Plan", "Grow Daimler"),
        "objectives": (objective.pk, "title", "Objective", "Win paint shops"),
        "requests": (request.pk, "title", "Request", "Demo for Plant IT"),
    }


def _set(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    return obj


@pytest.mark.parametrize(
    "resource",
    [
        "revenues",
        "influence-links",
        "interactions",
        "gives",
        "stakeholders",
        "positions",
        "plans",
        "objectives",
        "requests",
    ],
)
def test_every_record_answers_its_history(resource, api_for, kam_user, records):
    pk, field, old, new = records[resource]

    history = api_for(kam_user).get(f"/api/{resource}/{pk}/history/").json()

    change = next(
        c for entry in history if entry["action"] == "changed" for c in entry["changes"] if c["field"] == field
    )
    expected_new = new.isoformat() if hasattr(new, "isoformat") else new
    assert (change["old"], change["new"]) == (old, expected_new)
    assert history[-1]["action"] == "created"
    assert all(entry["user"] is None or entry["user"]["id"] == kam_user.pk for entry in history)


def test_an_interaction_edit_is_one_entry_with_its_people(api_for, kam_user, records):
    pk = records["interactions"][0]
    history = api_for(kam_user).get(f"/api/interactions/{pk}/history/").json()
    assert [entry["action"] for entry in history] == ["changed", "created"]
    fields = {c["field"] for c in history[0]["changes"]}
    assert fields == {"stakeholders", "summary"}


def test_an_activity_answers_its_event_log(api_for, kam_user, group):
    api = api_for(kam_user)
    created = api.post(
        "/api/activities/", {"account": group.pk, "title": "Workshop", "assignee": kam_user.pk}, format="json"
    ).json()

    history = api.get(f"/api/activities/{created['id']}/history/").json()

    assert [entry["action"] for entry in history][-1] == "created"
    assert {"field": "status", "old": "assigned", "new": "accepted"} in history[0]["changes"]


def test_history_is_hidden_exactly_like_the_record(api_for, other_kam, regional, leader, records):
    pk = records["stakeholders"][0]
    assert api_for(other_kam).get(f"/api/stakeholders/{pk}/history/").status_code == 404
    assert api_for(regional).get(f"/api/stakeholders/{pk}/history/").status_code == 404
    assert api_for(leader).get(f"/api/stakeholders/{pk}/history/").status_code == 200
    assert api_for(other_kam).get("/api/stakeholders/999999/history/").status_code == 404


def test_the_schema_documents_history(api_for, kam_user):
    schema = api_for(kam_user).get("/api/schema/", {"format": "json"}).json()
    history = schema["paths"]["/api/stakeholders/{id}/history/"]["get"]
    assert "200" in history["responses"] and "404" in history["responses"]
    patch = schema["paths"]["/api/stakeholders/{id}/"]["patch"]
    assert "412" in patch["responses"]
    assert any(parameter["name"] == "If-Match" for parameter in patch["parameters"])


# --- the pages -------------------------------------------------------------------------------


def test_the_account_history_section_names_people_and_labels(client_for, kam_user, group):
    colleague = UserFactory(first_name="Katrin", last_name="Amsel")
    account_services.account_update(actor=kam_user, account=group, kind="group", city="Stuttgart")
    account_services.team_member_set(actor=kam_user, account=group, user=colleague, role="specialist")
    line = ProductLineFactory(code="PL7", name="Paint")
    account_services.figure_save(
        actor=kam_user, figure=RevenueFactory.build(account=group, product_line=line, year=2025, amount=Decimal(5))
    )

    page = client_for(kam_user).get(f"/accounts/{group.pk}/history/").content.decode()

    assert "Stuttgart" in page and "Katrin Amsel" in page and "Specialist" in page
    assert "Revenue · PL7 – Paint · 2025" in page


def test_the_person_history_section_speaks_german(client_for, kam_user, group):
    person = StakeholderFactory(account=group)
    people_services.stakeholder_update(actor=kam_user, stakeholder=person, attitude="champion", rising=True)
    client = client_for(kam_user)
    client.post("/i18n/setlang/", {"language": "de"})

    page = client.get(f"/people/{person.pk}/history/").content.decode()

    assert "geändert" in page and "Haltung" in page and "ja" in page


@pytest.mark.parametrize(
    "url",
    [
        "/people/interactions/{contact}/history/",
        "/plans/{plan}/history/",
        "/plans/requests/{request}/history/",
    ],
)
def test_contact_plan_and_request_pages_have_a_history_section(url, client_for, kam_user, other_kam, group):
    person = StakeholderFactory(account=group)
    ids = {
        "contact": InteractionFactory(account=group, stakeholders=[person]).pk,
        "plan": PlanFactory(account=group).pk,
        "request": RequestFactory(account=group, logged_by=kam_user).pk,
    }
    assert client_for(kam_user).get(url.format(**ids)).status_code == 200
    assert client_for(other_kam).get(url.format(**ids)).status_code == 404


def test_a_name_the_reader_may_not_see_stays_hidden_in_the_history(client_for, kam_user, group, team_kam):
    branch = AccountFactory(parent=group, kind="branch", name="Branch Brazil")
    TeamMemberFactory(account=branch, user=team_kam)
    boss = StakeholderFactory(account=group, last_name="Secretboss")
    person = StakeholderFactory(account=branch)
    people_services.stakeholder_update(actor=kam_user, stakeholder=person, reports_to=boss)

    page = client_for(team_kam).get(f"/people/{person.pk}/history/").content.decode()

    assert "Secretboss" not in page and "you cannot see" in page


def _noisy_account(kam_user, group, changes: int) -> None:
    for n in range(changes):
        account_services.account_update(actor=kam_user, account=group, city=f"City {n}")
        account_services.team_member_set(
            actor=kam_user, account=group, user=UserFactory(), role="specialist" if n % 2 else "global_kam"
        )


@pytest.mark.parametrize("changes", [3, 40])
def test_the_history_section_costs_the_same_however_long_the_history(
    changes, client_for, kam_user, group, django_assert_max_num_queries
):
    _noisy_account(kam_user, group, changes)
    client = client_for(kam_user)
    client.get(f"/accounts/{group.pk}/history/")  # session and visibility caches warm

    with django_assert_max_num_queries(16):
        answer = client.get(f"/accounts/{group.pk}/history/?page=2")
    assert answer.status_code == 200
