"""Every stakeholder resource, per role, and the query count of every list as the data grows."""

from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from kam.models import User
from stakeholders.models import Give, InfluenceLink, Interaction, Relationship
from tests.factories import GiveFactory, InfluenceLinkFactory, InteractionFactory, bulk_people
from tests.stakeholders.test_api_people import build_world

ENDPOINTS = ["stakeholders", "positions", "influence-links", "interactions", "gives", "relationships"]


@pytest.fixture
def world(kam_user, other_kam) -> SimpleNamespace:
    return build_world(kam_user, other_kam)


@pytest.fixture
def daimler_rows(world, kam_user) -> dict[str, int]:
    """One row of each resource, all in the Daimler group of `kam_user`."""
    return {
        "stakeholders": world.cpo.pk,
        "positions": world.cpo.positions.get().pk,
        "influence-links": InfluenceLinkFactory(source=world.ceo, target=world.cpo).pk,
        "interactions": InteractionFactory(account=world.hq, stakeholders=[world.cpo], colleagues=[kam_user]).pk,
        "gives": GiveFactory(stakeholder=world.cpo, user=kam_user).pk,
        "relationships": Relationship.objects.get(stakeholder=world.cpo).pk,
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_regional_colleague_without_assignments_sees_nothing(api_for, regional, daimler_rows, endpoint):
    api = api_for(regional)

    assert api.get(f"/api/{endpoint}/").json()["count"] == 0
    assert api.get(f"/api/{endpoint}/{daimler_rows[endpoint]}/").status_code == 404


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_other_kam_gets_404_for_a_foreign_group(api_for, other_kam, daimler_rows, endpoint):
    api = api_for(other_kam)
    url = f"/api/{endpoint}/{daimler_rows[endpoint]}/"

    assert daimler_rows[endpoint] not in [row["id"] for row in api.get(f"/api/{endpoint}/").json()["results"]]
    assert api.get(url).status_code == 404
    if endpoint not in ("positions", "relationships"):
        assert api.patch(url, {}, format="json").status_code == 404
        assert api.delete(url).status_code == 404


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_leadership_reads_every_row_and_deletes_none(api_for, leader, daimler_rows, endpoint):
    api = api_for(leader)
    url = f"/api/{endpoint}/{daimler_rows[endpoint]}/"

    assert daimler_rows[endpoint] in [row["id"] for row in api.get(f"/api/{endpoint}/").json()["results"]]
    assert api.get(url).status_code == 200
    assert api.delete(url).status_code == (405 if endpoint in ("positions", "relationships") else 403)
    assert api.get(url).status_code == 200


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_kam_reads_the_rows_of_their_group(api_for, kam_user, daimler_rows, endpoint):
    answer = api_for(kam_user).get(f"/api/{endpoint}/{daimler_rows[endpoint]}/")

    assert answer.status_code == 200
    assert answer.json()["id"] == daimler_rows[endpoint]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_caller_is_refused(db, endpoint):
    assert APIClient().get(f"/api/{endpoint}/").status_code == 401


def test_token_authentication_works(kam_user, world):
    api = APIClient()
    token = api.post("/api/auth/token/", {"username": "kam", "password": "secret-pass-123"}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api.get("/api/stakeholders/").json()["count"] == 5


# --- query counts -------------------------------------------------------------------------


def grow(world, user: User, count: int) -> None:
    """`count` more rows of every resource on Daimler's nodes, a few bulk inserts each."""
    people = bulk_people([world.daimler, world.hq, world.trucks, world.brazil], count=count)
    now = timezone.now()
    interactions = Interaction.objects.bulk_create(
        [Interaction(account_id=p.account_id, occurred_at=now, summary="Bulk", logged_by=user) for p in people]
    )
    Interaction.stakeholders.through.objects.bulk_create(
        [
            Interaction.stakeholders.through(interaction_id=i.pk, stakeholder_id=p.pk)
            for i, p in zip(interactions, people, strict=True)
        ]
        + [Interaction.stakeholders.through(interaction_id=i.pk, stakeholder_id=world.ceo.pk) for i in interactions]
    )
    Interaction.colleagues.through.objects.bulk_create(
        [Interaction.colleagues.through(interaction_id=i.pk, user_id=user.pk) for i in interactions]
    )
    Give.objects.bulk_create(
        [Give(stakeholder=p, user=user, kind=Give.Kind.OTHER, occurred_at=now, description="Bulk") for p in people]
    )
    Relationship.objects.bulk_create([Relationship(user=user, stakeholder=p) for p in people])
    InfluenceLink.objects.bulk_create(
        [InfluenceLink(source=p, target=world.ceo, kind=InfluenceLink.Kind.INFLUENCES) for p in people]
    )


# session, user, count, page; then what the rows need beyond their own columns, in one query each.
QUERY_BOUND = {
    "stakeholders": 5,  # + current positions
    "positions": 4,
    "influence-links": 4,
    "interactions": 6,  # + people, + colleagues
    "gives": 4,
    "relationships": 4,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_query_count_does_not_grow_with_rows(api_for, kam_user, world, endpoint, django_assert_max_num_queries):
    api = api_for(kam_user)
    grow(world, kam_user, 10)
    with django_assert_max_num_queries(QUERY_BOUND[endpoint]) as few:
        small = api.get(f"/api/{endpoint}/").json()

    grow(world, kam_user, 90)
    with django_assert_max_num_queries(QUERY_BOUND[endpoint]) as many:
        big = api.get(f"/api/{endpoint}/").json()

    assert len(small["results"]) >= 10
    assert len(big["results"]) == 50  # a full page
    assert big["count"] >= small["count"] + 90
    assert len(many.captured_queries) == len(few.captured_queries)


def test_schema_documents_every_stakeholder_resource(api_for, kam_user):
    paths = api_for(kam_user).get("/api/schema/", {"format": "json"}).json()["paths"]

    for endpoint in ENDPOINTS:
        assert f"/api/{endpoint}/" in paths
        assert f"/api/{endpoint}/{{id}}/" in paths
    assert "post" in paths["/api/stakeholders/{id}/move/"]
    assert set(paths["/api/relationships/"]) == {"get"}
    assert {p["name"] for p in paths["/api/interactions/"]["get"]["parameters"]} >= {
        "account",
        "subtree",
        "stakeholder",
        "user",
        "kind",
        "occurred_after",
        "occurred_before",
        "page",
    }
