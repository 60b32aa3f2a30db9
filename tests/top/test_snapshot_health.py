"""The snapshot's relationship health over each node's subtree, its pointer to each node's
current row, the made-up history of demo data, and that changes to people, contacts and
alerts mark their group for the next snapshot.

    Nordwerk (group)                      Anna (decision-maker, warm), Bert (economic buyer, cold)
    ├── Nordwerk Süd                       Carla (champion, warm), an open alert on Carla
    └── Nordwerk JV (participation 50 %)   Uwe (user, influence 2), Ines (influencer, influence 5)

Süd:   key people 1 (Carla), warm 1; decision-makers 0; one open alert; last contact 2 days ago
JV:    key people 1 (Ines, by influence), warm 0; people count whole, not at the 50 % share
group: key people 4, warm 2; decision-makers 2 (Anna, Bert), covered 1; alerts 1
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import AccountSnapshot, CurrentSnapshot, StaleGroup
from accounts.trends import monthly_history
from kam.top import snapshots
from stakeholders import services
from stakeholders.alerts import watch
from stakeholders.alerts.services import alert_resolve
from stakeholders.models import Alert, Interaction, Relationship, Stakeholder
from tests.factories import AccountFactory, GroupFactory, InteractionFactory, ParticipationFactory, StakeholderFactory

R = Stakeholder.BuyingRole
TODAY = timezone.localdate()


@pytest.fixture
def nordwerk(kam_user):
    group = GroupFactory(name="Nordwerk", owner=kam_user)
    sued = AccountFactory(name="Nordwerk Süd", parent=group)
    jv = ParticipationFactory(name="Nordwerk JV", parent=group, ownership_share=Decimal("50"))
    anna = StakeholderFactory(account=group, first_name="Anna", buying_role=R.DECISION_MAKER)
    bert = StakeholderFactory(account=group, first_name="Bert", buying_role=R.ECONOMIC_BUYER)
    carla = StakeholderFactory(account=sued, first_name="Carla", buying_role=R.CHAMPION)
    StakeholderFactory(account=jv, first_name="Uwe", buying_role=R.USER, influence=2)
    StakeholderFactory(account=jv, first_name="Ines", buying_role=R.INFLUENCER, influence=5)
    for person, status in ((anna, "warm"), (bert, "cold"), (carla, "warm")):
        Relationship.objects.create(user=kam_user, stakeholder=person, status=status)
    now = timezone.now()
    Alert.objects.create(
        kind=Alert.Kind.CADENCE_MISSED, account=sued, stakeholder=carla, user=kam_user,
        days_without_contact=40, cadence_days=30, raised_at=now,
    )  # fmt: skip
    InteractionFactory(account=sued, occurred_at=now - timedelta(days=2), stakeholders=[carla])
    return {"group": group, "sued": sued, "jv": jv, "anna": anna, "bert": bert, "carla": carla}


def health_of(account, day=TODAY) -> tuple:
    s = AccountSnapshot.objects.get(account=account, day=day)
    return (s.key_people, s.warm_key_people, s.decision_makers, s.covered_decision_makers, s.open_alerts)


def test_the_snapshot_counts_key_people_coverage_and_alerts_over_each_subtree(nordwerk):
    snapshots.snapshot_groups([nordwerk["group"].pk])

    assert health_of(nordwerk["sued"]) == (1, 1, 0, 0, 1)
    assert health_of(nordwerk["jv"]) == (1, 0, 0, 0, 0)
    assert health_of(nordwerk["group"]) == (4, 2, 2, 1, 1)
    group = AccountSnapshot.objects.get(account=nordwerk["group"], day=TODAY)
    assert (group.health, group.coverage) == (Decimal("0.5"), Decimal("0.5"))
    sued = AccountSnapshot.objects.get(account=nordwerk["sued"], day=TODAY)
    assert group.last_contact_at == sued.last_contact_at
    assert timezone.now() - group.last_contact_at - timedelta(days=2) < timedelta(minutes=5)
    assert AccountSnapshot.objects.get(account=nordwerk["jv"], day=TODAY).last_contact_at is None


def test_every_node_points_at_its_newest_snapshot_and_a_past_run_does_not_move_it(nordwerk):
    group = nordwerk["group"]
    snapshots.snapshot_groups([group.pk])
    snapshots.snapshot_groups([group.pk], day=TODAY - timedelta(days=30))

    current = CurrentSnapshot.objects.select_related("snapshot").get(account=group)
    assert current.day == TODAY == current.snapshot.day
    assert CurrentSnapshot.objects.count() == 3  # group, Süd, JV


def test_a_node_archived_since_the_mornings_run_loses_its_row_and_pointer(nordwerk, kam_user):
    from accounts.services import account_archive

    snapshots.snapshot_groups([nordwerk["group"].pk])
    account_archive(actor=kam_user, account=nordwerk["jv"])
    snapshots.snapshot_groups([nordwerk["group"].pk])

    assert not AccountSnapshot.objects.filter(account=nordwerk["jv"], day=TODAY).exists()
    assert not CurrentSnapshot.objects.filter(account=nordwerk["jv"]).exists()


def test_made_up_history_fills_the_first_of_each_month_and_never_overwrites(nordwerk):
    group = nordwerk["group"]
    snapshots.snapshot_groups([group.pk])
    real_day = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)  # first of last month
    snapshots.snapshot_groups([group.pk], day=real_day)
    real = AccountSnapshot.objects.get(account=group, day=real_day)

    snapshots.backfill_history([group.pk], months=12)
    snapshots.backfill_history([group.pk], months=12)

    history = monthly_history([group.pk])[group.pk]
    assert len(history) == 13 and history[-1].day == TODAY
    assert [s.day.day for s in history[:-1]] == [1] * 12
    assert AccountSnapshot.objects.get(account=group, day=real_day).computed_at == real.computed_at
    assert AccountSnapshot.objects.filter(account=nordwerk["sued"]).count() == 13


# --- what marks a group for the next snapshot ---------------------------------------------------


def marked(group) -> bool:
    return StaleGroup.objects.filter(group=group).exists()


def test_logging_a_contact_marks_the_group(nordwerk, kam_user):
    services.interaction_log(
        actor=kam_user,
        account=nordwerk["sued"],
        kind=Interaction.Kind.CALL,
        occurred_at=timezone.now(),
        summary="Call",
        stakeholders=[nordwerk["carla"]],
    )
    assert marked(nordwerk["group"])


def test_a_new_role_marks_the_group(nordwerk, kam_user):
    services.stakeholder_update(actor=kam_user, stakeholder=nordwerk["bert"], buying_role=R.USER)
    assert marked(nordwerk["group"])


def test_resolving_an_alert_by_hand_marks_the_group(nordwerk, kam_user):
    alert_resolve(actor=kam_user, alert=Alert.objects.get(), note="Met at the fair")
    assert marked(nordwerk["group"])


def test_the_decay_job_marks_every_group(nordwerk, other_kam):
    other = GroupFactory(name="Bosch", owner=other_kam)
    watch.decay_job()
    assert marked(nordwerk["group"]) and marked(other)
