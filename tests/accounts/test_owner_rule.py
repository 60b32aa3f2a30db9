"""Who may own an account: a key account manager or an administrator (User.objects.managing_accounts),
checked in accounts.services so that the page, the API and an import refuse the same owners."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import Account


@pytest.mark.parametrize("role_fixture", ["leader", "regional", "inactive_kam"])
def test_the_api_refuses_an_owner_who_does_not_manage_accounts(request, api_for, kam_user, group, role_fixture):
    candidate = request.getfixturevalue(role_fixture)
    api = api_for(kam_user)
    answer = api.patch(f"/api/accounts/{group.pk}/", {"owner": candidate.pk}, format="json")
    assert answer.status_code == 400
    assert "owner" in answer.json()
    group.refresh_from_db()
    assert group.owner == kam_user


def test_the_api_refuses_such_an_owner_for_a_new_group_and_writes_nothing(api_for, kam_user, leader):
    answer = api_for(kam_user).post("/api/accounts/", {"name": "Bosch", "kind": "group", "owner": leader.pk})
    assert answer.status_code == 400
    assert "owner" in answer.json()
    assert not Account.objects.filter(name="Bosch").exists()


def test_the_api_hands_a_group_to_another_kam(api_for, kam_user, other_kam, group):
    answer = api_for(kam_user).patch(f"/api/accounts/{group.pk}/", {"owner": other_kam.pk}, format="json")
    assert answer.status_code == 200
    assert answer.json()["owner"] == other_kam.pk


def test_the_page_offers_only_colleagues_who_manage_accounts(client_for, kam_user, other_kam, leader, group):
    form = client_for(kam_user).get(reverse("accounts:edit", args=[group.pk])).context["form"]
    offered = set(form.fields["owner"].queryset)
    assert {kam_user, other_kam} <= offered
    assert leader not in offered


def test_the_service_refuses_it_whoever_calls(admin_user, regional, group):
    with pytest.raises(ValidationError) as refused:
        services.account_update(actor=admin_user, account=group, owner=regional)
    assert "owner" in refused.value.message_dict
