"""Request intake and triage: logging, accepting into the plan (an activity linked both ways),
declining with a reason the requester reads, and no accidental acceptance of a declined one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from planning import triage
from planning.models import Activity, Notification, Request
from tests.factories import RequestFactory, UserFactory


@pytest.fixture
def wish(kam_user, daimler):
    return triage.request_log(
        actor=kam_user,
        account=daimler.brasil,
        title="Push the new vision sensors",
        description="Product management wants a pilot in Brazil.",
        source=Request.Source.INTERNAL,
        requested_by="Product management sensors",
    )


def test_accept_creates_the_activity_linked_both_ways(kam_user, plan, wish, daimler):
    accepted = triage.request_accept(actor=kam_user, request=wish, plan=plan, impact=4, urgency=2, effort_hours=12)

    stored = Request.objects.get(pk=wish.pk)
    activity = stored.activity
    assert stored.status == "accepted" and stored.decided_by == kam_user
    assert activity.request == stored  # and back
    assert (activity.account, activity.plan, activity.title) == (daimler.brasil, plan, "Push the new vision sensors")
    assert (activity.impact, activity.urgency, activity.effort_hours, activity.status) == (4, 2, 12, "open")
    assert "Product management sensors" in activity.description
    assert accepted.activity == activity


def test_accept_can_hand_the_new_activity_over_at_once(kam_user, regional, plan, wish):
    triage.request_accept(actor=kam_user, request=wish, plan=plan, assignee=regional)

    activity = Request.objects.get(pk=wish.pk).activity
    assert (activity.assignee, activity.status) == (regional, "assigned")


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_decline_needs_a_reason(reason, kam_user, wish):
    with pytest.raises(ValidationError) as refused:
        triage.request_decline(actor=kam_user, request=wish, reason=reason)

    assert "reason" in refused.value.message_dict
    assert Request.objects.get(pk=wish.pk).status == "new"


def test_a_declined_request_cannot_be_accepted_until_reopened(kam_user, plan, wish):
    triage.request_decline(actor=kam_user, request=wish, reason="Not in this year's focus.")

    with pytest.raises(ValidationError) as refused:
        triage.request_accept(actor=kam_user, request=wish, plan=plan)
    assert "reopen" in refused.value.message_dict["status"][0]
    assert Request.objects.get(pk=wish.pk).status == "declined"
    assert not Activity.objects.exists()

    triage.request_reopen(actor=kam_user, request=wish)
    triage.request_accept(actor=kam_user, request=wish, plan=plan)
    assert Request.objects.get(pk=wish.pk).status == "accepted"


def test_accepted_requests_are_not_accepted_twice_nor_reopened(kam_user, plan, wish):
    triage.request_accept(actor=kam_user, request=wish, plan=plan)

    with pytest.raises(ValidationError):
        triage.request_accept(actor=kam_user, request=wish, plan=plan)
    with pytest.raises(ValidationError):
        triage.request_decline(actor=kam_user, request=wish, reason="Changed my mind.")
    with pytest.raises(ValidationError):
        triage.request_reopen(actor=kam_user, request=wish)
    assert Activity.objects.count() == 1


def test_only_the_kam_triages(regional, other_kam, leader, wish, plan):
    for someone in (regional, other_kam, leader):
        with pytest.raises(PermissionDenied):
            triage.request_decline(actor=someone, request=wish, reason="No.")
        with pytest.raises(PermissionDenied):
            triage.request_accept(actor=someone, request=wish, plan=plan)


def test_the_regional_colleague_logs_a_request_on_their_node_and_reads_the_decline(
    client_for, kam_user, regional, task_for, daimler
):
    task_for(regional, daimler.irace)
    client = client_for(regional)
    answer = client.post(
        reverse("planning:request_create"),
        {
            "account": daimler.irace.pk,
            "title": "Training for the maintenance crew",
            "source": "customer",
            "requested_by": "Plant maintenance",
        },
    )
    wish = Request.objects.get()
    assert answer.status_code == 302 and (wish.logged_by, wish.account) == (regional, daimler.irace)

    triage.request_decline(actor=kam_user, request=wish, reason="Training is sold through the distributor.")

    # Visible to whoever logged it, even once their task (and with it the node) is gone.
    Activity.objects.update(status="done")
    page = client.get(reverse("planning:request_detail", args=[wish.pk]))
    assert page.status_code == 200
    assert "Training is sold through the distributor." in page.content.decode()
    assert "Training is sold through the distributor." in client.get(reverse("planning:my_tasks")).content.decode()
    assert Notification.objects.filter(user=regional, kind="request_declined").exists()


def test_nobody_logs_requests_on_accounts_they_cannot_see(client_for, regional, leader, daimler):
    with pytest.raises(PermissionDenied):
        triage.request_log(actor=regional, account=daimler.hq, title="x", source="customer", requested_by="y")
    with pytest.raises(PermissionDenied):
        triage.request_log(actor=leader, account=daimler.hq, title="x", source="customer", requested_by="y")
    answer = client_for(regional).post(
        reverse("planning:request_create"),
        {"account": daimler.hq.pk, "title": "x", "source": "customer", "requested_by": "y"},
    )
    assert answer.status_code == 200 and "account" in answer.context["form"].errors
    assert not Request.objects.exists()


def test_triage_queue_lists_open_requests_with_counts_per_account(client_for, kam_user, daimler, bosch):
    logger = UserFactory(username="pm")
    for _ in range(3):
        RequestFactory(account=daimler.brasil, logged_by=logger)
    RequestFactory(account=daimler.hq, logged_by=logger)
    RequestFactory(account=daimler.hq, logged_by=logger, status="declined", decline_reason="No.")
    RequestFactory(account=bosch, logged_by=logger)  # someone else's customer

    answer = client_for(kam_user).get(reverse("planning:triage"))

    assert answer.status_code == 200
    assert [(c["account__name"], c["count"]) for c in answer.context["counts"]] == [
        ("Mercedes-Benz do Brasil", 3),
        ("Daimler HQ", 1),
    ]
    assert answer.context["page"].paginator.count == 4
    declined = client_for(kam_user).get(reverse("planning:triage"), {"status": "declined"})
    assert declined.context["page"].paginator.count == 1
    in_brasil = client_for(kam_user).get(reverse("planning:triage"), {"account": daimler.brasil.pk, "q": "Request"})
    assert in_brasil.context["page"].paginator.count == 3


def test_triage_through_the_pages(client_for, kam_user, plan, wish):
    client = client_for(kam_user)

    blank = client.post(reverse("planning:request_decline", args=[wish.pk]), {"reason": " "})
    assert blank.status_code == 400 and Request.objects.get(pk=wish.pk).status == "new"

    accepted = client.post(
        reverse("planning:request_accept", args=[wish.pk]),
        {"plan": plan.pk, "title": "Vision sensor pilot", "impact": 5, "urgency": 3, "effort_hours": "6"},
    )
    activity = Request.objects.get(pk=wish.pk).activity
    assert accepted.status_code == 302 and accepted.url == reverse("planning:activity_detail", args=[activity.pk])
    assert (activity.title, activity.impact, activity.plan) == ("Vision sensor pilot", 5, plan)


def test_accepting_a_declined_request_through_the_page_is_refused(client_for, kam_user, plan, wish):
    triage.request_decline(actor=kam_user, request=wish, reason="Out of focus.")

    answer = client_for(kam_user).post(
        reverse("planning:request_accept", args=[wish.pk]),
        {"plan": plan.pk, "title": "Sneak it in", "impact": 3, "urgency": 3, "effort_hours": "4"},
    )

    assert answer.status_code == 400
    assert "reopen it before accepting" in answer.content.decode()
    assert Request.objects.get(pk=wish.pk).status == "declined" and not Activity.objects.exists()
