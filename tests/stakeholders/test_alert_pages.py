"""The alert list and resolving by hand, through the pages; the header's count."""

import pytest
from django.urls import reverse

from accounts.models import AccountTeamMember
from stakeholders.alerts import watch
from stakeholders.alerts.services import alert_resolve
from stakeholders.models import Alert
from tests.factories import AccountFactory, GroupFactory, key_person

Kind = Alert.Kind
ALERTS = reverse("stakeholders:alerts")


@pytest.fixture
def raised(kam_user, other_kam):
    """Alerts for kam_user on Daimler (one cadence, one decay) and one for other_kam on Bosch."""
    daimler = GroupFactory(name="Daimler", owner=kam_user)
    trucks = AccountFactory(name="Daimler Truck", parent=daimler)
    bosch = GroupFactory(name="Bosch", owner=other_kam)
    people = {
        "late": key_person(kam_user, account=daimler, days_since_contact=45, last_name="Late"),
        "cold": key_person(kam_user, account=trucks, days_since_contact=90, last_name="Cold"),
        "theirs": key_person(other_kam, account=bosch, days_since_contact=45, last_name="Theirs"),
    }
    watch.decay_job()
    return {"daimler": daimler, "trucks": trucks, "bosch": bosch, **people}


def listed(answer) -> list[str]:
    return sorted(alert.stakeholder.last_name for alert in answer.context["page"].object_list)


def test_a_kam_sees_their_own_open_alerts_by_default(client_for, kam_user, raised):
    answer = client_for(kam_user).get(ALERTS)

    assert answer.status_code == 200
    assert listed(answer) == ["Cold", "Late"]
    page = answer.content.decode()
    assert "has gone cold" in page and "missed the contact cadence" in page


def test_sales_leadership_sees_everybodys_alerts(client_for, leader, raised):
    assert listed(client_for(leader).get(ALERTS)) == ["Cold", "Late", "Theirs"]


def test_all_shows_only_alerts_on_accounts_one_may_see(client_for, kam_user, raised):
    assert listed(client_for(kam_user).get(ALERTS, {"scope": "all"})) == ["Cold", "Late"]


def test_a_regional_colleague_sees_nothing_of_accounts_not_assigned(client_for, regional, raised):
    assert listed(client_for(regional).get(ALERTS, {"scope": "all"})) == []


def test_filters_by_kind_account_and_status(client_for, kam_user, raised):
    client = client_for(kam_user)

    assert listed(client.get(ALERTS, {"kind": Kind.RELATIONSHIP_DECAY})) == ["Cold"]
    assert listed(client.get(ALERTS, {"account": raised["trucks"].pk})) == ["Cold"]
    assert listed(client.get(ALERTS, {"account": raised["daimler"].pk})) == ["Cold", "Late"]  # and below
    assert listed(client.get(ALERTS, {"status": "resolved"})) == []
    alert_resolve(actor=kam_user, alert=Alert.objects.get(stakeholder=raised["late"]), note="Met at the fair.")
    assert listed(client.get(ALERTS, {"status": "resolved"})) == ["Late"]
    assert listed(client.get(ALERTS, {"status": "any"})) == ["Cold", "Late"]


def test_filtering_returns_the_results_alone_for_htmx(client_for, kam_user, raised):
    answer = client_for(kam_user).get(ALERTS, {"kind": Kind.CADENCE_MISSED}, HTTP_HX_REQUEST="true")

    assert b"<html" not in answer.content and b"Late" in answer.content


def test_resolving_by_hand_records_note_and_who(client_for, kam_user, raised):
    alert = Alert.objects.get(stakeholder=raised["late"])

    answer = client_for(kam_user).post(
        reverse("stakeholders:alert_resolve", args=[alert.pk]), {"note": "On leave until May.", "next": ALERTS}
    )

    assert answer.status_code == 302 and answer["Location"] == ALERTS
    alert.refresh_from_db()
    assert (alert.resolution, alert.resolution_note, alert.resolved_by) == ("manual", "On leave until May.", kam_user)
    assert alert.resolved_at is not None


def test_resolving_without_a_note_is_refused_and_changes_nothing(client_for, kam_user, raised):
    alert = Alert.objects.get(stakeholder=raised["late"])

    answer = client_for(kam_user).post(reverse("stakeholders:alert_resolve", args=[alert.pk]), {"note": "  "})

    assert answer.status_code == 400
    assert "This field is required." in answer.content.decode() or "Say why" in answer.content.decode()
    alert.refresh_from_db()
    assert alert.is_open


def test_resolving_twice_says_it_is_resolved_already(client_for, kam_user, raised):
    alert = Alert.objects.get(stakeholder=raised["late"])
    url = reverse("stakeholders:alert_resolve", args=[alert.pk])
    client = client_for(kam_user)
    client.post(url, {"note": "Done."})

    answer = client.post(url, {"note": "Again."})

    assert answer.status_code == 400
    alert.refresh_from_db()
    assert alert.resolution_note == "Done."


def test_leadership_reads_alerts_but_does_not_resolve_them(client_for, leader, raised):
    alert = Alert.objects.get(stakeholder=raised["late"])

    answer = client_for(leader).post(reverse("stakeholders:alert_resolve", args=[alert.pk]), {"note": "No."})

    assert answer.status_code == 403
    alert.refresh_from_db()
    assert alert.is_open
    assert b"Resolve\xe2\x80\xa6" not in client_for(leader).get(ALERTS).content


def test_a_team_member_of_the_account_may_resolve_the_owners_alert(client_for, team_kam, kam_user, raised):
    AccountTeamMember.objects.create(account=raised["daimler"], user=team_kam, role="specialist")
    alert = Alert.objects.get(stakeholder=raised["late"])

    answer = client_for(team_kam).post(reverse("stakeholders:alert_resolve", args=[alert.pk]), {"note": "Covered."})

    assert answer.status_code == 302
    alert.refresh_from_db()
    assert alert.resolved_by == team_kam


def test_an_alert_on_a_hidden_account_answers_404(client_for, other_kam, raised):
    alert = Alert.objects.get(stakeholder=raised["late"])

    assert client_for(other_kam).get(reverse("stakeholders:alert_resolve", args=[alert.pk])).status_code == 404


def test_the_header_counts_my_open_alerts(client_for, kam_user, raised):
    page = client_for(kam_user).get(reverse("accounts:list")).content.decode()

    assert 'title="Your open alerts">2</span>' in page


def test_the_list_costs_the_same_queries_for_few_and_many_alerts(client_for, kam_user, django_assert_max_num_queries):
    group = GroupFactory(owner=kam_user)
    key_person(kam_user, account=group, days_since_contact=45)
    watch.decay_job()
    client = client_for(kam_user)
    with django_assert_max_num_queries(10) as few:
        assert client.get(ALERTS).status_code == 200

    for n in range(40):
        key_person(kam_user, account=group, days_since_contact=45 + n, last_name=f"P{n:02d}")
    watch.decay_job()
    with django_assert_max_num_queries(10) as many:
        answer = client.get(ALERTS, {"page": 2})

    assert answer.context["page"].paginator.count == 41
    assert len(few) == len(many)
