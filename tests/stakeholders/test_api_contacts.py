"""The API for contacts and politics: interactions, gives, relationships and influence links."""

from datetime import datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from stakeholders.models import Give, InfluenceLink, Interaction, Relationship
from tests.factories import GiveFactory, InfluenceLinkFactory, InteractionFactory, TeamMemberFactory, UserFactory
from tests.stakeholders.test_api_people import build_world


@pytest.fixture
def world(kam_user, other_kam) -> SimpleNamespace:
    return build_world(kam_user, other_kam)


def ago(**delta) -> str:
    return (timezone.now() - timedelta(**delta)).isoformat()


def ids(answer) -> list[int]:
    assert answer.status_code == 200, answer.content
    return [row["id"] for row in answer.json()["results"]]


def interaction_payload(world, **fields) -> dict:
    return {
        "account": world.trucks.pk,
        "kind": "visit",
        "occurred_at": ago(hours=2),
        "summary": "Plant visit: retrofit of the paint shop in 2027.",
        "stakeholders": [world.engineer.pk, world.buyer.pk],
        "sentiment": "positive",
        **fields,
    }


def resolve(world, value):
    """Test parameters name people and accounts in capitals; the world gives their ids."""
    names = {
        "BOSCH": world.bosch.pk,
        "HARTUNG": world.hartung.pk,
        "BUSCH": world.busch.pk,
        "CEO": world.ceo.pk,
        "FUTURE": (timezone.now() + timedelta(hours=1)).isoformat(),
    }
    if isinstance(value, list):
        return [names.get(item, item) for item in value]
    return names.get(value, value) if isinstance(value, str) else value


# --- interactions -------------------------------------------------------------------------


def test_kam_logs_an_interaction_and_the_relationships_follow(api_for, kam_user, world):
    answer = api_for(kam_user).post("/api/interactions/", interaction_payload(world), format="json")

    assert answer.status_code == 201, answer.content
    interaction = Interaction.objects.get()
    assert answer.json() == {
        "id": interaction.pk,
        "account": world.trucks.pk,
        "kind": "visit",
        "occurred_at": answer.json()["occurred_at"],
        "summary": "Plant visit: retrofit of the paint shop in 2027.",
        "stakeholders": [world.engineer.pk, world.buyer.pk],
        "colleagues": [kam_user.pk],
        "sentiment": "positive",
        "logged_by": kam_user.pk,
    }
    assert set(interaction.stakeholders.all()) == {world.engineer, world.buyer}
    assert list(interaction.colleagues.all()) == [kam_user]
    relationships = Relationship.objects.filter(user=kam_user, stakeholder__in=[world.engineer, world.buyer])
    # A visit (30 points) with a positive sentiment (x 1.25), two hours old.
    assert sorted((r.strength, r.status) for r in relationships) == [(37, "warm"), (37, "warm")]


def test_an_interaction_names_several_colleagues(api_for, kam_user, world):
    colleague = specialist_on(world)
    payload = interaction_payload(world, colleagues=[kam_user.pk, colleague.pk], stakeholders=[world.ceo.pk])

    answer = api_for(kam_user).post("/api/interactions/", payload, format="json")

    assert answer.status_code == 201, answer.content
    assert set(Relationship.objects.filter(stakeholder=world.ceo).values_list("user__username", flat=True)) == {
        "kam",
        "specialist",
    }


def test_kam_changes_an_interaction(api_for, kam_user, world):
    api = api_for(kam_user)
    created = api.post("/api/interactions/", interaction_payload(world), format="json").json()

    answer = api.patch(
        f"/api/interactions/{created['id']}/",
        {"summary": "Visit; retrofit postponed.", "sentiment": "negative", "stakeholders": [world.engineer.pk]},
        format="json",
    )

    assert answer.status_code == 200, answer.content
    interaction = Interaction.objects.get()
    assert (interaction.summary, interaction.sentiment) == ("Visit; retrofit postponed.", "negative")
    assert list(interaction.stakeholders.all()) == [world.engineer]
    # Silva is no longer on the contact: his relationship has nothing left to live on.
    assert Relationship.objects.get(user=kam_user, stakeholder=world.buyer).strength == 0


