"""Search forgives what people type: case, accents and umlauts, word order, prefixes, and on
PostgreSQL small typos and German and English word forms."""

import pytest
from django.db import connection

from kam.top.search import selectors
from kam.top.search.normalize import parse
from tests.top.search.conftest import titles

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigrams and stemming: PostgreSQL")


def people_found(user, query: str) -> list[str]:
    return titles(selectors.palette(user=user, terms=parse(query), kinds=["stakeholder"]), "stakeholder")


def test_any_case_finds_the_person(world, kam_user):
    assert people_found(kam_user, "MARKUS vogel")[0] == "Markus Vogel"


def test_words_in_any_order(world, kam_user):
    assert people_found(kam_user, "Vogel Markus")[0] == "Markus Vogel"


def test_the_start_of_a_name_while_typing(world, kam_user):
    assert "Markus Vogel" in people_found(kam_user, "Voge")
    assert people_found(kam_user, "Mark Vog") == ["Markus Vogel"]


def test_without_accents_finds_the_umlaut(world, kam_user):
    assert people_found(kam_user, "Jurgen") == ["Jürgen Müller"]
    assert people_found(kam_user, "Jürgen") == ["Jürgen Müller"]


@pytest.mark.parametrize("typed", ["Muller", "Mueller", "Müller", "muller"])
def test_muller_mueller_and_mueller_find_each_other(world, kam_user, typed):
    assert set(people_found(kam_user, typed)) >= {"Jürgen Müller", "Hans Mueller"} - (
        {"Hans Mueller"} if typed.lower() == "muller" and connection.vendor != "postgresql" else set()
    )


def test_accounts_by_city_without_umlaut(world, kam_user):
    found = selectors.palette(user=kam_user, terms=parse("dusseldorf"), kinds=["account"])
    assert titles(found, "account") == ["Müller Maschinenbau"]


@postgresql_only
def test_a_small_typo_still_finds_the_person(world, kam_user):
    assert "Markus Vogel" in people_found(kam_user, "Vogle")
    assert "Markus Vogel" in people_found(kam_user, "Makrus Vogel")


@postgresql_only
def test_german_word_forms_in_contact_notes(world, kam_user):
    found = selectors.palette(user=kam_user, terms=parse("Verhandlungen"), kinds=["interaction"])
    assert [hit.id for hit in found[0].hits] == [world.contacts.german.pk]


@postgresql_only
def test_english_word_forms_in_contact_notes(world, kam_user):
    found = selectors.palette(user=kam_user, terms=parse("discussing roadmaps"), kinds=["interaction"])
    assert [hit.id for hit in found[0].hits] == [world.contacts.english.pk]


def test_words_of_a_contact_note_in_any_order_and_case(world, kam_user):
    found = selectors.palette(user=kam_user, terms=parse("RAHMENVERTRAG verhandlung"), kinds=["interaction"])
    assert [hit.id for hit in found[0].hits] == [world.contacts.german.pk]


def test_a_prefix_of_a_word_in_a_title(world, kam_user):
    found = selectors.palette(user=kam_user, terms=parse("werksbes"), kinds=["activity"])
    assert titles(found, "activity") == ["Werksbesuch Stuttgart"]


def test_an_exact_name_ranks_before_longer_and_fuzzy_ones(world, kam_user):
    found = people_found(kam_user, "Vogel")
    assert found[0] == "Markus Vogel"
    assert found.index("Markus Vogel") < found.index("Anna Vogelsang")
    if connection.vendor == "postgresql":
        assert found.index("Anna Vogelsang") < found.index("Peter Vogl")  # a prefix before a typo


@postgresql_only
def test_an_exact_typo_target_beats_its_neighbour(world, kam_user):
    assert people_found(kam_user, "Vogl")[0] == "Peter Vogl"
