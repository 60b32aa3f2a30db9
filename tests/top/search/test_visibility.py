"""Search goes through the one visibility rule: nobody finds, counts or reads a snippet of a
record they may not see."""

import pytest
from django.db import connection

from kam.top.search import selectors
from kam.top.search.normalize import parse
from planning.models import Activity
from tests.factories import ActivityFactory


def everything(api, q: str) -> list[dict]:
    answer = api.get("/api/search/", {"q": q})
    assert answer.status_code == 200
    return answer.json()["results"]


def test_a_kam_finds_their_groups_only(world, kam_user, api_for):
    found = everything(api_for(kam_user), "Markus Vogel")
    assert [hit["id"] for hit in found if hit["type"] == "stakeholder"] == [world.people.markus.pk]
    assert everything(api_for(kam_user), "Helga") == []


def test_hidden_words_leave_no_trace(world, kam_user, api_for, client_for):
    """Bosch's contact and request say "Geheimprojekt": no hit, no count, no snippet."""
    api = api_for(kam_user)
    assert everything(api, "Geheimprojekt") == []
    answer = api.get("/api/search/", {"q": "Geheimprojekt", "type": "request"}).json()
    assert answer["count"] == 0
    page = client_for(kam_user).get("/search/", {"q": "Geheimprojekt"}).content.decode()
    palette = client_for(kam_user).get("/search/palette/", {"q": "Geheimprojekt"}).content.decode()
    for html in (page, palette):
        for secret in ("Helga", "Bosch", "Angebot", "Preise", f"/plans/requests/{world.request.pk}/"):
            assert secret not in html
        assert 'class="search-hit"' not in html and "palette-group-" not in html.replace("palette-group-actions", "")


def test_a_shared_word_shows_only_the_visible_snippet(world, kam_user, api_for):
    found = [hit for hit in everything(api_for(kam_user), "Verhandlung") if hit["type"] == "interaction"]
    assert [hit["id"] for hit in found] == [world.contacts.german.pk]
    assert all("Geheim" not in hit["snippet"] for hit in found)


def test_leadership_finds_every_group(world, leader, api_for):
    found = everything(api_for(leader), "Markus Vogel")
    assert {hit["id"] for hit in found if hit["type"] == "stakeholder"} == {
        world.people.markus.pk,
        world.people.namesake.pk,
    }
    assert any(hit["type"] == "request" for hit in everything(api_for(leader), "Geheimprojekt"))


def test_a_regional_colleague_finds_only_what_their_task_opens(world, regional, kam_user, api_for):
    assert everything(api_for(regional), "Vogel") == []
    ActivityFactory(
        plan=world.plan, account=world.mueller, title="Angebot vorbereiten", assignee=regional,
        status=Activity.Status.ASSIGNED,
    )  # fmt: skip
    found = everything(api_for(regional), "Vogel")
    expected = {world.people.markus.pk, world.people.anna.pk}
    if connection.vendor == "postgresql":
        expected.add(world.people.peter.pk)  # Vogl: a typo away
    assert {hit["id"] for hit in found if hit["type"] == "stakeholder"} == expected
    assert everything(api_for(regional), "Hans Mueller") == []  # Daimler Truck: no task there
    assert everything(api_for(regional), "Daimler") == []  # not the group, not its plan


def test_an_old_task_does_not_name_an_account_the_colleague_no_longer_sees(world, regional, api_for):
    ActivityFactory(
        plan=world.plan, account=world.truck, title="Werkstour abgeschlossen", assignee=regional,
        status=Activity.Status.DONE,
    )  # fmt: skip
    found = everything(api_for(regional), "Werkstour")
    assert [(hit["type"], hit["account"]) for hit in found] == [("activity", None)]


@pytest.mark.parametrize("query", ["Geheimprojekt", "Helga Geheim", "Bosch"])
def test_the_palette_shows_no_hidden_group(world, kam_user, query):
    assert selectors.palette(user=kam_user, terms=parse(query)) == []


def test_recently_opened_records_drop_out_once_hidden(world, regional, kam_user, client_for):
    from kam.top.search import recent

    recent.remember(regional, "stakeholder", world.people.markus.pk)
    recent.remember(regional, "account", world.bosch.pk)
    html = client_for(regional).get("/search/palette/").content.decode()
    assert "Markus" not in html and "Bosch" not in html