def test_kam_deletes_an_interaction(api_for, kam_user, world):
    api = api_for(kam_user)
    created = api.post("/api/interactions/", interaction_payload(world), format="json").json()

    answer = api.delete(f"/api/interactions/{created['id']}/")

    assert answer.status_code == 204
    assert not Interaction.objects.exists()
    assert set(Relationship.objects.filter(user=kam_user).values_list("strength", "status")) == {(0, "cold")}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"occurred_at": "FUTURE"}, "occurred_at", "future"),
        ({"occurred_at": "yesterday"}, "occurred_at", "wrong format"),
        ({"stakeholders": ["BUSCH"]}, "stakeholders", "another customer group"),
        ({"stakeholders": ["HARTUNG"]}, "stakeholders", "does not exist"),
        ({"stakeholders": []}, "stakeholders", "at least one person"),
        ({"summary": "x" * 4001}, "summary", "no more than 4000 characters"),
        ({"summary": ""}, "summary", "may not be blank"),
        ({"kind": "lunch"}, "kind", "not a valid choice"),
        ({"sentiment": "ecstatic"}, "sentiment", "not a valid choice"),
        ({"account": "BOSCH"}, "account", "does not exist"),
        ({"colleagues": [999_999]}, "colleagues", "does not exist"),
        ({"colleagues": ["GONE"]}, "colleagues", "No longer active"),
    ],
    ids=lambda value: None if isinstance(value, dict) else str(value)[:20],
)
def test_bad_interaction_is_refused_and_nothing_is_written(
    api_for, kam_user, inactive_kam, world, fields, field, message
):
    fields = {name: resolve(world, value) for name, value in fields.items()}
    if fields.get("colleagues") == ["GONE"]:
        fields["colleagues"] = [inactive_kam.pk]

    answer = api_for(kam_user).post("/api/interactions/", interaction_payload(world, **fields), format="json")

    assert answer.status_code == 400
    assert message in " ".join(answer.json()[field])
    assert not Interaction.objects.exists()
    assert not Relationship.objects.exclude(stakeholder=world.cpo).exists()  # only the owner's, from the setup


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"occurred_at": "FUTURE"}, "occurred_at", "future"),
        ({"stakeholders": ["BUSCH"]}, "stakeholders", "another customer group"),
        ({"stakeholders": []}, "stakeholders", "at least one person"),
        ({"colleagues": []}, "colleagues", "at least one colleague"),
        ({"summary": "x" * 4001}, "summary", "no more than 4000 characters"),
    ],
    ids=lambda value: None if isinstance(value, dict) else str(value)[:20],
)
def test_bad_interaction_change_is_refused_and_nothing_changes(api_for, kam_user, world, fields, field, message):
    api = api_for(kam_user)
    created = api.post("/api/interactions/", interaction_payload(world), format="json").json()
    fields = {name: resolve(world, value) for name, value in fields.items()}

    answer = api.patch(f"/api/interactions/{created['id']}/", fields, format="json")

    assert answer.status_code == 400
    assert message in " ".join(answer.json()[field])
    assert api.get(f"/api/interactions/{created['id']}/").json() == created


