"""The quick-log through the client, as the browser's htmx sends it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import Interaction, Relationship
from tests.factories import AccountFactory, GroupFactory, StakeholderFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plant(group):
    return AccountFactory(name="Werk Sindelfingen", parent=group)


@pytest.fixture
def buyer(plant):
    return StakeholderFactory(account=plant, first_name="Sabine", last_name="Keller", job_title="Head of Purchasing")


def log_url(account) -> str:
    return reverse("stakeholders:quick_log", args=[account.pk])


def when(delta: timedelta = timedelta(0)) -> str:
    return (timezone.localtime() - delta).strftime("%Y-%m-%dT%H:%M")


def test_quick_log_saves_without_leaving_the_page(client_for, kam_user, group, buyer):
    response = client_for(kam_user).post(
        log_url(group),
        {
            "stakeholders": [buyer.pk],
            "summary": "Agreed on a line audit in March.",
            "kind": "call",
            "occurred_at": when(timedelta(hours=1)),
            "sentiment": "positive",
        },
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="quick-log"' in html, "a fresh form comes back for the next contact"
    assert 'hx-swap-oob="afterbegin:#timeline"' in html and "Agreed on a line audit in March." in html
    interaction = Interaction.objects.get()
    assert (interaction.kind, interaction.sentiment, interaction.account) == ("call", "positive", group)
    assert list(interaction.stakeholders.all()) == [buyer]
    assert list(interaction.colleagues.all()) == [kam_user], "the colleague defaults to whoever logs"
    relationship = Relationship.objects.get(user=kam_user, stakeholder=buyer)
    assert relationship.status == Relationship.Status.WARM and relationship.strength == 15  # a positive call


def test_defaults_need_only_person_and_summary(client_for, kam_user, group, buyer):
    form_page = client_for(kam_user).get(log_url(group), **HTMX)
    form = form_page.context["form"]
    assert form.initial["occurred_at"] <= timezone.localtime()
    data = {
        "stakeholders": [buyer.pk],
        "summary": "Coffee at the trade fair.",
        "kind": form.fields["kind"].initial,
        "occurred_at": when(),
        "sentiment": form.fields["sentiment"].initial,
    }
    client_for(kam_user).post(log_url(group), data, **HTMX)
    assert Interaction.objects.get().kind == Interaction.Kind.MEETING


def test_a_contact_in_the_future_is_refused_on_the_form(client_for, kam_user, group, buyer):
    response = client_for(kam_user).post(
        log_url(group),
        {
            "stakeholders": [buyer.pk],
            "summary": "Next week",
            "kind": "meeting",
            "occurred_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "sentiment": "neutral",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "A contact cannot lie in the future." in response.content.decode()
    assert "Next week" in response.content.decode(), "what was typed stays"
    assert f'value="{buyer.pk}"' in response.content.decode(), "the chosen person stays chosen"
    assert not Interaction.objects.exists() and not Relationship.objects.exists()


def test_a_person_of_another_group_is_refused_with_a_clear_message(client_for, kam_user, group, buyer):
    bmw = GroupFactory(name="BMW Group", owner=kam_user)
    stranger = StakeholderFactory(account=bmw, first_name="Jonas", last_name="Weber")
    response = client_for(kam_user).post(
        log_url(group),
        {
            "stakeholders": [buyer.pk, stranger.pk],
            "summary": "Joint call",
            "kind": "call",
            "occurred_at": when(),
            "sentiment": "neutral",
        },
        **HTMX,
    )
    assert "Jonas Weber works at another customer group, not at Daimler&#x27;s." in response.content.decode()
    assert not Interaction.objects.exists()


def test_no_person_and_no_summary_are_form_errors(client_for, kam_user, group):
    response = client_for(kam_user).post(
        log_url(group), {"summary": "", "kind": "call", "occurred_at": when(), "sentiment": "neutral"}, **HTMX
    )
    form = response.context["form"]
    assert set(form.errors) == {"stakeholders", "summary"}
    assert not Interaction.objects.exists()


def test_a_person_one_may_not_see_cannot_be_posted(client_for, other_kam, kam_user, group, buyer):
    own = GroupFactory(name="Bosch", owner=other_kam)
    response = client_for(other_kam).post(
        log_url(own),
        {"stakeholders": [buyer.pk], "summary": "x", "kind": "call", "occurred_at": when(), "sentiment": "neutral"},
        **HTMX,
    )
    assert "stakeholders" in response.context["form"].errors
    assert not Interaction.objects.exists()


def test_logging_on_an_invisible_account_is_not_found(client_for, other_kam, group):
    assert client_for(other_kam).get(log_url(group)).status_code == 404


def test_without_htmx_the_log_redirects_back(client_for, kam_user, group, buyer):
    response = client_for(kam_user).post(
        log_url(group),
        {
            "stakeholders": [buyer.pk],
            "summary": "Visit",
            "kind": "visit",
            "occurred_at": when(),
            "sentiment": "neutral",
            "next": buyer.get_absolute_url(),
        },
    )
    assert response.status_code == 302 and response.url == buyer.get_absolute_url()


def test_type_ahead_offers_people_of_the_whole_group_only(client_for, kam_user, group, plant, buyer):
    StakeholderFactory(account=group, first_name="Sandra", last_name="Kern")
    StakeholderFactory(account=GroupFactory(name="BMW", owner=kam_user), first_name="Sascha", last_name="Kurz")
    url = reverse("stakeholders:people_search", args=[plant.pk])
    html = client_for(kam_user).get(url, {"q": "sa k"}, **HTMX).content.decode()
    assert "Sabine Keller" in html and "Sandra Kern" in html, "the head office is in the same group as the plant"
    assert "Sascha Kurz" not in html
    html = client_for(kam_user).get(url, {"q": "sa", "stakeholders": [buyer.pk]}, **HTMX).content.decode()
    assert "Sabine Keller" not in html, "someone already chosen is not offered again"


def test_stakeholder_page_form_starts_with_the_person(client_for, kam_user, buyer):
    url = log_url(buyer.account) + f"?stakeholder={buyer.pk}"
    response = client_for(kam_user).get(url, **HTMX)
    assert [p.pk for p in response.context["form"].chosen_people()] == [buyer.pk]


def test_a_regional_colleague_cannot_log_where_they_are_not_assigned(client_for, regional, group, buyer):
    assert client_for(regional).post(log_url(group), {"stakeholders": [buyer.pk]}, **HTMX).status_code == 404


def test_edit_and_delete_of_a_logged_contact(client_for, kam_user, group, buyer):
    client = client_for(kam_user)
    client.post(
        log_url(group),
        {"stakeholders": [buyer.pk], "summary": "Call", "kind": "call", "occurred_at": when(), "sentiment": "neutral"},
        **HTMX,
    )
    interaction = Interaction.objects.get()
    edit = reverse("stakeholders:interaction_edit", args=[interaction.pk])
    response = client.post(
        edit,
        {
            "stakeholders": [buyer.pk],
            "summary": "Long call",
            "kind": "visit",
            "occurred_at": when(),
            "sentiment": "negative",
            "colleagues": [kam_user.pk],
        },
    )
    assert response.status_code == 302
    interaction.refresh_from_db()
    assert (interaction.summary, interaction.kind, interaction.sentiment) == ("Long call", "visit", "negative")
    assert Relationship.objects.get().strength == 15  # a visit, 30 × 0.5 for the bad mood
    client.post(reverse("stakeholders:interaction_delete", args=[interaction.pk]))
    assert not Interaction.objects.exists()
    assert Relationship.objects.get().strength == 0, "deleting the contact takes its points away"


def test_someone_else_may_not_delete_a_contact_they_cannot_change(client_for, kam_user, leader, group, buyer):
    client_for(kam_user).post(
        log_url(group),
        {"stakeholders": [buyer.pk], "summary": "Call", "kind": "call", "occurred_at": when(), "sentiment": "neutral"},
        **HTMX,
    )
    interaction = Interaction.objects.get()
    response = client_for(leader).post(reverse("stakeholders:interaction_delete", args=[interaction.pk]))
    assert response.status_code == 403
    assert Interaction.objects.exists()
