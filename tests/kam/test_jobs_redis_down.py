"""Redis unreachable: the web answers as usual and loses nothing; the periodic job catches up.

Celery is configured as in production (tasks not eager) with its broker and result store on a
port where nothing listens. The tests use real transactions (transactional_db), so the
on-commit hand-over to the broker runs inside the request, as it does in production.
"""

import logging
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountSnapshot, Revenue, StaleGroup
from kam.jobs import send_now
from kam.top import snapshots
from kam.top.tasks import potential_catch_up_task
from stakeholders.alerts import watch
from stakeholders.models import Alert, Interaction, Relationship
from tests.factories import AccountFactory, GroupFactory, ProductLineFactory, key_person

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = date.today().year


@pytest.fixture
def nordwerk(kam_user):
    group = GroupFactory(name="Nordwerk", owner=kam_user)
    return group, AccountFactory(name="Nordwerk Energie", parent=group), ProductLineFactory(code="A")


def test_queueing_a_job_with_redis_down_fails_quietly_and_says_so(dead_broker, caplog):
    with caplog.at_level(logging.WARNING, logger="kam.jobs"):
        assert send_now(potential_catch_up_task) is False

    assert "Could not queue kam.top.tasks.potential_catch_up_task" in caplog.text


def test_saving_figures_with_redis_down_answers_and_the_catch_up_recovers_them(
    dead_broker, client_for, kam_user, nordwerk, caplog
):
    group, energie, line = nordwerk
    url = f"{reverse('accounts:figures', args=[energie.pk])}?year={YEAR}"

    with caplog.at_level(logging.WARNING, logger="kam.jobs"):
        answer = client_for(kam_user).post(url, {f"revenue_{line.pk}": "40", f"potential_{line.pk}": "100"})

    assert answer.status_code == 302  # saved and redirected as usual
    assert Revenue.objects.get(account=energie).amount == Decimal("40")
    assert list(StaleGroup.objects.values_list("group_id", flat=True)) == [group.pk]  # the work is not lost
    assert not AccountSnapshot.objects.exists()  # nobody computed it yet
    assert "periodic job will catch up" in caplog.text

    snapshots.catch_up()  # what beat (or run_jobs) does once a worker is back

    assert AccountSnapshot.objects.get(account=group).rollup_revenue == Decimal("40")
    assert not StaleGroup.objects.exists()


def test_writing_a_figure_through_the_api_with_redis_down_answers_201(dead_broker, api_for, kam_user, nordwerk):
    group, energie, line = nordwerk

    answer = api_for(kam_user).post(
        "/api/revenues/",
        {"account": energie.pk, "product_line": line.pk, "year": YEAR, "amount": "75.00"},
        format="json",
    )

    assert answer.status_code == 201
    assert StaleGroup.objects.filter(group=group).exists()


def test_logging_a_contact_with_redis_down_answers_and_loses_nothing(dead_broker, client_for, kam_user):
    person = key_person(kam_user, days_since_contact=45)
    watch.decay_job()
    assert Alert.objects.open().count() == 1

    answer = client_for(kam_user).post(
        reverse("stakeholders:quick_log", args=[person.account_id]),
        {
            "stakeholders": [person.pk],
            "summary": "Called about the tender.",
            "kind": "call",
            "occurred_at": (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "sentiment": "neutral",
        },
    )

    assert answer.status_code == 302
    assert Interaction.objects.filter(summary="Called about the tender.").exists()
    relationship = Relationship.objects.get(user=kam_user, stakeholder=person)
    assert relationship.status == "warm"
    assert relationship.last_interaction_at > timezone.now() - timedelta(minutes=10)
    # The alert's resolution does not wait for a worker either.
    assert Alert.objects.open().count() == 0


def test_the_recompute_button_with_redis_down_shows_the_job_queued(dead_broker, client_for, kam_user, nordwerk):
    group, energie, _line = nordwerk

    answer = client_for(kam_user).post(reverse("accounts:recompute", args=[energie.pk]), HTTP_HX_REQUEST="true")

    assert answer.status_code == 200
    assert answer.context["status"].state == "queued"
    assert StaleGroup.objects.filter(group=group).exists()