def test_editing_a_contact_keeps_the_people_the_editor_cannot_see(api_for, kam_user, team_kam, world):
    TeamMemberFactory(account=world.trucks, user=team_kam)
    interaction = InteractionFactory(
        account=world.trucks, stakeholders=[world.engineer, world.cpo], colleagues=[kam_user], logged_by=kam_user
    )
    api = api_for(team_kam)

    shown = api.get(f"/api/interactions/{interaction.pk}/").json()
    answer = api.patch(
        f"/api/interactions/{interaction.pk}/",
        {"summary": "Corrected.", "stakeholders": [world.engineer.pk, world.buyer.pk]},
        format="json",
    )

    assert shown["stakeholders"] == [world.engineer.pk]  # Schaefer works outside the team's subtree
    assert answer.status_code == 200, answer.content
    assert answer.json()["stakeholders"] == [world.engineer.pk, world.buyer.pk]
    assert set(interaction.stakeholders.all()) == {world.engineer, world.buyer, world.cpo}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["yesterday at HQ", "last week", "a month ago"]),
        ({"account": "TRUCKS"}, ["last week"]),
        ({"subtree": "TRUCKS"}, ["last week", "a month ago"]),
        ({"stakeholder": "CEO"}, ["yesterday at HQ"]),
        ({"user": "COLLEAGUE"}, ["a month ago"]),
        ({"kind": "call"}, ["yesterday at HQ"]),
        ({"sentiment": "negative"}, ["a month ago"]),
        ({"occurred_after": "DAYS_AGO_10"}, ["yesterday at HQ", "last week"]),
        ({"occurred_before": "DAYS_AGO_10"}, ["a month ago"]),
        ({"occurred_after": "DAYS_AGO_40", "occurred_before": "DAYS_AGO_5"}, ["last week", "a month ago"]),
        ({"search": "HQ"}, ["yesterday at HQ"]),
    ],
)
def test_interaction_filters(api_for, kam_user, world, params, expected):
    colleague = specialist_on(world)
    today = timezone.localdate()
    InteractionFactory(
        account=world.trucks,
        summary="last week",
        occurred_at=timezone.now() - timedelta(days=7),
        stakeholders=[world.engineer],
        colleagues=[kam_user],
    )
    InteractionFactory(
        account=world.hq,
        kind="call",
        summary="yesterday at HQ",
        occurred_at=timezone.now() - timedelta(days=1),
        stakeholders=[world.ceo, world.cpo],
        colleagues=[kam_user],
    )
    InteractionFactory(
        account=world.brazil,
        sentiment="negative",
        summary="a month ago",
        occurred_at=timezone.now() - timedelta(days=30),
        stakeholders=[world.buyer],
        colleagues=[colleague],
    )
    InteractionFactory(account=world.bosch, summary="invisible", stakeholders=[world.hartung])
    named = {
        "TRUCKS": world.trucks.pk,
        "CEO": world.ceo.pk,
        "COLLEAGUE": colleague.pk,
        **{f"DAYS_AGO_{n}": (today - timedelta(days=n)).isoformat() for n in (5, 10, 40)},
    }
    params = {name: named.get(value, value) for name, value in params.items()}

    answer = api_for(kam_user).get("/api/interactions/", params)

    assert answer.status_code == 200, answer.content
    assert [row["summary"] for row in answer.json()["results"]] == expected


def test_date_range_takes_whole_local_days(api_for, kam_user, world):
    day = timezone.localdate() - timedelta(days=3)
    late = timezone.make_aware(datetime.combine(day, time(23, 30)))
    InteractionFactory(account=world.hq, occurred_at=late, stakeholders=[world.cpo])
    api = api_for(kam_user)

    def count(**params) -> int:
        return api.get("/api/interactions/", params).json()["count"]

    assert count(occurred_after=day.isoformat(), occurred_before=day.isoformat()) == 1
    assert count(occurred_before=(day - timedelta(days=1)).isoformat()) == 0
    assert count(occurred_after=(day + timedelta(days=1)).isoformat()) == 0


@pytest.mark.parametrize("params", [{"occurred_after": "last monday"}, {"kind": "lunch"}, {"stakeholder": "x"}])
def test_bad_interaction_filter_answers_400(api_for, kam_user, world, params):
    answer = api_for(kam_user).get("/api/interactions/", params)

    assert answer.status_code == 400
    assert set(answer.json()) == set(params)


