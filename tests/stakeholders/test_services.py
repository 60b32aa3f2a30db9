"""Writes to people and their history, through stakeholders.services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Account
from stakeholders import selectors, services
from stakeholders.models import Interaction, Position, Relationship, Stakeholder
from tests.factories import AccountFactory, GroupFactory, StakeholderFactory, UserFactory


@pytest.fixture
def cars(group):
    return AccountFactory(name="Mercedes-Benz Cars", parent=group)


@pytest.fixture
def plant(cars):
    return AccountFactory(name="Werk Sindelfingen", parent=cars, kind=Account.Kind.BRANCH)


def create(actor, account, **fields) -> Stakeholder:
    defaults = {"first_name": "Markus", "last_name": "Vogel", "buying_role": "decision_maker"}
    return services.stakeholder_create(actor=actor, account=account, **{**defaults, **fields})


def test_a_new_person_gets_the_cadence_of_their_role_and_a_current_position(kam_user, cars):
    person = create(kam_user, cars, job_title="Head of Production Planning")
    assert person.cadence_days == 30
    assert create(kam_user, cars, first_name="Uwe", buying_role="user").cadence_days == 90
    position = person.positions.get()
    assert (position.account, position.job_title, position.ended_on) == (cars, "Head of Production Planning", None)


def test_naming_a_relationship_owner_creates_the_relationship(kam_user, cars):
    person = create(kam_user, cars, relationship_owner=kam_user)
    relationship = Relationship.objects.get(stakeholder=person)
    assert (relationship.user, relationship.status, relationship.strength) == (kam_user, "cold", 0)


def test_a_reporting_cycle_is_refused_and_nothing_changes(kam_user, cars):
    ceo = create(kam_user, cars, first_name="Oliver", last_name="Kranz")
    head = create(kam_user, cars, first_name="Markus", reports_to=ceo)
    lead = create(kam_user, cars, first_name="Lea", reports_to=head)
    with pytest.raises(ValidationError) as refused:
        services.stakeholder_update(actor=kam_user, stakeholder=ceo, reports_to=lead)
    assert "reporting cycle" in refused.value.message_dict["reports_to"][0]
    assert Stakeholder.objects.get(pk=ceo.pk).reports_to is None
    with pytest.raises(ValidationError):
        services.stakeholder_update(actor=kam_user, stakeholder=head, reports_to=head)


def test_a_manager_from_another_group_is_refused(kam_user, cars):
    bmw_person = create(kam_user, GroupFactory(name="BMW", owner=kam_user), first_name="Jonas")
    with pytest.raises(ValidationError) as refused:
        create(kam_user, cars, reports_to=bmw_person)
    assert "another customer group" in refused.value.message_dict["reports_to"][0]
    assert not Stakeholder.objects.filter(account=cars).exists()


def test_a_job_change_keeps_history_relationships_and_contacts(kam_user, cars, plant):
    person = create(kam_user, plant, job_title="Shift Lead Body Shop")
    services.interaction_log(
        actor=kam_user,
        account=plant,
        kind="visit",
        occurred_at=timezone.now() - timedelta(days=3),
        summary="Toured the body shop.",
        stakeholders=[person],
    )
    started = timezone.localdate()
    services.stakeholder_move(
        actor=kam_user, stakeholder=person, account=cars, job_title="Head of Operations", started_on=started
    )
    person.refresh_from_db()
    assert (person.account, person.job_title) == (cars, "Head of Operations")
    history = list(Position.objects.filter(stakeholder=person).order_by("pk").values_list("account", "ended_on"))
    assert history == [(plant.pk, started), (cars.pk, None)]
    assert Relationship.objects.get(stakeholder=person).status == "warm", "the relationship follows the person"
    assert list(Interaction.objects.filter(stakeholders=person)) == list(Interaction.objects.all())


def test_a_move_into_the_future_or_without_title_is_refused(kam_user, cars, plant):
    person = create(kam_user, plant)
    with pytest.raises(ValidationError) as refused:
        services.stakeholder_move(
            actor=kam_user,
            stakeholder=person,
            account=cars,
            job_title=" ",
            started_on=timezone.localdate() + timedelta(days=1),
        )
    assert set(refused.value.message_dict) == {"started_on", "job_title"}
    assert person.positions.count() == 1 and Stakeholder.objects.get(pk=person.pk).account == plant


def test_changing_people_needs_the_right_to_change_their_account(kam_user, other_kam, leader, cars):
    person = create(kam_user, cars)
    for outsider in (other_kam, leader):
        with pytest.raises(PermissionDenied):
            services.stakeholder_update(actor=outsider, stakeholder=person, job_title="CEO")


def test_coverage_lists_deciders_without_a_warm_relationship(kam_user, cars, plant):
    covered = StakeholderFactory(account=cars, buying_role="decision_maker")
    uncovered = StakeholderFactory(account=plant, buying_role="economic_buyer")
    StakeholderFactory(account=plant, buying_role="user")  # not a decider: never "uncovered"
    Relationship.objects.create(user=kam_user, stakeholder=covered, status="warm", strength=40)
    Relationship.objects.create(user=kam_user, stakeholder=uncovered, status="cooling", strength=12)
    people = selectors.subtree_people(user=kam_user, account=cars)
    result = selectors.coverage(people=people, account=cars)
    assert (result.deciders, result.covered, result.uncovered) == (2, 1, [uncovered])


def test_single_thread_warning_when_one_colleague_holds_every_warm_relationship(kam_user, cars):
    first, second = StakeholderFactory(account=cars), StakeholderFactory(account=cars)
    Relationship.objects.create(user=kam_user, stakeholder=first, status="warm", strength=50)
    Relationship.objects.create(user=kam_user, stakeholder=second, status="warm", strength=30)
    people = selectors.subtree_people(user=kam_user, account=cars)
    assert selectors.coverage(people=people, account=cars).single_threaded

    Relationship.objects.create(user=UserFactory(username="sven"), stakeholder=second, status="warm", strength=30)
    assert not selectors.coverage(people=people, account=cars).single_threaded


def test_gives_enter_the_ledger_and_the_relationship(kam_user, cars):
    person = create(kam_user, cars)
    services.give_record(actor=kam_user, stakeholder=person, kind="introduction", description="Met our CTO.")
    services.give_record(
        actor=kam_user, stakeholder=person, kind="information", description="Tip", direction="received"
    )
    ledger = selectors.reciprocity_ledger(person)
    assert (ledger.given, ledger.received, ledger.balance) == (1, 1, 0)
    assert Relationship.objects.get(stakeholder=person).strength == 35  # 15 given + 20 received, both today


def test_a_give_in_the_future_is_refused(kam_user, cars):
    person = create(kam_user, cars)
    with pytest.raises(ValidationError) as refused:
        services.give_record(
            actor=kam_user,
            stakeholder=person,
            kind="information",
            description="Later",
            occurred_at=timezone.now() + timedelta(days=1),
        )
    assert "occurred_at" in refused.value.message_dict
    assert not person.gives.exists() and not Relationship.objects.exists()
