"""A contact can name people its editor may not see (a team member of one subsidiary edits a
meeting that the KAM logged with the group's CEO too). The editor's new list of people keeps
them: the rule lives in stakeholders.services.interaction_update, so the page and the API keep
them alike, whatever the contact object in hand has loaded."""

from datetime import timedelta

import pytest
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from stakeholders import services
from stakeholders.models import Interaction, Stakeholder
from tests.factories import AccountFactory, InteractionFactory, StakeholderFactory, TeamMemberFactory


@pytest.fixture
def meeting(group, kam_user, team_kam):
    """A meeting at a subsidiary with its buyer (whom `team_kam` sees) and the group's CEO (whom
    `team_kam`, on the team of the subsidiary only, does not)."""
    plant = AccountFactory(name="Plant Sindelfingen", kind=Account.Kind.SUBSIDIARY, parent=group)
    TeamMemberFactory(account=plant, user=team_kam)
    buyer = StakeholderFactory(account=plant, last_name="Buyer")
    ceo = StakeholderFactory(account=group, last_name="Chief")
    meeting = InteractionFactory(
        account=plant,
        logged_by=kam_user,
        occurred_at=timezone.now() - timedelta(days=1),
        stakeholders=[buyer, ceo],
        colleagues=[kam_user],
    )
    return meeting, buyer, ceo


def people_of(interaction: Interaction) -> set[str]:
    return set(Stakeholder.objects.filter(interactions=interaction).values_list("last_name", flat=True))


def test_the_page_keeps_the_people_the_editor_cannot_see(client_for, team_kam, meeting):
    interaction, buyer, _ceo = meeting
    answer = client_for(team_kam).post(
        reverse("stakeholders:interaction_edit", args=[interaction.pk]),
        {
            "stakeholders": [buyer.pk],
            "summary": "Agreed on the pilot line",
            "kind": "meeting",
            "occurred_at": timezone.localtime(interaction.occurred_at).strftime("%Y-%m-%dT%H:%M"),
            "sentiment": "positive",
            "colleagues": [team_kam.pk],
        },
    )
    assert answer.status_code == 302
    assert people_of(interaction) == {"Buyer", "Chief"}


def test_the_api_keeps_the_people_the_editor_cannot_see(api_for, team_kam, meeting):
    interaction, buyer, _ceo = meeting
    answer = api_for(team_kam).patch(
        f"/api/interactions/{interaction.pk}/", {"stakeholders": [buyer.pk]}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["stakeholders"] == [buyer.pk]  # the caller still sees only whom they may
    assert people_of(interaction) == {"Buyer", "Chief"}


def test_the_service_does_not_depend_on_what_the_contact_has_loaded(team_kam, meeting):
    interaction, buyer, _ceo = meeting
    # The contact as a list page would load it for this editor: only the people they may see.
    seen = Interaction.objects.prefetch_related(
        Prefetch("stakeholders", queryset=Stakeholder.objects.visible_to(team_kam))
    ).get(pk=interaction.pk)
    services.interaction_update(actor=team_kam, interaction=seen, stakeholders=[buyer], summary="Shorter")
    assert people_of(interaction) == {"Buyer", "Chief"}


def test_removing_a_visible_person_still_works(team_kam, meeting, kam_user):
    interaction, _buyer, _ceo = meeting
    plant = interaction.account
    engineer = StakeholderFactory(account=plant, last_name="Engineer")
    services.interaction_update(actor=team_kam, interaction=interaction, stakeholders=[engineer])
    assert people_of(interaction) == {"Engineer", "Chief"}