def test_interactions_by_role(api_for, kam_user, other_kam, leader, regional, world):
    interaction = InteractionFactory(account=world.hq, stakeholders=[world.cpo], colleagues=[kam_user])
    url = f"/api/interactions/{interaction.pk}/"
    payload = interaction_payload(world)

    assert ids(api_for(other_kam).get("/api/interactions/")) == []
    assert api_for(other_kam).get(url).status_code == 404
    assert api_for(other_kam).patch(url, {"summary": "x"}, format="json").status_code == 404
    assert api_for(other_kam).delete(url).status_code == 404
    assert ids(api_for(leader).get("/api/interactions/")) == [interaction.pk]
    assert api_for(leader).post("/api/interactions/", payload, format="json").status_code == 403
    assert api_for(leader).patch(url, {"summary": "x"}, format="json").status_code == 403
    assert api_for(leader).delete(url).status_code == 403
    assert ids(api_for(regional).get("/api/interactions/")) == []
    assert api_for(regional).get(url).status_code == 404
    refused = api_for(regional).post("/api/interactions/", payload, format="json")
    assert refused.status_code == 400
    assert "account" in refused.json() and "stakeholders" in refused.json()
    assert list(Interaction.objects.values_list("pk", "summary")) == [(interaction.pk, interaction.summary)]


# --- gives --------------------------------------------------------------------------------


def test_kam_records_a_give_that_defaults_to_them_and_now(api_for, kam_user, world):
    payload = {"stakeholder": world.ceo.pk, "kind": "introduction", "description": "Introduced him to our CTO."}

    answer = api_for(kam_user).post("/api/gives/", payload, format="json")

    assert answer.status_code == 201, answer.content
    give = Give.objects.get()
    assert (give.user, give.direction, give.stakeholder) == (kam_user, "given", world.ceo)
    assert timezone.now() - give.occurred_at < timedelta(minutes=1)
    assert answer.json()["user"] == kam_user.pk
    relationship = Relationship.objects.get(user=kam_user, stakeholder=world.ceo)
    assert (relationship.strength, relationship.status) == (15, "warm")


def test_kam_records_a_favour_received_by_a_colleague(api_for, kam_user, world):
    colleague = specialist_on(world)
    payload = {
        "stakeholder": world.engineer.pk,
        "user": colleague.pk,
        "direction": "received",
        "kind": "information",
        "occurred_at": ago(days=2),
        "description": "Told us about the tender before it was published.",
    }

    answer = api_for(kam_user).post("/api/gives/", payload, format="json")

    assert answer.status_code == 201, answer.content
    assert Give.objects.get().user == colleague
    assert Relationship.objects.get(stakeholder=world.engineer).user == colleague


def test_kam_changes_and_deletes_a_give(api_for, kam_user, world):
    api = api_for(kam_user)
    give = GiveFactory(stakeholder=world.ceo, user=kam_user)

    changed = api.patch(f"/api/gives/{give.pk}/", {"kind": "news_pointer", "description": "Sent the article."})
    deleted = api.delete(f"/api/gives/{give.pk}/")

    assert changed.status_code == 200, changed.content
    assert changed.json()["kind"] == "news_pointer"
    assert deleted.status_code == 204
    assert not Give.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"occurred_at": "FUTURE"}, "occurred_at", "future"),
        ({"description": ""}, "description", "may not be blank"),
        ({"description": "x" * 501}, "description", "no more than 500 characters"),
        ({"kind": "bribe"}, "kind", "not a valid choice"),
        ({"direction": "sideways"}, "direction", "not a valid choice"),
        ({"stakeholder": "HARTUNG"}, "stakeholder", "does not exist"),
        ({"stakeholder": None}, "stakeholder", "may not be null"),
        ({"user": "GONE"}, "user", "no longer active"),
    ],
    ids=lambda value: None if isinstance(value, dict) else str(value)[:20],
)
def test_bad_give_is_refused_and_nothing_is_written(api_for, kam_user, inactive_kam, world, fields, field, message):
    fields = {name: resolve(world, value) for name, value in fields.items()}
    if fields.get("user") == "GONE":
        fields["user"] = inactive_kam.pk
    payload = {"stakeholder": world.ceo.pk, "kind": "information", "description": "Market study.", **fields}

    answer = api_for(kam_user).post("/api/gives/", payload, format="json")

    assert answer.status_code == 400
    assert message in " ".join(answer.json()[field])
    assert not Give.objects.exists()
    assert not Relationship.objects.filter(stakeholder=world.ceo).exists()


