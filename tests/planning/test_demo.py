"""The demo plan: idempotent, a dozen activities, some handed to the Brazilian colleague,
accepted and declined requests; and it fits the visibility rule."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Account
from kam.models import User
from planning.demo import seed_plan
from planning.models import AccountPlan, Activity, ActivityEvent, Capacity, Notification, Objective, Request

MODELS = (AccountPlan, Objective, Activity, ActivityEvent, Request, Capacity, Notification)


def seed() -> AccountPlan:
    call_command("seed_demo", password="demo-pass-4711", stdout=StringIO())
    accounts = {account.name: account for account in Account.objects.all()}
    users = {user.username: user for user in User.objects.all()}
    return seed_plan(accounts=accounts, users=users, year=timezone.localdate().year)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_seed_plan_twice_yields_the_same_rows():
    seed()
    first = counts()
    seed()

    assert counts() == first
    assert first["AccountPlan"] == 1 and first["Activity"] == 12 and first["Objective"] == 4


@pytest.mark.django_db
def test_demo_plan_hands_tasks_to_the_brazilian_colleague_and_has_triaged_requests():
    plan = seed()
    regional = User.objects.get(username="regional")

    assert plan.account.name == "Daimler"
    held = Activity.objects.filter(assignee=regional)
    assert {a.account.name for a in held} == {"Mercedes-Benz Iracemápolis", "Mercedes-Benz do Brasil"}
    assert {a.status for a in held} >= {"assigned", "accepted", "declined"}
    assert set(Account.objects.visible_to(regional).values_list("name", flat=True)) == {
        "Mercedes-Benz Iracemápolis",
        "Mercedes-Benz do Brasil",
    }
    statuses = set(Request.objects.values_list("status", flat=True))
    assert statuses == {"new", "accepted", "declined"}
    accepted = Request.objects.get(status="accepted")
    assert accepted.activity.request == accepted
    assert all(r.decline_reason for r in Request.objects.filter(status="declined"))
    assert Activity.objects.filter(status="done").exists() and Activity.objects.filter(status="open").exists()
