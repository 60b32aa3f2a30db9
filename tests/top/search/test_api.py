"""GET /api/search/?q=…[&type=…]: the contract, bad queries, and nothing hidden."""

import pytest

from tests.factories import StakeholderFactory


def test_hits_have_the_contract_fields_best_first(world, kam_user, api_for):
    answer = api_for(kam_user).get("/api/search/", {"q": "Markus Vogel"})
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"count", "next", "previous", "results"}
    first = body["results"][0]
    assert first == {
        "type": "stakeholder",
        "id": world.people.markus.pk,
        "title": "Markus Vogel",
        "snippet": "Head of Purchasing",
        "url": f"/people/{world.people.markus.pk}/",
        "account": {"id": world.mueller.pk, "name": "Müller Maschinenbau"},
    }
    scores = [hit["type"] for hit in body["results"]]
    assert scores.count("stakeholder") >= 1


def test_type_limits_the_kind(world, kam_user, api_for):
    body = api_for(kam_user).get("/api/search/", {"q": "Verhandlung", "type": "interaction"}).json()
    assert body["count"] == 1
    assert [hit["type"] for hit in body["results"]] == ["interaction"]
    assert body["results"][0]["account"] == {"id": world.mueller.pk, "name": "Müller Maschinenbau"}


def test_an_account_hit_names_itself(world, kam_user, api_for):
    body = api_for(kam_user).get("/api/search/", {"q": "maschinenbau", "type": "account"}).json()
    assert body["results"][0]["account"] == {"id": world.mueller.pk, "name": "Müller Maschinenbau"}


@pytest.mark.parametrize("q", ["", "a", " a ", "x" * 201, "?!"])
def test_a_query_too_short_too_long_or_without_words_answers_400(world, kam_user, api_for, q):
    answer = api_for(kam_user).get("/api/search/", {"q": q})
    assert answer.status_code == 400
    assert answer.json()["q"][0]


def test_200_characters_are_fine(world, kam_user, api_for):
    assert api_for(kam_user).get("/api/search/", {"q": "v" * 200}).status_code == 200


def test_an_unknown_type_answers_400(world, kam_user, api_for):
    answer = api_for(kam_user).get("/api/search/", {"q": "Vogel", "type": "people"})
    assert answer.status_code == 400
    assert "type" in answer.json()


def test_anonymous_callers_get_401(world, client):
    assert client.get("/api/search/", {"q": "Vogel"}).status_code in (401, 403)


def test_pages_of_results(world, kam_user, api_for):
    StakeholderFactory.create_batch(55, account=world.mueller, first_name="Petra", last_name="Seite")
    first = api_for(kam_user).get("/api/search/", {"q": "Petra Seite", "type": "stakeholder"}).json()
    assert first["count"] == 55 and len(first["results"]) == 50 and first["next"]
    second = api_for(kam_user).get(first["next"]).json()
    assert len(second["results"]) == 5 and second["previous"]