def test_bad_give_change_is_refused(api_for, kam_user, world):
    give = GiveFactory(stakeholder=world.ceo, user=kam_user, description="Market study.")

    answer = api_for(kam_user).patch(f"/api/gives/{give.pk}/", {"occurred_at": resolve(world, "FUTURE")})

    assert answer.status_code == 400
    assert "occurred_at" in answer.json()
    give.refresh_from_db()
    assert timezone.now() - give.occurred_at < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["recent", "older", "received"]),
        ({"stakeholder": "CEO"}, ["recent", "older"]),
        ({"user": "COLLEAGUE"}, ["received"]),
        ({"direction": "received"}, ["received"]),
        ({"kind": "introduction"}, ["older"]),
        ({"subtree": "TRUCKS"}, ["received"]),
        ({"account": "DAIMLER"}, ["recent", "older"]),
        ({"occurred_after": "DAYS_AGO_10"}, ["recent"]),
        ({"occurred_before": "DAYS_AGO_10"}, ["older", "received"]),
    ],
)
def test_give_filters(api_for, kam_user, world, params, expected):
    colleague = specialist_on(world)
    GiveFactory(stakeholder=world.ceo, user=kam_user, description="recent", occurred_at=timezone.now())
    GiveFactory(
        stakeholder=world.ceo,
        user=kam_user,
        kind="introduction",
        description="older",
        occurred_at=timezone.now() - timedelta(days=20),
    )
    GiveFactory(
        stakeholder=world.buyer,
        user=colleague,
        direction="received",
        description="received",
        occurred_at=timezone.now() - timedelta(days=30),
    )
    GiveFactory(stakeholder=world.hartung, user=kam_user, description="invisible")
    named = {
        "CEO": world.ceo.pk,
        "COLLEAGUE": colleague.pk,
        "TRUCKS": world.trucks.pk,
        "DAIMLER": world.daimler.pk,
        "DAYS_AGO_10": (timezone.localdate() - timedelta(days=10)).isoformat(),
    }
    params = {name: named.get(value, value) for name, value in params.items()}

    answer = api_for(kam_user).get("/api/gives/", params)

    assert answer.status_code == 200, answer.content
    assert [row["description"] for row in answer.json()["results"]] == expected


def test_gives_by_role(api_for, kam_user, other_kam, leader, regional, world):
    give = GiveFactory(stakeholder=world.ceo, user=kam_user)
    url = f"/api/gives/{give.pk}/"
    payload = {"stakeholder": world.ceo.pk, "kind": "information", "description": "Study."}

    assert ids(api_for(other_kam).get("/api/gives/")) == []
    assert api_for(other_kam).get(url).status_code == 404
    assert api_for(other_kam).patch(url, {"description": "x"}).status_code == 404
    assert ids(api_for(leader).get("/api/gives/")) == [give.pk]
    assert api_for(leader).post("/api/gives/", payload).status_code == 403
    assert api_for(leader).patch(url, {"description": "x"}).status_code == 403
    assert api_for(leader).delete(url).status_code == 403
    assert ids(api_for(regional).get("/api/gives/")) == []
    assert api_for(regional).get(url).status_code == 404
    assert api_for(regional).post("/api/gives/", payload).status_code == 400
    assert list(Give.objects.values_list("pk", "description")) == [(give.pk, give.description)]


# --- relationships ------------------------------------------------------------------------


