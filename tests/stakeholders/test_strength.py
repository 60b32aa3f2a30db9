"""Relationship strength and status from hand-computed cases, in SQL (recompute) and in
Python (explain), which must agree.

Points: meeting 25, visit 30, call 12, email 6, note 0; sentiment ×1.25 / ×1 / ×0.5; a give
15, a favour received 20. Points halve every 60 days; older than 365 days they count 0.
Status: warm within the cadence, cooling up to twice the cadence, cold beyond or never.
"""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from stakeholders import decay
from stakeholders.models import Give, Interaction, Relationship
from tests.factories import GiveFactory, InteractionFactory, StakeholderFactory, UserFactory

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def person(db):
    return StakeholderFactory(cadence_days=30)


@pytest.fixture
def colleague(db):
    return UserFactory(username="katrin")


def contact(person, colleague, days_ago: float, kind=Interaction.Kind.MEETING, sentiment="neutral"):
    InteractionFactory(
        account=person.account,
        kind=kind,
        sentiment=sentiment,
        occurred_at=NOW - timedelta(days=days_ago),
        stakeholders=[person],
        colleagues=[colleague],
    )


def computed(person, colleague) -> Relationship:
    Relationship.objects.get_or_create(user=colleague, stakeholder=person)
    decay.recompute(now=NOW)
    relationship = Relationship.objects.get(user=colleague, stakeholder=person)
    why = decay.explain(stakeholder=person, now=NOW).get(colleague.pk) or decay.no_contact(person.cadence_days)
    assert (why.strength, why.status) == (relationship.strength, relationship.status), "SQL and Python disagree"
    return relationship


def test_fresh_meeting_is_warm(person, colleague):
    contact(person, colleague, days_ago=0)
    relationship = computed(person, colleague)
    assert relationship.strength == 25
    assert relationship.status == Relationship.Status.WARM
    assert relationship.last_interaction_at == NOW


def test_past_the_cadence_the_relationship_is_cooling(person, colleague):
    contact(person, colleague, days_ago=45)  # 25 × 0.5^(45/60) = 14.87
    relationship = computed(person, colleague)
    assert (relationship.strength, relationship.status) == (15, Relationship.Status.COOLING)


def test_long_silence_past_the_cadence_is_cold(person, colleague):
    contact(person, colleague, days_ago=100)  # 25 × 0.5^(100/60) = 7.87; 100 days > 2 × 30
    relationship = computed(person, colleague)
    assert (relationship.strength, relationship.status) == (8, Relationship.Status.COLD)


def test_a_give_counts_as_contact_and_strength(person, colleague):
    contact(person, colleague, days_ago=100)
    GiveFactory(stakeholder=person, user=colleague, occurred_at=NOW - timedelta(days=10))  # 15 × 0.5^(1/6) = 13.36
    relationship = computed(person, colleague)
    assert (relationship.strength, relationship.status) == (21, Relationship.Status.WARM)  # 7.87 + 13.36


def test_a_favour_received_counts_more_than_one_given(person, colleague):
    GiveFactory(stakeholder=person, user=colleague, direction=Give.Direction.RECEIVED, occurred_at=NOW)
    assert computed(person, colleague).strength == 20


def test_kind_and_sentiment_weigh_each_contact(person, colleague):
    contact(person, colleague, days_ago=0, kind=Interaction.Kind.VISIT, sentiment="positive")  # 37.5
    contact(person, colleague, days_ago=0, kind=Interaction.Kind.CALL, sentiment="negative")  # 6
    contact(person, colleague, days_ago=0, kind=Interaction.Kind.EMAIL)  # 6
    assert computed(person, colleague).strength == 50  # 49.5 rounds up


def test_a_note_is_no_contact(person, colleague):
    contact(person, colleague, days_ago=1, kind=Interaction.Kind.NOTE)
    relationship = computed(person, colleague)
    assert (relationship.strength, relationship.status, relationship.last_interaction_at) == (0, "cold", None)


def test_strength_is_capped_at_100(person, colleague):
    for _ in range(4):
        contact(person, colleague, days_ago=0, kind=Interaction.Kind.VISIT, sentiment="positive")
    assert computed(person, colleague).strength == 100


def test_contacts_older_than_a_year_earn_nothing_but_remain_the_last_contact(person, colleague):
    contact(person, colleague, days_ago=400)
    relationship = computed(person, colleague)
    assert (relationship.strength, relationship.status) == (0, Relationship.Status.COLD)
    assert relationship.last_interaction_at == NOW - timedelta(days=400)


def test_a_relationship_without_any_contact_is_cold(person, colleague):
    assert (computed(person, colleague).strength, computed(person, colleague).status) == (0, "cold")


def test_only_the_colleague_who_was_there_gains(person, colleague):
    other = UserFactory(username="lukas")
    contact(person, colleague, days_ago=0)
    Relationship.objects.create(user=other, stakeholder=person)
    assert computed(person, other).strength == 0
    assert computed(person, colleague).strength == 25


def test_the_cadence_decides_when_silence_turns_cold(colleague):
    patient = StakeholderFactory(cadence_days=90)
    contact(patient, colleague, days_ago=100)
    assert computed(patient, colleague).status == Relationship.Status.COOLING


def test_sql_and_python_agree_on_a_random_history(colleague):
    rng = random.Random(7)
    people = [StakeholderFactory(cadence_days=rng.choice([14, 30, 60, 90])) for _ in range(8)]
    for person in people:
        for _ in range(rng.randint(0, 6)):
            contact(
                person,
                colleague,
                days_ago=rng.uniform(0, 500),
                kind=rng.choice(Interaction.Kind.values),
                sentiment=rng.choice(Interaction.Sentiment.values),
            )
        for _ in range(rng.randint(0, 2)):
            GiveFactory(
                stakeholder=person,
                user=colleague,
                direction=rng.choice(Give.Direction.values),
                occurred_at=NOW - timedelta(days=rng.uniform(0, 200)),
            )
    for person in people:
        computed(person, colleague)


def test_recompute_limited_to_some_people_leaves_the_others(person, colleague):
    other = StakeholderFactory()
    contact(person, colleague, days_ago=0)
    contact(other, colleague, days_ago=0)
    Relationship.objects.create(user=colleague, stakeholder=person)
    Relationship.objects.create(user=colleague, stakeholder=other)
    assert decay.recompute(stakeholder_ids=[person.pk], now=NOW) == 1
    assert Relationship.objects.get(stakeholder=other).strength == 0
    assert Relationship.objects.get(stakeholder=person).strength == 25
