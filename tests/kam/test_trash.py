"""Trash instead of loss: a deleted person, contact, give or figure waits in the trash with
everything that hung on it and comes back whole, with the same ids (kam/lib/trash.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Revenue, StaleGroup
from kam.models import TrashEntry, User
from kam.tasks import purge_trash_task
from planning.models import Activity
from stakeholders.models import Alert, Give, InfluenceLink, Interaction, Position, Relationship, Stakeholder
from stakeholders.services import give_delete
from tests.factories import (
    AccountFactory,
    ActivityFactory,
    GiveFactory,
    InfluenceLinkFactory,
    InteractionFactory,
    ProductLineFactory,
    RevenueFactory,
    StakeholderFactory,
    TeamMemberFactory,
    UserFactory,
)


def _ceo_world(owner: User, group):
    """A CEO with a manager role over two people, relationships, gives, an alert, influence links
    both ways, a place in 28 contacts (one of them his alone) and in a task."""
    plant = AccountFactory(name="Plant Sindelfingen", parent=group, kind="branch")
    ceo = StakeholderFactory(account=group, first_name="Ola", last_name="Källenius")
    cfo = StakeholderFactory(account=group, first_name="Harald", last_name="Wilhelm", reports_to=ceo)
    cto = StakeholderFactory(account=plant, first_name="Markus", last_name="Schäfer", reports_to=ceo)
    contacts = [
        InteractionFactory(account=group, stakeholders=[ceo, cfo] if n else [ceo], colleagues=[owner])
        for n in range(28)
    ]
    Relationship.objects.create(user=owner, stakeholder=ceo, strength=60, status="warm")
    gives = [GiveFactory(stakeholder=ceo, user=owner) for _ in range(2)]
    alert = Alert.objects.create(
        kind="cadence_missed",
        account=group,
        stakeholder=ceo,
        user=owner,
        days_without_contact=40,
        cadence_days=30,
        raised_at=timezone.now(),
    )
    links = [InfluenceLinkFactory(source=ceo, target=cfo), InfluenceLinkFactory(source=cto, target=ceo, kind="allied")]
    task = ActivityFactory(account=group, title="Board dinner")
    task.stakeholders.set([ceo, cto])
    return ceo, cfo, cto, contacts, gives, alert, links, task


def _snapshot(ceo_pk: int) -> dict:
    return {
        "positions": sorted(Position.objects.filter(stakeholder_id=ceo_pk).values_list("pk", flat=True)),
        "relationships": sorted(Relationship.objects.filter(stakeholder_id=ceo_pk).values_list("pk", flat=True)),
        "gives": sorted(Give.objects.filter(stakeholder_id=ceo_pk).values_list("pk", flat=True)),
        "alerts": sorted(Alert.objects.filter(stakeholder_id=ceo_pk).values_list("pk", flat=True)),
        "links": sorted(
            InfluenceLink.objects.filter(source_id=ceo_pk)
            .values_list("pk", flat=True)
            .union(InfluenceLink.objects.filter(target_id=ceo_pk).values_list("pk", flat=True))
        ),
        "contacts": sorted(Interaction.objects.filter(stakeholders=ceo_pk).values_list("pk", flat=True)),
        "tasks": sorted(Activity.objects.filter(stakeholders=ceo_pk).values_list("pk", flat=True)),
        "reports": sorted(Stakeholder.objects.filter(reports_to_id=ceo_pk).values_list("pk", flat=True)),
    }


def test_a_deleted_ceo_comes_back_whole_with_the_same_ids(api_for, kam_user, group):
    ceo, cfo, cto, contacts, gives, alert, links, task = _ceo_world(kam_user, group)
    before = _snapshot(ceo.pk)
    assert len(before["contacts"]) == 28 and len(before["reports"]) == 2
    api = api_for(kam_user)

    assert api.delete(f"/api/stakeholders/{ceo.pk}/").status_code == 204

    assert not Stakeholder.objects.filter(pk=ceo.pk).exists()
    assert all(not ids for ids in _snapshot(ceo.pk).values()), "everything that hung on him is gone"
    assert Interaction.objects.filter(pk__in=before["contacts"]).count() == 28, "the contacts themselves stay"
    assert Stakeholder.objects.get(pk=cfo.pk).reports_to_id is None
    assert api.get(f"/api/stakeholders/{ceo.pk}/").status_code == 404
    entry = TrashEntry.objects.get(model="stakeholders.stakeholder", object_id=ceo.pk)
    assert entry.deleted_by == kam_user and entry.account_id == group.pk
    assert entry.counts["stakeholders.give"] == 2 and entry.counts["stakeholders.interaction_stakeholders"] == 28

    answer = api.post(f"/api/stakeholders/{ceo.pk}/restore/")

    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == ceo.pk and answer.json()["last_name"] == "Källenius"
    assert _snapshot(ceo.pk) == before
    assert not TrashEntry.objects.exists()
    assert StaleGroup.objects.filter(group=group).exists()
    actions = [entry["action"] for entry in api.get(f"/api/stakeholders/{ceo.pk}/history/").json()]
    assert actions[:2] == ["restored", "deleted"]


def test_a_contact_deleted_on_its_page_is_restored_from_the_trash_page(client_for, kam_user, group):
    person = StakeholderFactory(account=group)
    contact = InteractionFactory(account=group, stakeholders=[person], colleagues=[kam_user], summary="Plant tour")
    client = client_for(kam_user)

    client.post(f"/people/interactions/{contact.pk}/delete/")

    assert not Interaction.objects.filter(pk=contact.pk).exists()
    page = client.get("/trash/")
    assert "Plant tour" in page.content.decode()
    entry = TrashEntry.objects.get()
    answer = client.post(f"/trash/{entry.pk}/restore/")
    assert answer.status_code == 302
    restored = Interaction.objects.get(pk=contact.pk)
    assert list(restored.stakeholders.all()) == [person] and list(restored.colleagues.all()) == [kam_user]


def test_a_give_and_a_figure_go_to_the_trash_and_come_back(api_for, kam_user, group):
    give = GiveFactory(stakeholder=StakeholderFactory(account=group), user=kam_user)
    revenue = RevenueFactory(account=group, amount=Decimal("1000"))
    api = api_for(kam_user)
    assert api.delete(f"/api/gives/{give.pk}/").status_code == 204
    assert api.delete(f"/api/revenues/{revenue.pk}/").status_code == 204
    assert not Revenue.objects.exists() and not Give.objects.exists()

    assert api.post(f"/api/gives/{give.pk}/restore/").status_code == 200
    assert api.post(f"/api/revenues/{revenue.pk}/restore/").json()["amount"] == "1000.00"
    assert Give.objects.filter(pk=give.pk).exists() and Revenue.objects.filter(pk=revenue.pk).exists()


def test_restoring_a_figure_whose_cell_was_entered_again_is_refused(api_for, kam_user, group):
    line = ProductLineFactory()
    revenue = RevenueFactory(account=group, product_line=line, year=2025, amount=Decimal("1000"))
    api = api_for(kam_user)
    api.delete(f"/api/revenues/{revenue.pk}/")
    RevenueFactory(account=group, product_line=line, year=2025, amount=Decimal("1200"))

    answer = api.post(f"/api/revenues/{revenue.pk}/restore/")

    assert answer.status_code == 400
    assert "already has a revenue" in str(answer.json())
    assert Revenue.objects.get().amount == Decimal("1200")
    assert TrashEntry.objects.count() == 1, "the entry stays for another try"


def test_restoring_a_give_of_a_person_deleted_meanwhile_says_why(api_for, kam_user, group):
    person = StakeholderFactory(account=group)
    give = GiveFactory(stakeholder=person, user=kam_user)
    api = api_for(kam_user)
    api.delete(f"/api/gives/{give.pk}/")
    api.delete(f"/api/stakeholders/{person.pk}/")

    answer = api.post(f"/api/gives/{give.pk}/restore/")

    assert answer.status_code == 400
    assert "no longer exists" in str(answer.json())


def test_the_trash_shows_each_entry_to_the_deleter_the_editors_and_admins_only(
    client_for, api_for, kam_user, other_kam, regional, leader, admin_user, group
):
    team = UserFactory(username="reader", role=User.Role.KAM)
    TeamMemberFactory(account=group, user=team)
    contact = InteractionFactory(account=group, stakeholders=[StakeholderFactory(account=group)], summary="Secret")
    api_for(kam_user).delete(f"/api/interactions/{contact.pk}/")

    for user, sees in ((kam_user, True), (team, True), (admin_user, True), (other_kam, False), (leader, False)):
        assert ("Secret" in client_for(user).get("/trash/").content.decode()) is sees, user
    assert api_for(other_kam).post(f"/api/interactions/{contact.pk}/restore/").status_code == 404
    assert api_for(leader).post(f"/api/interactions/{contact.pk}/restore/").status_code == 403


def test_only_an_admin_purges(client_for, kam_user, admin_user, group):
    GiveFactory(stakeholder=StakeholderFactory(account=group), user=kam_user)
    give = Give.objects.get()
    client_for(kam_user).post(f"/people/gives/{give.pk}/delete/")
    entry = TrashEntry.objects.get()

    assert client_for(kam_user).post(f"/trash/{entry.pk}/purge/").status_code == 403
    assert client_for(admin_user).post(f"/trash/{entry.pk}/purge/").status_code == 302
    assert not TrashEntry.objects.exists()


@pytest.mark.parametrize("run", ["task", "command"])
def test_the_purge_job_empties_what_has_expired(run, kam_user, group, settings):
    settings.KAM_TRASH_DAYS = 30
    old, fresh = (GiveFactory(stakeholder=StakeholderFactory(account=group), user=kam_user) for _ in range(2))
    old_pk, fresh_pk = old.pk, fresh.pk
    give_delete(actor=kam_user, give=old)
    give_delete(actor=kam_user, give=fresh)
    TrashEntry.objects.filter(object_id=old_pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    if run == "task":
        purge_trash_task()
    else:
        call_command("run_jobs", "purge")

    assert list(TrashEntry.objects.values_list("object_id", flat=True)) == [fresh_pk]
