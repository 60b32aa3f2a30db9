"""The hand-off workflow: every status transition allowed and refused, who may take each
step, the history the KAM reads, and the notifications in the app and by email."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from planning import services, workflow
from planning.models import Activity, ActivityEvent, Notification
from planning.workflow import TRANSITIONS
from tests.factories import UserFactory

S = Activity.Status
ALL = list(S.values)


def put_in(activity: Activity, status: str, assignee) -> Activity:
    """Force a status directly (the setup of a transition test, not a workflow). The holder is
    kept whatever the status, so that only the status decides what is refused."""
    Activity.objects.filter(pk=activity.pk).update(status=status, assignee=assignee)
    return Activity.objects.get(pk=activity.pk)


def run(name: str, activity: Activity, *, kam, holder) -> Activity:
    if name == "assign":
        return workflow.activity_assign(actor=kam, activity=activity, assignee=holder)
    if name == "decline":
        return workflow.activity_decline(actor=holder, activity=activity, reason="No time this quarter.")
    actor = holder if TRANSITIONS[name].by_assignee else kam
    return getattr(workflow, f"activity_{name}")(actor=actor, activity=activity)


CASES = [(name, status) for name in TRANSITIONS for status in ALL]


@pytest.mark.parametrize(("name", "status"), CASES, ids=[f"{n}-from-{s}" for n, s in CASES])
def test_each_transition_is_allowed_exactly_from_its_table_row(name, status, kam_user, regional, plan, daimler):
    activity = services.activity_create(actor=kam_user, plan=plan, account=daimler.irace, title="Visit")
    activity = put_in(activity, status, regional)
    step = TRANSITIONS[name]

    if status in step.allowed_from:
        after = run(name, activity, kam=kam_user, holder=regional)
        assert Activity.objects.get(pk=activity.pk).status == step.to == after.status
        assert ActivityEvent.objects.filter(activity=activity, kind=step.event, from_status=status).exists()
    else:
        with pytest.raises(ValidationError) as refused:
            run(name, activity, kam=kam_user, holder=regional)
        assert "status" in refused.value.message_dict
        assert Activity.objects.get(pk=activity.pk).status == status


def test_refusal_says_what_is_wrong(kam_user, regional, plan, daimler):
    activity = put_in(
        services.activity_create(actor=kam_user, plan=plan, account=daimler.irace, title="V"), S.DONE, None
    )
    Activity.objects.filter(pk=activity.pk).update(assignee=regional)
    activity.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        workflow.activity_accept(actor=regional, activity=activity)

    assert refused.value.message_dict["status"] == [
        "An activity that is done cannot be accepted; that is possible when it is assigned."
    ]


def test_the_full_happy_path_is_recorded_for_the_kam(kam_user, regional, task_for, daimler):
    activity = task_for(regional, daimler.irace)
    workflow.activity_accept(actor=regional, activity=activity)
    workflow.activity_start(actor=regional, activity=activity)
    workflow.activity_complete(actor=regional, activity=activity, note="Met the plant manager.")

    done = Activity.objects.get(pk=activity.pk)
    assert done.status == S.DONE and done.completed_at is not None
    events = list(done.events.order_by("pk").values_list("kind", "actor__username", "note"))
    assert events == [
        ("created", "kam", ""),
        ("assigned", "kam", ""),
        ("accepted", "regional", ""),
        ("started", "regional", ""),
        ("completed", "regional", "Met the plant manager."),
    ]


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_decline_without_or_with_a_blank_reason_is_refused(reason, regional, task_for, daimler):
    activity = task_for(regional, daimler.irace)

    with pytest.raises(ValidationError) as refused:
        workflow.activity_decline(actor=regional, activity=activity, reason=reason)

    assert "reason" in refused.value.message_dict
    assert Activity.objects.get(pk=activity.pk).status == S.ASSIGNED


def test_decline_keeps_the_reason_and_the_task_can_be_handed_to_someone_else(kam_user, regional, task_for, daimler):
    activity = task_for(regional, daimler.irace)
    workflow.activity_decline(actor=regional, activity=activity, reason="  Plant is closed in March.  ")
    declined = Activity.objects.get(pk=activity.pk)
    assert (declined.status, declined.decline_reason) == (S.DECLINED, "Plant is closed in March.")

    colleague = UserFactory(username="colleague2", role="regional")
    workflow.activity_assign(actor=kam_user, activity=declined, assignee=colleague)

    again = Activity.objects.get(pk=activity.pk)
    assert (again.status, again.assignee, again.decline_reason) == (S.ASSIGNED, colleague, "")
    assert again.events.filter(kind="declined", note="Plant is closed in March.").exists()  # the answer stays on record


@pytest.mark.parametrize("step", ["accept", "start", "complete"])
def test_only_the_assignee_answers_their_task(step, kam_user, regional, task_for, daimler):
    activity = task_for(regional, daimler.irace)
    if step != "accept":
        workflow.activity_accept(actor=regional, activity=activity)
    someone = UserFactory(username="someone", role="regional")

    for intruder in (kam_user, someone):
        with pytest.raises(PermissionDenied):
            getattr(workflow, f"activity_{step}")(actor=intruder, activity=activity)
    with pytest.raises(PermissionDenied):
        workflow.activity_decline(actor=kam_user, activity=activity, reason="Not mine to give back.")


def test_only_who_may_change_the_account_assigns_cancels_and_reopens(regional, other_kam, task_for, daimler):
    activity = task_for(regional, daimler.irace)

    for intruder in (regional, other_kam):
        with pytest.raises(PermissionDenied):
            workflow.activity_assign(actor=intruder, activity=activity, assignee=intruder)
        with pytest.raises(PermissionDenied):
            workflow.activity_cancel(actor=intruder, activity=activity)
    assert Activity.objects.get(pk=activity.pk).status == S.ASSIGNED


def test_an_inactive_colleague_cannot_be_assigned(kam_user, inactive_kam, plan, daimler):
    activity = services.activity_create(actor=kam_user, plan=plan, account=daimler.hq, title="Call")

    with pytest.raises(ValidationError) as refused:
        workflow.activity_assign(actor=kam_user, activity=activity, assignee=inactive_kam)

    assert "assignee" in refused.value.message_dict


def test_assigning_oneself_needs_no_acceptance(kam_user, plan, daimler):
    activity = services.activity_create(actor=kam_user, plan=plan, account=daimler.hq, title="Call the CPO")

    workflow.activity_assign(actor=kam_user, activity=activity, assignee=kam_user)

    assert Activity.objects.get(pk=activity.pk).status == S.ACCEPTED
    assert not Notification.objects.exists()


def test_assignment_decline_and_completion_notify_in_the_app_and_by_email(
    kam_user, regional, task_for, daimler, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = task_for(regional, daimler.irace, title="Visit Iracemápolis")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.activity_decline(actor=regional, activity=first, reason="On leave in March.")
    with django_capture_on_commit_callbacks(execute=True):
        second = task_for(regional, daimler.brasil, title="Call the buyer")
        workflow.activity_accept(actor=regional, activity=second)
        workflow.activity_complete(actor=regional, activity=second)

    got = list(Notification.objects.order_by("pk").values_list("user__username", "kind", "activity__title"))
    assert got == [
        ("regional", "assigned", "Visit Iracemápolis"),
        ("kam", "declined", "Visit Iracemápolis"),
        ("regional", "assigned", "Call the buyer"),
        ("kam", "completed", "Call the buyer"),
    ]
    assert [mail.to for mail in mailoutbox] == [["regional@example.com"], ["kam@example.com"]] * 2
    assert "On leave in March." in mailoutbox[1].body
    assert f"/plans/activities/{first.pk}/" in mailoutbox[0].body


def test_no_email_leaves_when_the_change_rolls_back(
    kam_user, regional, plan, daimler, mailoutbox, django_capture_on_commit_callbacks
):
    activity = services.activity_create(actor=kam_user, plan=plan, account=daimler.irace, title="Visit")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.activity_assign(actor=kam_user, activity=activity, assignee=regional)
    assert len(callbacks) == 1 and mailoutbox == []  # the mail waits for the commit


def test_an_activity_stays_inside_its_plans_account_and_group(kam_user, plan, daimler, bosch):
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=kam_user, plan=plan, account=bosch, title="Elsewhere")

    with pytest.raises(ValidationError) as refused:
        services.activity_create(
            actor=kam_user,
            plan=plan,
            account=daimler.hq,
            title="People",
            stakeholders=[daimler.people.hanna, _bosch_person(bosch)],
        )
    assert "stakeholders" in refused.value.message_dict
    assert not Activity.objects.exists()


def _bosch_person(bosch):
    from tests.factories import StakeholderFactory

    return StakeholderFactory(account=bosch)
