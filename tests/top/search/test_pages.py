"""The results page, the palette's answers, recently opened records and actions, and query
counts that stay flat as the data grows."""

import pytest
from django.urls import reverse

from kam.top.search import recent
from tests.factories import AccountFactory, InteractionFactory, StakeholderFactory, bulk_people


def test_the_results_page_groups_every_kind(world, kam_user, client_for):
    page = client_for(kam_user).get(reverse("search:results"), {"q": "Müller"}).content.decode()
    assert "<h2" in page and "People" in page and "Accounts" in page
    assert "<mark>Müller</mark> Maschinenbau" in page
    assert f'href="/people/{world.people.juergen.pk}/"' in page


def test_a_kinds_page_has_pages_and_filters(world, kam_user, client_for):
    StakeholderFactory.create_batch(
        25, account=world.mueller, first_name="Petra", last_name="Seite", buying_role="user"
    )
    client = client_for(kam_user)
    first = client.get(reverse("search:results"), {"q": "Petra", "type": "stakeholder"}).content.decode()
    assert "25 results in People" in first and "Page 1 of 2" in first
    assert 'name="buying_role"' in first
    only_users = client.get(reverse("search:results"), {"q": "Petra", "type": "stakeholder", "buying_role": "user"})
    assert "25 results" in only_users.content.decode()
    none = client.get(reverse("search:results"), {"q": "Petra", "type": "stakeholder", "buying_role": "champion"})
    assert "Nothing found" in none.content.decode()


def test_a_contact_hit_shows_its_words_marked_in_a_snippet(world, kam_user, client_for):
    page = client_for(kam_user).get(reverse("search:results"), {"q": "Rahmenvertrag", "type": "interaction"})
    assert "<mark>Rahmenvertrag</mark>" in page.content.decode()


@pytest.mark.parametrize("q", ["a", "x" * 201])
def test_a_bad_query_on_the_page_says_what_is_wrong(world, kam_user, client_for, q):
    answer = client_for(kam_user).get(reverse("search:results"), {"q": q})
    assert answer.status_code == 400
    assert "characters" in answer.content.decode()


def test_the_empty_results_page_explains_itself(kam_user, client_for):
    answer = client_for(kam_user).get(reverse("search:results"))
    assert answer.status_code == 200 and "Ctrl+K" in answer.content.decode()


def test_the_palette_offers_hits_actions_and_everything(world, kam_user, client_for):
    html = client_for(kam_user).get(reverse("search:palette"), {"q": "Vogel"}).content.decode()
    assert 'role="option"' in html and "Markus" in html
    quick_log = reverse("stakeholders:quick_log", args=[world.mueller.pk])
    assert f'href="{quick_log}?stakeholder={world.people.markus.pk}' in html
    assert "Log a contact with Markus Vogel" in html
    assert "All results for" in html


@pytest.mark.parametrize("q", ["Werksbesuch", "Daimler", "Retrofit", "Rahmenvertrag", "Wachstum", "Markus"])
def test_the_palette_and_the_page_show_hits_of_every_kind(world, kam_user, client_for, q):
    client = client_for(kam_user)
    for path in ("search:palette", "search:results"):
        answer = client.get(reverse(path), {"q": q})
        assert answer.status_code == 200 and "<mark>" in answer.content.decode()


def test_the_palette_offers_matching_actions(kam_user, client_for):
    html = client_for(kam_user).get(reverse("search:palette"), {"q": "new acc"}).content.decode()
    assert "New account" in html and "New plan" not in html


def test_leadership_is_not_offered_to_log_contacts_or_create_accounts(world, leader, client_for):
    html = client_for(leader).get(reverse("search:palette"), {"q": "Vogel"}).content.decode()
    assert "Log a contact" not in html and "New account" not in html


def test_recently_opened_records_come_first_in_an_empty_palette(world, kam_user, client_for):
    client = client_for(kam_user)
    client.get(reverse("stakeholders:detail", args=[world.people.anna.pk]))
    client.get(reverse("accounts:detail", args=[world.mueller.pk]))
    html = client.get(reverse("search:palette")).content.decode()
    assert "Recently opened" in html
    assert html.index("Müller Maschinenbau") < html.index("Anna Vogelsang")
    assert recent.recent_ids(kam_user)[:2] == [("account", world.mueller.pk), ("stakeholder", world.people.anna.pk)]


def test_a_missing_page_is_not_remembered(kam_user, client_for):
    client_for(kam_user).get(reverse("accounts:detail", args=[999999]))
    assert recent.recent_ids(kam_user) == []


def palette_queries(django_assert_max_num_queries, client, q: str) -> int:
    with django_assert_max_num_queries(16) as captured:
        assert client.get(reverse("search:palette"), {"q": q}).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["kam_user", "leader"])
def test_search_query_counts_do_not_grow_with_the_data(world, request, client_for, django_assert_max_num_queries, role):
    client = client_for(request.getfixturevalue(role))
    small = {q: palette_queries(django_assert_max_num_queries, client, q) for q in ("Vogel", "Verhandlung")}
    nodes = AccountFactory.create_batch(30, parent=world.group, name="Vogel Werk")
    bulk_people(nodes, count=300)
    for node in nodes[:10]:
        InteractionFactory.create_batch(5, account=node, summary="Verhandlung beim Vogel Werk")
    big = {q: palette_queries(django_assert_max_num_queries, client, q) for q in ("Vogel", "Verhandlung")}
    assert small == big
    for path, params in (
        ("search:results", {"q": "Vogel"}),
        ("search:results", {"q": "Vogel", "type": "stakeholder", "page": 2}),
        ("search:results", {"q": "Verhandlung", "type": "interaction"}),
    ):
        with django_assert_max_num_queries(16):
            assert client.get(reverse(path), params).status_code == 200


def test_api_query_counts_do_not_grow_with_the_data(world, leader, api_for, django_assert_max_num_queries):
    api = api_for(leader)
    with django_assert_max_num_queries(16) as small:
        api.get("/api/search/", {"q": "Vogel"})
    nodes = AccountFactory.create_batch(20, parent=world.group, name="Vogel Werk")
    bulk_people(nodes, count=200)
    with django_assert_max_num_queries(16) as big:
        api.get("/api/search/", {"q": "Vogel"})
    assert len(small) == len(big)
