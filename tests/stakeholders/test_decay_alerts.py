"""The relationship decay job: strengths and statuses against hand-computed cases, alerts raised
without duplicates, resolving themselves when contact resumes, raised again later, and the
daily digest.

The cases below: a decision-maker with a 30-day cadence and one neutral meeting (25 points)
with their relationship owner `days` ago. Points halve every 60 days:
strength = floor(25 × 0.5^(days / 60) + 0.5); warm up to 30 days, cooling up to 60, cold beyond.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from stakeholders import decay, services
from stakeholders.alerts import digest, watch
from stakeholders.alerts.services import alert_resolve
from stakeholders.models import Alert, AlertDigest, Interaction, Relationship, Stakeholder
from tests.factories import (
    AccountFactory,
    GroupFactory,
    InteractionFactory,
    StakeholderFactory,
    UserFactory,
    key_person,
)

Kind = Alert.Kind


def decay_job():
    return watch.decay_job()


def open_alerts(**filters) -> list[tuple[str, str]]:
    rows = Alert.objects.open().filter(**filters).select_related("stakeholder")
    return sorted((row.kind, row.stakeholder.last_name) for row in rows)


@pytest.mark.parametrize(
    ("days", "strength", "status", "kind", "days_without_contact"),
    [
        (10, 22, "warm", None, None),  # 25 × 0.5^(10/60) = 22.27
        (29.9, 18, "warm", None, None),  # 17.70, just inside the cadence
        (30.1, 18, "cooling", Kind.CADENCE_MISSED, 30),  # 17.66, just past it
        (45, 15, "cooling", Kind.CADENCE_MISSED, 45),  # 14.87
        (60.1, 12, "cold", Kind.RELATIONSHIP_DECAY, 60),  # 12.49, past two cadences
        (400, 0, "cold", Kind.RELATIONSHIP_DECAY, 400),  # outside the 365-day window: no points left
    ],
)
def test_decay_thresholds_from_hand_computed_cases(kam_user, days, strength, status, kind, days_without_contact):
    person = key_person(kam_user, days_since_contact=days)

    decay_job()

    relationship = Relationship.objects.get(user=kam_user, stakeholder=person)
    assert (relationship.strength, relationship.status) == (strength, status)
    raised = list(Alert.objects.filter(stakeholder=person).values_list("kind", "days_without_contact", "cadence_days"))
    assert raised == ([] if kind is None else [(kind, days_without_contact, 30)])


def test_a_key_person_never_contacted_gets_one_cadence_of_grace(kam_user):
    fresh = key_person(kam_user, days_since_contact=None, last_name="Fresh")
    Relationship.objects.filter(stakeholder=fresh).update(created_at=timezone.now() - timedelta(days=10))
    late = key_person(kam_user, days_since_contact=None, last_name="Late")
    Relationship.objects.filter(stakeholder=late).update(created_at=timezone.now() - timedelta(days=40))
    key_person(kam_user, days_since_contact=None, last_name="Forgotten")  # set up a year ago

    decay_job()

    assert open_alerts() == [(Kind.CADENCE_MISSED, "Late"), (Kind.RELATIONSHIP_DECAY, "Forgotten")]
    assert Alert.objects.get(stakeholder=late).last_contact_at is None


def test_only_key_people_with_a_relationship_owner_are_watched(kam_user):
    group = GroupFactory(owner=kam_user)
    role = Stakeholder.BuyingRole
    key_person(kam_user, account=group, days_since_contact=90, last_name="Buyer", buying_role=role.ECONOMIC_BUYER)
    key_person(kam_user, account=group, days_since_contact=90, last_name="Champion", buying_role=role.CHAMPION)
    key_person(kam_user, account=group, days_since_contact=90, last_name="Mighty", buying_role=role.USER, influence=4)
    key_person(kam_user, account=group, days_since_contact=90, last_name="User", buying_role=role.USER, influence=3)
    key_person(kam_user, account=group, days_since_contact=90, last_name="Gatekeeper", buying_role=role.GATEKEEPER)
    nobody = key_person(kam_user, account=group, days_since_contact=90, last_name="Unowned")
    Stakeholder.objects.filter(pk=nobody.pk).update(relationship_owner=None)

    decay_job()

    assert [name for _kind, name in open_alerts()] == ["Buyer", "Champion", "Mighty"]


def test_a_colleagues_contact_does_not_count_for_the_owners_relationship(kam_user, other_kam):
    person = key_person(kam_user, days_since_contact=45)
    InteractionFactory(account=person.account, stakeholders=[person], colleagues=[other_kam])
    Relationship.objects.create(user=other_kam, stakeholder=person)

    decay_job()

    assert open_alerts() == [(Kind.CADENCE_MISSED, person.last_name)]
    assert Alert.objects.get().user == kam_user


def test_running_the_job_again_raises_no_duplicate(kam_user):
    key_person(kam_user, days_since_contact=45, last_name="Late")
    key_person(kam_user, days_since_contact=90, last_name="Cold")

    first, second = decay_job(), decay_job()

    assert (first.raised, second.raised, second.resolved) == (2, 0, 0)
    assert Alert.objects.count() == 2


def test_the_database_refuses_a_second_open_alert_for_the_same_cause(kam_user):
    key_person(kam_user, days_since_contact=45)
    decay_job()
    copy = Alert.objects.get()
    copy.pk = None

    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_a_logged_contact_resolves_the_alert_at_once(kam_user):
    person = key_person(kam_user, days_since_contact=45)
    decay_job()

    services.interaction_log(
        actor=kam_user,
        account=person.account,
        kind=Interaction.Kind.CALL,
        occurred_at=timezone.now(),
        summary="Caught up on the tender.",
        stakeholders=[person],
    )

    alert = Alert.objects.get()
    assert alert.resolved_at is not None and alert.resolution == Alert.Resolution.WITHIN_CADENCE
    assert alert.resolved_by is None
    assert Relationship.objects.get(user=kam_user, stakeholder=person).status == "warm"


def test_a_missed_cadence_gives_way_to_decay_when_the_relationship_goes_cold(kam_user):
    person = key_person(kam_user, days_since_contact=45)
    decay_job()
    Interaction.objects.filter(stakeholders=person).update(occurred_at=timezone.now() - timedelta(days=70))

    decay_job()

    by_kind = {alert.kind: alert for alert in Alert.objects.all()}
    assert by_kind[Kind.CADENCE_MISSED].resolution == Alert.Resolution.SUPERSEDED
    assert by_kind[Kind.RELATIONSHIP_DECAY].is_open


def test_a_new_owner_takes_over_with_a_cadence_of_grace(kam_user, other_kam):
    person = key_person(kam_user, days_since_contact=45)
    decay_job()

    services.stakeholder_update(actor=kam_user, stakeholder=person, relationship_owner=other_kam)
    decay_job()

    old = Alert.objects.get()
    assert (old.user, old.resolution) == (kam_user, Alert.Resolution.NOT_WATCHED)
    # The new owner's clock starts at the handover: nothing is due for them yet.
    Relationship.objects.filter(user=other_kam).update(created_at=timezone.now() - timedelta(days=31))
    decay_job()
    new = Alert.objects.open().get()
    assert (new.user, new.kind, new.last_contact_at) == (other_kam, Kind.CADENCE_MISSED, None)


def test_a_resolved_alert_is_raised_again_when_contact_lapses_again(kam_user):
    person = key_person(kam_user, days_since_contact=45)
    decay_job()
    contact = InteractionFactory(account=person.account, stakeholders=[person], colleagues=[kam_user])
    decay_job()  # resolved: back within the cadence

    contact.occurred_at = timezone.now() - timedelta(days=35)
    contact.save()
    decay_job()

    assert [(a.kind, a.is_open) for a in Alert.objects.order_by("pk")] == [
        (Kind.CADENCE_MISSED, False),
        (Kind.CADENCE_MISSED, True),
    ]


def test_an_alert_resolved_by_hand_stays_quiet_until_the_next_contact(kam_user):
    person = key_person(kam_user, days_since_contact=45)
    decay_job()
    alert_resolve(actor=kam_user, alert=Alert.objects.get(), note="On sabbatical until May.")

    decay_job()
    assert Alert.objects.open().count() == 0

    # A contact after the note, then another lapse: the alert comes back.
    InteractionFactory(
        account=person.account,
        stakeholders=[person],
        colleagues=[kam_user],
        occurred_at=timezone.now() - timedelta(days=31),
    )
    Alert.objects.update(resolved_at=timezone.now() - timedelta(days=40))  # the note predates that contact
    decay_job()
    assert open_alerts() == [(Kind.CADENCE_MISSED, person.last_name)]


def test_the_message_names_person_account_owner_and_reason(kam_user):
    kam_user.first_name, kam_user.last_name = "Katrin", "Amsel"
    kam_user.save()
    group = GroupFactory(name="Daimler Truck", owner=kam_user)
    key_person(kam_user, account=group, days_since_contact=95.5, first_name="Renate", last_name="Falk")
    decay_job()
    alert = Alert.objects.select_related("stakeholder", "account", "user").get()

    assert alert.message == (
        "Katrin Amsel's relationship with Renate Falk (Daimler Truck) has gone cold: "
        "95 days without contact, more than twice the cadence of 30 days."
    )
    with translation.override("de"):
        assert "Renate Falk" in alert.message and "Daimler Truck" in alert.message


def test_the_job_scoped_to_people_leaves_the_others_alone(kam_user):
    one = key_person(kam_user, days_since_contact=45, last_name="One")
    key_person(kam_user, days_since_contact=45, last_name="Two")

    decay.recompute()

    watch.refresh(stakeholder_ids=[one.pk])

    assert open_alerts() == [(Kind.CADENCE_MISSED, "One")]


# --- the daily digest ------------------------------------------------------------------------------


def test_the_digest_mails_every_owner_their_open_alerts_once_a_day(kam_user, other_kam):
    key_person(kam_user, days_since_contact=45, last_name="Late")
    key_person(kam_user, days_since_contact=90, last_name="Cold")
    key_person(other_kam, days_since_contact=45, last_name="Theirs")
    UserFactory(username="quiet")  # no alerts: no mail
    decay_job()

    sent = digest.send_digests()
    again = digest.send_digests()

    assert (sent, again) == (2, 0)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {kam_user.email, other_kam.email}
    mine = by_recipient[kam_user.email]
    assert "2 open relationship alerts" in mine.subject
    assert "Late" in mine.body and "Cold" in mine.body and "Theirs" not in mine.body
    assert "/people/alerts/" in mine.body
    assert AlertDigest.objects.count() == 2


def test_no_digest_for_colleagues_without_an_email_address(kam_user):
    kam_user.email = ""
    kam_user.save()
    key_person(kam_user, days_since_contact=45)
    decay_job()

    assert digest.send_digests() == 0 and mail.outbox == []


def test_people_of_other_owners_in_the_same_group_do_not_mix(kam_user, other_kam):
    group = GroupFactory(owner=kam_user)
    key_person(kam_user, account=group, days_since_contact=45, last_name="Mine")
    person = StakeholderFactory(account=group, relationship_owner=other_kam, last_name="Theirs", cadence_days=30)
    Relationship.objects.create(user=other_kam, stakeholder=person)

    decay_job()

    assert {
        (a.user.username, a.stakeholder.last_name) for a in Alert.objects.select_related("user", "stakeholder")
    } == {("kam", "Mine")}


def test_an_open_alert_follows_its_person_to_a_new_job(kam_user):
    person = key_person(kam_user, days_since_contact=45)
    decay_job()
    plant = AccountFactory(name="Werk Bremen", parent=person.account)

    services.stakeholder_move(actor=kam_user, stakeholder=person, account=plant, job_title="Plant manager")
    decay_job()

    alert = Alert.objects.get()
    assert (alert.account, alert.is_open) == (plant, True)