def test_relationships_are_computed_and_read_only(api_for, kam_user, world):
    api = api_for(kam_user)
    api.post("/api/interactions/", interaction_payload(world, stakeholders=[world.ceo.pk]), format="json")
    relationship = Relationship.objects.get(stakeholder=world.ceo)

    answer = api.get(f"/api/relationships/{relationship.pk}/")

    assert answer.status_code == 200
    body = answer.json()
    assert (body["user"], body["stakeholder"], body["strength"], body["status"]) == (
        kam_user.pk,
        world.ceo.pk,
        37,
        "warm",
    )
    assert body["last_interaction_at"] is not None and body["computed_at"] is not None
    assert api.post("/api/relationships/", {"user": kam_user.pk, "stakeholder": world.ceo.pk}).status_code == 405
    assert api.patch(f"/api/relationships/{relationship.pk}/", {"strength": 100}).status_code == 405
    assert api.delete(f"/api/relationships/{relationship.pk}/").status_code == 405


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [("CEO", "warm"), ("CPO", "cold"), ("ENGINEER", "cold")]),
        ({"status": "warm"}, [("CEO", "warm")]),
        ({"status": "cold"}, [("CPO", "cold"), ("ENGINEER", "cold")]),
        ({"stakeholder": "ENGINEER"}, [("ENGINEER", "cold")]),
        ({"subtree": "TRUCKS"}, [("ENGINEER", "cold")]),
        ({"account": "HQ"}, [("CPO", "cold")]),
        ({"user": "COLLEAGUE"}, [("ENGINEER", "cold")]),
    ],
)
def test_relationship_filters(api_for, kam_user, world, params, expected):
    colleague = specialist_on(world)
    # The owner of Schaefer (setup) has a cold relationship; a fresh visit warms Kaellenius.
    api_for(kam_user).post("/api/interactions/", interaction_payload(world, stakeholders=[world.ceo.pk]), format="json")
    Relationship.objects.create(user=colleague, stakeholder=world.engineer)
    Relationship.objects.create(user=kam_user, stakeholder=world.hartung)
    people = {world.ceo.pk: "CEO", world.cpo.pk: "CPO", world.engineer.pk: "ENGINEER"}
    named = {
        "ENGINEER": world.engineer.pk,
        "TRUCKS": world.trucks.pk,
        "HQ": world.hq.pk,
        "COLLEAGUE": colleague.pk,
    }
    params = {name: named.get(value, value) for name, value in params.items()}

    answer = api_for(kam_user).get("/api/relationships/", params)

    assert answer.status_code == 200, answer.content
    found = [(people[row["stakeholder"]], row["status"]) for row in answer.json()["results"]]
    assert sorted(found) == expected


def test_relationships_by_role(api_for, kam_user, other_kam, leader, regional, world):
    mine = Relationship.objects.get(stakeholder=world.cpo)  # Schaefer's owner
    theirs = Relationship.objects.create(user=other_kam, stakeholder=world.hartung)

    assert ids(api_for(other_kam).get("/api/relationships/")) == [theirs.pk]
    assert api_for(other_kam).get(f"/api/relationships/{mine.pk}/").status_code == 404
    assert sorted(ids(api_for(leader).get("/api/relationships/"))) == sorted([mine.pk, theirs.pk])
    assert ids(api_for(regional).get("/api/relationships/")) == []
    assert api_for(regional).get(f"/api/relationships/{mine.pk}/").status_code == 404


def test_bad_relationship_filter_answers_400(api_for, kam_user, world):
    answer = api_for(kam_user).get("/api/relationships/", {"status": "lukewarm"})

    assert answer.status_code == 400
    assert "status" in answer.json()


# --- influence links ----------------------------------------------------------------------


