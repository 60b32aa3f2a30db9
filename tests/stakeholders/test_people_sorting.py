"""The people list sorts by any column and finds a full name in any order."""

from django.urls import reverse

from stakeholders.models import Relationship
from tests.factories import AccountFactory, StakeholderFactory


def names(client, **params) -> list[str]:
    import re

    html = client.get(reverse("stakeholders:list"), params).content.decode()
    return re.findall(r'<th scope="row"><a href="/people/\d+/">([^<]+)</a>', html)


def test_people_sort_by_influence_account_and_strength(client_for, kam_user, group):
    alpha, beta = AccountFactory(name="Alpha", parent=group), AccountFactory(name="Beta", parent=group)
    ann = StakeholderFactory(account=beta, first_name="Ann", last_name="Zeta", influence=2)
    bob = StakeholderFactory(account=alpha, first_name="Bob", last_name="Young", influence=5)
    cid = StakeholderFactory(account=beta, first_name="Cid", last_name="Xavier", influence=4)
    Relationship.objects.create(user=kam_user, stakeholder=ann, strength=80)
    Relationship.objects.create(user=kam_user, stakeholder=cid, strength=20)
    client = client_for(kam_user)
    assert names(client) == ["Cid Xavier", "Bob Young", "Ann Zeta"]
    assert names(client, sort="-name") == ["Ann Zeta", "Bob Young", "Cid Xavier"]
    assert names(client, sort="-influence") == ["Bob Young", "Cid Xavier", "Ann Zeta"]
    assert names(client, sort="account") == ["Bob Young", "Cid Xavier", "Ann Zeta"]
    assert names(client, sort="-strength") == ["Ann Zeta", "Cid Xavier", bob.full_name]  # no relationship: last


def test_the_list_search_finds_a_full_name_in_either_order(client_for, kam_user, group):
    StakeholderFactory(account=group, first_name="Markus", last_name="Vogel")
    StakeholderFactory(account=group, first_name="Markus", last_name="Amsel")
    client = client_for(kam_user)
    assert names(client, q="Markus Vogel") == ["Markus Vogel"]
    assert names(client, q="vogel markus") == ["Markus Vogel"]
