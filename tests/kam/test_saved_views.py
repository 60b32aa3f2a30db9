"""Lists that remember: a list's filters and sort saved under a name, private or shared
read-only, one of them a user's default, and a view whose saved value no longer exists."""

import pytest
from django.urls import reverse

from kam.models import DefaultView, SavedView
from tests.factories import AccountFactory, GroupFactory, StakeholderFactory, UserFactory

LISTS = {
    "accounts": "accounts:list",
    "people": "stakeholders:list",
    "plans": "planning:plan_list",
    "alerts": "stakeholders:alerts",
    "portfolio": "home",
}


def save(client, list_key: str, name: str, query: str, shared: bool = False):
    data = {"list_key": list_key, "name": name, "query": query}
    if shared:
        data["shared"] = "on"
    answer = client.post(reverse("view_save"), data)
    client.get(answer["Location"])  # shows (and so uses up) the message "View … saved."
    return answer


@pytest.mark.parametrize("list_key", list(LISTS))
def test_saving_the_current_filters_and_sort_names_a_view_of_that_list(client_for, kam_user, group, list_key):
    client = client_for(kam_user)
    answer = save(client, list_key, "Mine", "q=dai&sort=-revenue&page=3")
    view = SavedView.objects.get(owner=kam_user, list_key=list_key)
    assert (view.name, view.query, view.shared) == ("Mine", "q=dai&sort=-revenue", False)
    assert answer.status_code == 302
    assert answer["Location"] == f"{reverse(LISTS[list_key])}?q=dai&sort=-revenue&view={view.pk}"
    page = client.get(answer["Location"]).content.decode()
    assert "View: <strong>Mine</strong>" in page
    assert client.get(answer["Location"].replace("q=dai", "q=daim")).content.decode().count("(changed)") == 1


def test_saving_again_under_the_same_name_replaces_the_filters(client_for, kam_user):
    client = client_for(kam_user)
    save(client, "accounts", "Mine", "q=a")
    save(client, "accounts", "Mine", "q=b")
    assert list(SavedView.objects.values_list("query", flat=True)) == ["q=b"]


def test_a_view_needs_a_name_and_a_known_list(client_for, kam_user):
    client = client_for(kam_user)
    save(client, "accounts", "  ", "q=a")
    save(client, "nowhere", "Mine", "q=a")
    assert not SavedView.objects.exists()


def test_a_private_view_stays_private(client_for, kam_user, other_kam):
    save(client_for(kam_user), "accounts", "Only mine", "q=x")
    page = client_for(other_kam).get(reverse("accounts:list")).content.decode()
    assert "Only mine" not in page
    view = SavedView.objects.get()
    assert client_for(other_kam).post(reverse("view_default", args=[view.pk]), {"default": "on"}).status_code == 404


def test_a_shared_view_is_offered_to_the_team_read_only(client_for, kam_user, other_kam):
    save(client_for(kam_user), "people", "Decision-makers", "buying_role=decision_maker", shared=True)
    view = SavedView.objects.get()
    client = client_for(other_kam)
    page = client.get(reverse("stakeholders:list"), {"view": 0}).content.decode()
    assert "Decision-makers" in page and "by kam" in page
    for action in ("view_delete", "view_share"):
        assert client.post(reverse(action, args=[view.pk])).status_code == 403
    view.refresh_from_db()
    assert view.shared and view.name == "Decision-makers"


def test_a_default_view_opens_the_bare_list_and_view_0_shows_the_plain_one(client_for, kam_user):
    client = client_for(kam_user)
    save(client, "accounts", "Key only", "key_only=on")
    view = SavedView.objects.get()
    client.post(reverse("view_default", args=[view.pk]), {"default": "on"})
    answer = client.get(reverse("accounts:list"))
    assert answer.status_code == 302 and answer["Location"].endswith(f"?key_only=on&view={view.pk}")
    assert client.get(reverse("accounts:list"), {"view": 0}).status_code == 200
    client.post(reverse("view_default", args=[view.pk]))  # no longer the default
    assert client.get(reverse("accounts:list")).status_code == 200


def test_a_colleague_may_open_with_a_shared_view_until_it_is_unshared(client_for, kam_user, other_kam):
    save(client_for(kam_user), "plans", "This year", "year=2026", shared=True)
    view = SavedView.objects.get()
    colleague = client_for(other_kam)
    colleague.post(reverse("view_default", args=[view.pk]), {"default": "on"})
    assert colleague.get(reverse("planning:plan_list")).status_code == 302
    client_for(kam_user).post(reverse("view_share", args=[view.pk]))  # unshared
    assert not DefaultView.objects.filter(user=other_kam).exists()
    assert client_for(other_kam).get(reverse("planning:plan_list")).status_code == 200


def test_the_owner_deletes_a_view(client_for, kam_user):
    client = client_for(kam_user)
    save(client, "alerts", "Cold", "kind=relationship_decay")
    client.post(reverse("view_delete", args=[SavedView.objects.get().pk]))
    assert not SavedView.objects.exists()


def test_a_view_whose_owner_filter_no_longer_exists_applies_the_rest_and_says_so(client_for, leader, kam_user):
    gone = UserFactory(username="gone-kam")
    GroupFactory(name="Daimler", owner=kam_user, country="DE")
    GroupFactory(name="Renault", owner=gone, country="FR")
    client = client_for(leader)
    save(client, "accounts", "Gone's French", f"owner={gone.pk}&country=FR&sort=-name")
    view = SavedView.objects.get()
    gone.delete()
    page = client.get(f"{reverse('accounts:list')}?{view.query}&view={view.pk}").content.decode()
    assert "no longer exists" in page and "Owner" in page
    assert "Renault" in page and "Daimler" not in page  # the country still filters


def test_a_people_view_on_an_account_the_user_no_longer_sees(client_for, kam_user, group):
    node = AccountFactory(name="Werk Bremen", parent=group)
    StakeholderFactory(account=node, first_name="Bea", last_name="Bremen")
    StakeholderFactory(account=group, first_name="Gus", last_name="Gruppe")
    client = client_for(kam_user)
    save(client, "people", "Bremen", f"account={node.pk}")
    view = SavedView.objects.get()
    group.owner = None
    group.save()
    other = GroupFactory(name="Other", owner=kam_user)
    StakeholderFactory(account=other, first_name="Olga", last_name="Other")
    page = client.get(f"{reverse('stakeholders:list')}?{view.query}&view={view.pk}").content.decode()
    assert "no longer exists" in page
    assert "Olga" in page and "Bea" not in page and "Werk Bremen" not in page
