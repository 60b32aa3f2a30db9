"""The stakeholders and positions API: people on the nodes of a customer group, their reporting
lines, and moves to a new job that keep the history.

`build_world` is shared with the other test_api_*.py modules of this folder."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.models import Account
from kam.models import User
from stakeholders.models import Interaction, Position, Relationship, Stakeholder
from tests.factories import AccountFactory, GroupFactory, StakeholderFactory, TeamMemberFactory

Role = Stakeholder.BuyingRole
Attitude = Stakeholder.Attitude


def build_world(kam_user: User, other_kam: User) -> SimpleNamespace:
    """Daimler (HQ, Daimler Truck > Truck Brazil) and Siemens, both owned by `kam_user`, and
    Bosch owned by `other_kam`, with people on them:

        Kaellenius (Daimler, CEO) <- Schaefer (HQ) <- Radstroem (Daimler Truck, rising)
        Silva (Truck Brazil), Busch (Siemens), Hartung (Bosch)
    """
    daimler = GroupFactory(name="Daimler", owner=kam_user)
    hq = AccountFactory(name="Daimler HQ", kind=Account.Kind.HEADQUARTERS, parent=daimler)
    trucks = AccountFactory(name="Daimler Truck", parent=daimler)
    brazil = AccountFactory(name="Truck Brazil", kind=Account.Kind.BRANCH, parent=trucks, country="BR")
    siemens = GroupFactory(name="Siemens", owner=kam_user)
    bosch = GroupFactory(name="Bosch", owner=other_kam)
    ceo = StakeholderFactory(
        account=daimler,
        first_name="Ola",
        last_name="Kaellenius",
        job_title="CEO",
        buying_role=Role.DECISION_MAKER,
        influence=5,
        attitude=Attitude.SUPPORTER,
    )
    cpo = StakeholderFactory(
        account=hq,
        first_name="Markus",
        last_name="Schaefer",
        job_title="Chief Procurement Officer",
        email="markus.schaefer@daimler.example",
        phone="+49 711 17 0",
        buying_role=Role.ECONOMIC_BUYER,
        influence=4,
        reports_to=ceo,
        relationship_owner=kam_user,
    )
    engineer = StakeholderFactory(
        account=trucks,
        first_name="Karin",
        last_name="Radstroem",
        job_title="Head of Engineering",
        buying_role=Role.TECHNICAL_BUYER,
        influence=3,
        attitude=Attitude.SKEPTIC,
        rising=True,
        reports_to=cpo,
        cadence_days=45,
    )
    buyer = StakeholderFactory(
        account=brazil,
        first_name="Paulo",
        last_name="Silva",
        job_title="Plant Buyer",
        buying_role=Role.USER,
        influence=2,
        attitude=Attitude.CHAMPION,
        cadence_days=90,
    )
    busch = StakeholderFactory(account=siemens, first_name="Roland", last_name="Busch", buying_role=Role.CHAMPION)
    hartung = StakeholderFactory(account=bosch, first_name="Stefan", last_name="Hartung", influence=5)
    # Schaefer's owner holds a relationship with him from the start, cold until the first contact.
    Relationship.objects.create(user=kam_user, stakeholder=cpo)
    return SimpleNamespace(**locals())


@pytest.fixture
def world(kam_user, other_kam) -> SimpleNamespace:
    return build_world(kam_user, other_kam)


def full_names(answer) -> list[str]:
    assert answer.status_code == 200, answer.content
    return [row["full_name"] for row in answer.json()["results"]]


def snapshot(person: Stakeholder) -> tuple:
    """What a refused write must leave as it was."""
    person.refresh_from_db()
    positions = list(person.positions.order_by("pk").values_list("account_id", "job_title", "started_on", "ended_on"))
    return (person.account_id, person.job_title, person.reports_to_id, person.influence, person.attitude, positions)


# --- reading ------------------------------------------------------------------------------


def test_kam_lists_the_people_of_their_groups_by_last_name(api_for, kam_user, world):
    assert full_names(api_for(kam_user).get("/api/stakeholders/")) == [
        "Roland Busch",
        "Ola Kaellenius",
        "Karin Radstroem",
        "Markus Schaefer",
        "Paulo Silva",
    ]


def test_stakeholder_detail_shape(api_for, kam_user, world):
    cpo = world.cpo
    position = cpo.positions.get()

    answer = api_for(kam_user).get(f"/api/stakeholders/{cpo.pk}/")

    assert answer.status_code == 200
    assert answer.json() == {
        "id": cpo.pk,
        "account": world.hq.pk,
        "first_name": "Markus",
        "last_name": "Schaefer",
        "full_name": "Markus Schaefer",
        "job_title": "Chief Procurement Officer",
        "email": "markus.schaefer@daimler.example",
        "phone": "+49 711 17 0",
        "reports_to": world.ceo.pk,
        "buying_role": "economic_buyer",
        "influence": 4,
        "attitude": "neutral",
        "rising": False,
        "cadence_days": 30,
        "relationship_owner": kam_user.pk,
        "best_strength": 0,
        "current_position": {
            "id": position.pk,
            "account": world.hq.pk,
            "job_title": "Chief Procurement Officer",
            "started_on": timezone.localdate().isoformat(),
        },
    }


# --- creating, changing, deleting ---------------------------------------------------------


def test_kam_creates_a_stakeholder_with_the_cadence_of_the_role_and_a_first_position(api_for, kam_user, world):
    payload = {
        "account": world.trucks.pk,
        "first_name": "Anna",
        "last_name": "Berg",
        "job_title": "Head of Purchasing Trucks",
        "buying_role": "gatekeeper",
        "reports_to": world.cpo.pk,
        "relationship_owner": kam_user.pk,
    }

    answer = api_for(kam_user).post("/api/stakeholders/", payload, format="json")

    assert answer.status_code == 201, answer.content
    anna = Stakeholder.objects.get(last_name="Berg")
    assert answer.json()["id"] == anna.pk
    assert (anna.account, anna.reports_to, anna.cadence_days, anna.influence) == (world.trucks, world.cpo, 60, 3)
    assert list(anna.positions.values_list("account_id", "job_title", "ended_on")) == [
        (world.trucks.pk, "Head of Purchasing Trucks", None)
    ]
    # The relationship owner has a relationship from the start (cold until the first contact).
    assert Relationship.objects.get(stakeholder=anna).user == kam_user
    assert answer.json()["current_position"]["job_title"] == "Head of Purchasing Trucks"


def test_an_explicit_cadence_is_kept(api_for, kam_user, world):
    payload = {
        "account": world.hq.pk,
        "first_name": "Ben",
        "last_name": "Ott",
        "buying_role": "user",
        "cadence_days": 7,
    }

    answer = api_for(kam_user).post("/api/stakeholders/", payload, format="json")

    assert answer.status_code == 201, answer.content
    assert Stakeholder.objects.get(last_name="Ott").cadence_days == 7


def test_kam_changes_a_stakeholder(api_for, kam_user, world):
    engineer = world.engineer

    answer = api_for(kam_user).patch(
        f"/api/stakeholders/{engineer.pk}/",
        {"attitude": "supporter", "influence": 4, "job_title": "Head of Truck Engineering", "account": world.trucks.pk},
        format="json",
    )

    assert answer.status_code == 200, answer.content
    engineer.refresh_from_db()
    assert (engineer.attitude, engineer.influence) == ("supporter", 4)
    # A corrected title corrects the current position; it is no new job.
    assert list(engineer.positions.values_list("job_title", flat=True)) == ["Head of Truck Engineering"]


def test_a_null_cadence_falls_back_to_the_default_of_the_role(api_for, kam_user, world):
    engineer = world.engineer  # technical buyer, 45 days by hand

    answer = api_for(kam_user).patch(
        f"/api/stakeholders/{engineer.pk}/", {"cadence_days": None, "buying_role": "decision_maker"}, format="json"
    )

    assert answer.status_code == 200, answer.content
    assert answer.json()["cadence_days"] == 30
    engineer.refresh_from_db()
    assert engineer.cadence_days == 30


def test_changing_the_account_by_patch_points_to_the_move_action(api_for, kam_user, world):
    engineer = world.engineer
    before = snapshot(engineer)

    answer = api_for(kam_user).patch(f"/api/stakeholders/{engineer.pk}/", {"account": world.brazil.pk}, format="json")

    assert answer.status_code == 400
    assert f"/api/stakeholders/{engineer.pk}/move/" in answer.json()["account"][0]
    assert snapshot(engineer) == before


def test_kam_deletes_a_stakeholder(api_for, kam_user, world):
    answer = api_for(kam_user).delete(f"/api/stakeholders/{world.buyer.pk}/")

    assert answer.status_code == 204
    assert not Stakeholder.objects.filter(pk=world.buyer.pk).exists()
    assert not Position.objects.filter(stakeholder_id=world.buyer.pk).exists()


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"influence": 6}, "influence", "less than or equal to 5"),
        ({"influence": 0}, "influence", "greater than or equal to 1"),
        ({"buying_role": "boss"}, "buying_role", "not a valid choice"),
        ({"attitude": "hostile"}, "attitude", "not a valid choice"),
        ({"last_name": ""}, "last_name", "may not be blank"),
        ({"first_name": "x" * 101}, "first_name", "no more than 100 characters"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"cadence_days": 366}, "cadence_days", "less than or equal to 365"),
        ({"account": "BOSCH"}, "account", "does not exist"),
        ({"reports_to": "HARTUNG"}, "reports_to", "does not exist"),
        ({"reports_to": "BUSCH"}, "reports_to", "another customer group"),
        ({"relationship_owner": 999_999}, "relationship_owner", "does not exist"),
    ],
    ids=lambda value: None if isinstance(value, dict) else str(value)[:20],
)
def test_bad_stakeholder_is_refused_with_a_field_error(api_for, kam_user, world, fields, field, message):
    ids = {"BOSCH": world.bosch.pk, "HARTUNG": world.hartung.pk, "BUSCH": world.busch.pk}
    payload = {"account": world.hq.pk, "first_name": "Anna", "last_name": "Berg", "buying_role": "user"}
    payload |= {name: ids.get(value, value) for name, value in fields.items()}
    people, positions = Stakeholder.objects.count(), Position.objects.count()

    answer = api_for(kam_user).post("/api/stakeholders/", payload, format="json")

    assert answer.status_code == 400
    assert message in " ".join(answer.json()[field])
    assert (Stakeholder.objects.count(), Position.objects.count()) == (people, positions)


def test_a_reporting_cycle_is_refused(api_for, kam_user, world):
    ceo = world.ceo
    before = snapshot(ceo)

    answer = api_for(kam_user).patch(f"/api/stakeholders/{ceo.pk}/", {"reports_to": world.engineer.pk}, format="json")

    assert answer.status_code == 400
    assert "reporting cycle" in answer.json()["reports_to"][0]
    assert snapshot(ceo) == before


def test_nobody_reports_to_themselves(api_for, kam_user, world):
    ceo = world.ceo

    answer = api_for(kam_user).patch(f"/api/stakeholders/{ceo.pk}/", {"reports_to": ceo.pk}, format="json")

    assert answer.status_code == 400
    assert "reports_to" in answer.json()
    ceo.refresh_from_db()
    assert ceo.reports_to is None


def test_a_manager_the_user_may_not_see_is_refused_like_a_missing_one(api_for, kam_user, world):
    engineer = world.engineer
    before = snapshot(engineer)

    answer = api_for(kam_user).patch(
        f"/api/stakeholders/{engineer.pk}/", {"reports_to": world.hartung.pk}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["reports_to"] == [f'Invalid pk "{world.hartung.pk}" - object does not exist.']
    assert snapshot(engineer) == before


# --- moving to a new job ------------------------------------------------------------------


def test_move_opens_a_new_position_and_keeps_the_person_with_their_history(api_for, kam_user, world):
    engineer, api = world.engineer, api_for(kam_user)
    engineer.positions.update(started_on=date(2020, 1, 1))
    logged = api.post(
        "/api/interactions/",
        {
            "account": world.trucks.pk,
            "occurred_at": (timezone.now() - timedelta(days=3)).isoformat(),
            "summary": "Plant tour in Woerth.",
            "stakeholders": [engineer.pk],
        },
        format="json",
    )
    assert logged.status_code == 201, logged.content
    moved_on = timezone.localdate() - timedelta(days=1)

    answer = api.post(
        f"/api/stakeholders/{engineer.pk}/move/",
        {
            "account": world.brazil.pk,
            "job_title": "Plant Manager Brazil",
            "started_on": moved_on.isoformat(),
            "reports_to": world.ceo.pk,
        },
        format="json",
    )

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["id"], body["account"], body["job_title"], body["reports_to"]) == (
        engineer.pk,
        world.brazil.pk,
        "Plant Manager Brazil",
        world.ceo.pk,
    )
    assert body["current_position"]["started_on"] == moved_on.isoformat()
    history = api.get("/api/positions/", {"stakeholder": engineer.pk}).json()["results"]
    assert [(p["account"], p["job_title"], p["started_on"], p["ended_on"]) for p in history] == [
        (world.brazil.pk, "Plant Manager Brazil", moved_on.isoformat(), None),
        (world.trucks.pk, "Head of Engineering", "2020-01-01", moved_on.isoformat()),
    ]
    # The contact and the relationship stay with the person, not with the old node.
    interaction = Interaction.objects.get(pk=logged.json()["id"])
    assert list(interaction.stakeholders.all()) == [engineer]
    relationship = Relationship.objects.get(stakeholder=engineer, user=kam_user)
    assert relationship.status == Relationship.Status.WARM
    relationships = api.get("/api/relationships/", {"stakeholder": engineer.pk}).json()["results"]
    assert [(r["user"], r["status"]) for r in relationships] == [(kam_user.pk, "warm")]
    assert api.get("/api/interactions/", {"stakeholder": engineer.pk}).json()["count"] == 1


def test_move_without_a_date_starts_today(api_for, kam_user, world):
    buyer = world.buyer

    answer = api_for(kam_user).post(
        f"/api/stakeholders/{buyer.pk}/move/", {"account": world.hq.pk, "job_title": "Buyer HQ"}, format="json"
    )

    assert answer.status_code == 200, answer.content
    assert buyer.positions.filter(ended_on__isnull=True).get().started_on == timezone.localdate()
    assert buyer.positions.count() == 2


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"started_on": "FUTURE"}, "started_on", "future"),
        ({"started_on": "2019-12-31"}, "started_on", "before the current one"),
        ({"started_on": "someday"}, "started_on", "wrong format"),
        ({"job_title": ""}, "job_title", "may not be blank"),
        ({"job_title": "x" * 201}, "job_title", "no more than 200 characters"),
        ({"account": "BOSCH"}, "account", "does not exist"),
        ({"account": None}, "account", "may not be null"),
        ({"reports_to": "SCHAEFER"}, "reports_to", "reporting cycle"),
        ({"reports_to": "BUSCH"}, "reports_to", "another customer group"),
        ({"reports_to": "HARTUNG"}, "reports_to", "does not exist"),
    ],
    ids=lambda value: None if isinstance(value, dict) else str(value)[:20],
)
def test_bad_move_is_refused_and_changes_nothing(api_for, kam_user, world, fields, field, message):
    # Schaefer reports to Kaellenius: Kaellenius moving under Schaefer would close a loop.
    ceo = world.ceo
    ceo.positions.update(started_on=date(2020, 1, 1))
    ids = {
        "BOSCH": world.bosch.pk,
        "HARTUNG": world.hartung.pk,
        "BUSCH": world.busch.pk,
        "SCHAEFER": world.cpo.pk,
        "FUTURE": (timezone.localdate() + timedelta(days=1)).isoformat(),
    }
    payload = {"account": world.hq.pk, "job_title": "Chairman"}
    payload |= {name: ids.get(value, value) for name, value in fields.items()}
    before = snapshot(ceo)

    answer = api_for(kam_user).post(f"/api/stakeholders/{ceo.pk}/move/", payload, format="json")

    assert answer.status_code == 400
    assert message in " ".join(answer.json()[field])
    assert snapshot(ceo) == before


# --- who sees and changes whom ------------------------------------------------------------


def test_other_kam_sees_only_their_own_people(api_for, other_kam, world):
    api = api_for(other_kam)
    cpo = world.cpo

    assert full_names(api.get("/api/stakeholders/")) == ["Stefan Hartung"]
    assert api.get(f"/api/stakeholders/{cpo.pk}/").status_code == 404
    assert api.patch(f"/api/stakeholders/{cpo.pk}/", {"influence": 1}, format="json").status_code == 404
    assert api.delete(f"/api/stakeholders/{cpo.pk}/").status_code == 404
    move = api.post(f"/api/stakeholders/{cpo.pk}/move/", {"account": world.bosch.pk, "job_title": "Spy"})
    assert move.status_code == 404
    assert Stakeholder.objects.filter(pk=cpo.pk, influence=4, account=world.hq).exists()


def test_leadership_reads_every_person_but_changes_none(api_for, leader, world):
    api = api_for(leader)
    cpo = world.cpo
    before = snapshot(cpo)

    assert len(full_names(api.get("/api/stakeholders/"))) == 6
    assert api.get(f"/api/stakeholders/{cpo.pk}/").status_code == 200
    answers = [
        api.post(
            "/api/stakeholders/",
            {"account": world.hq.pk, "first_name": "A", "last_name": "B", "buying_role": "user"},
            format="json",
        ),
        api.patch(f"/api/stakeholders/{cpo.pk}/", {"influence": 1}, format="json"),
        api.delete(f"/api/stakeholders/{cpo.pk}/"),
        api.post(f"/api/stakeholders/{cpo.pk}/move/", {"account": world.trucks.pk, "job_title": "X"}, format="json"),
    ]
    assert [answer.status_code for answer in answers] == [403, 403, 403, 403]
    assert Stakeholder.objects.count() == 6
    assert snapshot(cpo) == before


def test_regional_colleague_sees_no_people_yet(api_for, regional, world):
    api = api_for(regional)

    assert full_names(api.get("/api/stakeholders/")) == []
    assert api.get(f"/api/stakeholders/{world.cpo.pk}/").status_code == 404
    answer = api.post(
        "/api/stakeholders/",
        {"account": world.hq.pk, "first_name": "A", "last_name": "B", "buying_role": "user"},
        format="json",
    )
    assert answer.status_code == 400
    assert "does not exist" in answer.json()["account"][0]
    assert Stakeholder.objects.count() == 6


def test_kam_on_the_team_of_a_subtree_reads_and_writes_only_there(api_for, team_kam, world):
    TeamMemberFactory(account=world.trucks, user=team_kam)
    api = api_for(team_kam)

    assert full_names(api.get("/api/stakeholders/")) == ["Karin Radstroem", "Paulo Silva"]
    assert api.get(f"/api/stakeholders/{world.cpo.pk}/").status_code == 404
    # Radstroem's manager works outside the subtree: shown as nobody, and not to be chosen...
    engineer = api.get(f"/api/stakeholders/{world.engineer.pk}/").json()
    assert engineer["reports_to"] is None
    answer = api.patch(f"/api/stakeholders/{world.buyer.pk}/", {"reports_to": world.cpo.pk}, format="json")
    assert answer.status_code == 400
    # ...but an edit of other fields keeps the line to the manager.
    answer = api.patch(f"/api/stakeholders/{world.engineer.pk}/", {"influence": 4}, format="json")
    assert answer.status_code == 200, answer.content
    world.engineer.refresh_from_db()
    assert (world.engineer.influence, world.engineer.reports_to) == (4, world.cpo)


# --- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"account": "TRUCKS"}, ["Karin Radstroem"]),
        ({"subtree": "TRUCKS"}, ["Karin Radstroem", "Paulo Silva"]),
        ({"subtree": "DAIMLER"}, ["Ola Kaellenius", "Karin Radstroem", "Markus Schaefer", "Paulo Silva"]),
        ({"buying_role": "economic_buyer"}, ["Markus Schaefer"]),
        ({"attitude": "champion"}, ["Paulo Silva"]),
        ({"rising": "true"}, ["Karin Radstroem"]),
        ({"min_influence": 4}, ["Ola Kaellenius", "Markus Schaefer"]),
        ({"key_only": "true"}, ["Roland Busch", "Ola Kaellenius", "Markus Schaefer"]),
        ({"reports_to": "CEO"}, ["Markus Schaefer"]),
        ({"q": "plant"}, ["Paulo Silva"]),
        ({"q": "markus daimler"}, ["Markus Schaefer"]),
        ({"search": "radstr"}, ["Karin Radstroem"]),
        (
            {"ordering": "-influence", "subtree": "DAIMLER"},
            ["Ola Kaellenius", "Markus Schaefer", "Karin Radstroem", "Paulo Silva"],
        ),
    ],
)
def test_stakeholder_filters(api_for, kam_user, world, params, expected):
    ids = {"TRUCKS": world.trucks.pk, "DAIMLER": world.daimler.pk, "CEO": world.ceo.pk}
    params = {name: ids.get(value, value) for name, value in params.items()}

    assert full_names(api_for(kam_user).get("/api/stakeholders/", params)) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"buying_role": "boss"}, "buying_role"),
        ({"min_influence": "high"}, "min_influence"),
        ({"subtree": "x"}, "subtree"),
    ],
)
def test_bad_filter_values_answer_400(api_for, kam_user, world, params, field):
    answer = api_for(kam_user).get("/api/stakeholders/", params)

    assert answer.status_code == 400
    assert field in answer.json()


# --- positions ----------------------------------------------------------------------------


def test_positions_are_read_only_history(api_for, kam_user, world):
    api = api_for(kam_user)
    position = world.cpo.positions.get()

    answer = api.get(f"/api/positions/{position.pk}/")

    assert answer.json() == {
        "id": position.pk,
        "stakeholder": world.cpo.pk,
        "account": world.hq.pk,
        "job_title": "Chief Procurement Officer",
        "started_on": timezone.localdate().isoformat(),
        "ended_on": None,
    }
    assert api.post("/api/positions/", {"stakeholder": world.cpo.pk}, format="json").status_code == 405
    assert api.patch(f"/api/positions/{position.pk}/", {"job_title": "X"}, format="json").status_code == 405
    assert api.delete(f"/api/positions/{position.pk}/").status_code == 405


def test_position_filters(api_for, kam_user, world):
    api = api_for(kam_user)
    api.post(f"/api/stakeholders/{world.buyer.pk}/move/", {"account": world.hq.pk, "job_title": "Buyer HQ"})

    def titles(**params) -> list[str]:
        return sorted(row["job_title"] for row in api.get("/api/positions/", params).json()["results"])

    assert titles(stakeholder=world.buyer.pk) == ["Buyer HQ", "Plant Buyer"]
    assert titles(stakeholder=world.buyer.pk, current="true") == ["Buyer HQ"]
    assert titles(subtree=world.trucks.pk) == ["Head of Engineering", "Plant Buyer"]
    assert titles(account=world.hq.pk) == ["Buyer HQ", "Chief Procurement Officer"]


def test_positions_outside_the_visible_accounts_are_hidden(api_for, other_kam, regional, world):
    hartung_position = world.hartung.positions.get()
    cpo_position = world.cpo.positions.get()

    assert [p["id"] for p in api_for(other_kam).get("/api/positions/").json()["results"]] == [hartung_position.pk]
    assert api_for(other_kam).get(f"/api/positions/{cpo_position.pk}/").status_code == 404
    assert api_for(regional).get("/api/positions/").json()["count"] == 0
