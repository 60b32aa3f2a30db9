"""Records in someone's name: a contact or a give names only colleagues who may see the account,
and a give keeps who recorded it."""

from django.utils import timezone

from kam.models import User
from stakeholders.models import Give, Interaction
from tests.factories import InteractionFactory, StakeholderFactory, TeamMemberFactory, UserFactory


def test_a_contact_cannot_name_a_colleague_who_cannot_see_the_account(api_for, kam_user, other_kam, group):
    person = StakeholderFactory(account=group)
    payload = {
        "account": group.pk,
        "kind": "call",
        "occurred_at": timezone.now().isoformat(),
        "summary": "Call",
        "stakeholders": [person.pk],
        "colleagues": [kam_user.pk, other_kam.pk],
    }

    answer = api_for(kam_user).post("/api/interactions/", payload, format="json")

    assert answer.status_code == 400
    assert "cannot see" in answer.json()["colleagues"][0] and other_kam.display_name in answer.json()["colleagues"][0]
    assert not Interaction.objects.exists()


def test_a_contact_names_a_team_member_and_leadership(api_for, kam_user, leader, group):
    specialist = UserFactory(username="specialist", role=User.Role.KAM)
    TeamMemberFactory(account=group, user=specialist)
    payload = {
        "account": group.pk,
        "kind": "call",
        "occurred_at": timezone.now().isoformat(),
        "summary": "Call",
        "stakeholders": [StakeholderFactory(account=group).pk],
        "colleagues": [specialist.pk, leader.pk],
    }
    assert api_for(kam_user).post("/api/interactions/", payload, format="json").status_code == 201


def test_editing_a_contact_keeps_a_colleague_who_lost_access(api_for, kam_user, other_kam, group):
    person = StakeholderFactory(account=group)
    contact = InteractionFactory(account=group, stakeholders=[person], colleagues=[kam_user, other_kam])
    answer = api_for(kam_user).patch(f"/api/interactions/{contact.pk}/", {"summary": "Edited"}, format="json")
    assert answer.status_code == 200, answer.content


def test_a_give_cannot_be_recorded_for_a_colleague_who_cannot_see_the_person(api_for, kam_user, other_kam, group):
    person = StakeholderFactory(account=group)
    payload = {"stakeholder": person.pk, "user": other_kam.pk, "kind": "information", "description": "Study"}

    answer = api_for(kam_user).post("/api/gives/", payload, format="json")

    assert answer.status_code == 400 and "cannot see" in answer.json()["user"][0]
    assert not Give.objects.exists()


def test_a_give_keeps_who_recorded_it(api_for, kam_user, group):
    specialist = UserFactory(username="specialist", role=User.Role.KAM)
    TeamMemberFactory(account=group, user=specialist)
    payload = {
        "stakeholder": StakeholderFactory(account=group).pk,
        "user": specialist.pk,
        "kind": "information",
        "description": "Study",
    }

    answer = api_for(kam_user).post("/api/gives/", payload, format="json")

    assert answer.status_code == 201
    assert answer.json()["created_by"] == kam_user.pk and answer.json()["user"] == specialist.pk
    assert Give.objects.get().created_by == kam_user
