"""Who sees which people and contacts: the accounts' one rule, applied to everything on them."""

import pytest
from django.http import Http404

from stakeholders import selectors
from stakeholders.models import Give, Interaction, Relationship, Stakeholder
from tests.factories import AccountFactory, GiveFactory, GroupFactory, InteractionFactory, StakeholderFactory


@pytest.fixture
def world(kam_user, other_kam):
    daimler = GroupFactory(name="Daimler", owner=kam_user)
    plant = AccountFactory(name="Werk Sindelfingen", parent=daimler)
    bosch = GroupFactory(name="Bosch", owner=other_kam)
    ours = StakeholderFactory(account=plant, last_name="Vogel")
    theirs = StakeholderFactory(account=bosch, last_name="Huber")
    for person in (ours, theirs):
        InteractionFactory(account=person.account, stakeholders=[person], colleagues=[kam_user])
        GiveFactory(stakeholder=person, user=kam_user)
        Relationship.objects.create(user=kam_user, stakeholder=person)
    return {"daimler": daimler, "ours": ours, "theirs": theirs}


def names(queryset) -> set[str]:
    return {str(row) for row in queryset}


@pytest.mark.parametrize(
    ("who", "people"),
    [("kam_user", {"Vogel"}), ("other_kam", {"Huber"}), ("leader", {"Vogel", "Huber"}), ("regional", set())],
)
def test_people_contacts_gives_and_relationships_follow_the_account_rule(request, world, who, people):
    user = request.getfixturevalue(who)
    assert {p.last_name for p in selectors.stakeholder_list(user=user)} == people
    visible_people = Stakeholder.objects.visible_to(user)
    assert {p.last_name for p in visible_people} == people
    for model in (Interaction, Give, Relationship):
        assert model.objects.visible_to(user).count() == len(people), model.__name__


def test_an_invisible_person_is_not_found(world, other_kam):
    with pytest.raises(Http404):
        selectors.stakeholder_get(user=other_kam, pk=world["ours"].pk)


def test_the_type_ahead_never_offers_invisible_people(world, kam_user, other_kam):
    assert [p.last_name for p in selectors.group_people(user=kam_user, account=world["daimler"])] == ["Vogel"]