def test_kam_links_changes_and_removes_influence(api_for, kam_user, world):
    api = api_for(kam_user)

    created = api.post(
        "/api/influence-links/",
        {"source": world.cpo.pk, "target": world.engineer.pk, "kind": "influences", "strength": 3},
        format="json",
    )
    link = InfluenceLink.objects.get()
    changed = api.patch(f"/api/influence-links/{link.pk}/", {"kind": "allied", "strength": 1}, format="json")
    listed = api.get("/api/influence-links/").json()["results"]
    deleted = api.delete(f"/api/influence-links/{link.pk}/")

    assert created.status_code == 201, created.content
    assert created.json() == {
        "id": link.pk,
        "source": world.cpo.pk,
        "target": world.engineer.pk,
        "kind": "influences",
        "strength": 3,
    }
    assert changed.status_code == 200, changed.content
    assert listed == [{**created.json(), "kind": "allied", "strength": 1}]
    assert deleted.status_code == 204
    assert not InfluenceLink.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"strength": 4}, "strength", "less than or equal to 3"),
        ({"strength": 0}, "strength", "greater than or equal to 1"),
        ({"kind": "loves"}, "kind", "not a valid choice"),
        ({"target": "HARTUNG"}, "target", "does not exist"),
        ({"source": "HARTUNG"}, "source", "does not exist"),
        ({"target": "CEO"}, "non_field_errors", "themselves"),
        ({"kind": "allied"}, "non_field_errors", "already exists"),
    ],
    ids=lambda value: None if isinstance(value, dict) else str(value)[:20],
)
def test_bad_influence_link_is_refused_and_nothing_is_written(api_for, kam_user, world, fields, field, message):
    InfluenceLinkFactory(source=world.ceo, target=world.cpo, kind="allied")
    fields = {name: resolve(world, value) for name, value in fields.items()}
    payload = {"source": world.ceo.pk, "target": world.cpo.pk, "kind": "influences", "strength": 2, **fields}

    answer = api_for(kam_user).post("/api/influence-links/", payload, format="json")

    assert answer.status_code == 400
    assert message in " ".join(answer.json()[field])
    assert InfluenceLink.objects.count() == 1


def test_bad_influence_link_change_is_refused(api_for, kam_user, world):
    link = InfluenceLinkFactory(source=world.ceo, target=world.cpo, strength=2)

    answer = api_for(kam_user).patch(f"/api/influence-links/{link.pk}/", {"strength": 4}, format="json")

    assert answer.status_code == 400
    link.refresh_from_db()
    assert link.strength == 2


def test_influence_link_filters(api_for, kam_user, world):
    api = api_for(kam_user)
    top = InfluenceLinkFactory(source=world.ceo, target=world.cpo, kind="influences")
    rivals = InfluenceLinkFactory(source=world.engineer, target=world.buyer, kind="rival")
    allied = InfluenceLinkFactory(source=world.cpo, target=world.engineer, kind="allied")
    InfluenceLinkFactory(source=world.hartung, target=world.busch)  # Hartung is not visible

    def found(**params) -> set[int]:
        return set(ids(api.get("/api/influence-links/", params)))

    assert found() == {top.pk, rivals.pk, allied.pk}
    assert found(stakeholder=world.cpo.pk) == {top.pk, allied.pk}
    assert found(kind="rival") == {rivals.pk}
    assert found(subtree=world.trucks.pk) == {rivals.pk}
    assert found(account=world.hq.pk) == {allied.pk}
    assert found(target=world.engineer.pk) == {allied.pk}


def test_influence_links_by_role(api_for, kam_user, other_kam, leader, regional, world):
    link = InfluenceLinkFactory(source=world.ceo, target=world.cpo, strength=2)
    url = f"/api/influence-links/{link.pk}/"
    payload = {"source": world.cpo.pk, "target": world.ceo.pk, "kind": "rival"}

    assert ids(api_for(other_kam).get("/api/influence-links/")) == []
    assert api_for(other_kam).get(url).status_code == 404
    assert api_for(other_kam).delete(url).status_code == 404
    assert ids(api_for(leader).get("/api/influence-links/")) == [link.pk]
    assert api_for(leader).post("/api/influence-links/", payload).status_code == 403
    assert api_for(leader).patch(url, {"strength": 3}).status_code == 403
    assert api_for(leader).delete(url).status_code == 403
    assert ids(api_for(regional).get("/api/influence-links/")) == []
    assert api_for(regional).post("/api/influence-links/", payload).status_code == 400
    assert list(InfluenceLink.objects.values_list("pk", "strength")) == [(link.pk, 2)]


def specialist_on(world):
    """A colleague on the group's account team: someone a contact or a give may name."""
    colleague = UserFactory(username="specialist")
    TeamMemberFactory(account=world.daimler, user=colleague, role="specialist")
    return colleague
