"""The regional colleague's side of the hand-off, through the pages: they see exactly the
node of an open task and its people, lose them when the task is done, find the task with its
context in My tasks (their home), and cannot touch anyone else's task."""

import pytest
from django.urls import reverse

from accounts.models import Account
from planning import services, workflow
from planning.models import Activity, Objective
from stakeholders.models import Stakeholder
from tests.factories import UserFactory


def visible_accounts(user) -> set[str]:
    return set(Account.objects.visible_to(user).values_list("name", flat=True))


def visible_people(user) -> set[str]:
    return set(Stakeholder.objects.visible_to(user).values_list("first_name", flat=True))


def test_regional_sees_nothing_without_a_task(regional, daimler):
    assert visible_accounts(regional) == set()
    assert visible_people(regional) == set()


def test_regional_sees_exactly_the_assigned_node_and_its_people(client_for, regional, task_for, daimler):
    task_for(regional, daimler.irace)

    assert visible_accounts(regional) == {"Mercedes-Benz Iracemápolis"}
    assert visible_people(regional) == {"Iris", "Ivo"}
    client = client_for(regional)
    assert client.get(reverse("accounts:detail", args=[daimler.irace.pk])).status_code == 200
    for hidden in (daimler.brasil, daimler.fuso, daimler.truck, daimler.group, daimler.hq):  # parent, sibling, group
        assert client.get(reverse("accounts:detail", args=[hidden.pk])).status_code == 404


def test_a_task_on_a_parent_node_does_not_open_its_children(regional, task_for, daimler):
    task_for(regional, daimler.brasil)

    assert visible_accounts(regional) == {"Mercedes-Benz do Brasil"}
    assert visible_people(regional) == {"Bruno"}


@pytest.mark.parametrize("ending", ["complete", "decline", "cancel"])
def test_regional_loses_the_node_and_its_people_when_the_task_ends(
    ending, client_for, kam_user, regional, task_for, daimler
):
    activity = task_for(regional, daimler.irace)
    workflow.activity_accept(actor=regional, activity=activity)
    if ending == "complete":
        workflow.activity_complete(actor=regional, activity=activity)
    elif ending == "decline":
        workflow.activity_decline(actor=regional, activity=activity, reason="Cannot travel.")
    else:
        workflow.activity_cancel(actor=kam_user, activity=activity)

    assert visible_accounts(regional) == set()
    assert visible_people(regional) == set()
    client = client_for(regional)
    assert client.get(reverse("accounts:detail", args=[daimler.irace.pk])).status_code == 404
    # Their own task stays readable as history, without the people.
    page = client.get(reverse("planning:activity_detail", args=[activity.pk]))
    assert page.status_code == 200
    assert "Iris" not in page.content.decode()


def test_a_second_open_task_keeps_the_node_visible(regional, task_for, daimler):
    first = task_for(regional, daimler.irace, title="First")
    task_for(regional, daimler.irace, title="Second")
    workflow.activity_accept(actor=regional, activity=first)
    workflow.activity_complete(actor=regional, activity=first)

    assert visible_accounts(regional) == {"Mercedes-Benz Iracemápolis"}


def test_my_tasks_is_the_regional_home_and_shows_the_context(client_for, kam_user, regional, plan, task_for, daimler):
    objective = services.objective_create(
        actor=kam_user,
        plan=plan,
        title="Win the São Paulo plants",
        description="Brazil is where the trucks grow next.",
        metric=Objective.Metric.MANUAL,
        target_value=3,
    )
    task_for(regional, daimler.irace, title="Visit the plant", objective=objective, stakeholders=[daimler.people.iris])

    answer = client_for(regional).get(reverse("home"))

    assert answer.status_code == 200
    html = answer.content.decode()
    for context in (
        "Visit the plant",
        "Mercedes-Benz Iracemápolis",
        "Iris Irace",
        "Win the São Paulo plants",
        "Brazil is where the trucks grow next.",
        "impact 4 × urgency 3 = 12",
    ):
        assert context in html
    assert "Daimler Truck" not in html and "Fumi" not in html
    assert "handed you the task “Visit the plant”" in html  # the notification


def test_regional_accepts_starts_completes_through_the_pages(client_for, regional, task_for, daimler):
    activity = task_for(regional, daimler.irace)
    client = client_for(regional)
    back = {"next": reverse("planning:my_tasks")}

    for step, status in (("accept", "accepted"), ("start", "in_progress"), ("complete", "done")):
        answer = client.post(reverse("planning:activity_step", args=[activity.pk, step]), back)
        assert answer.status_code == 302 and answer.url == reverse("planning:my_tasks")
        assert Activity.objects.get(pk=activity.pk).status == status


def test_decline_through_the_page_needs_a_reason(client_for, kam_user, regional, task_for, daimler):
    activity = task_for(regional, daimler.irace)
    client = client_for(regional)

    refused = client.post(reverse("planning:activity_decline", args=[activity.pk]), {"reason": "   "})
    assert refused.status_code == 400
    assert "Say why you decline" in refused.content.decode()
    assert Activity.objects.get(pk=activity.pk).status == "assigned"

    client.post(reverse("planning:activity_decline", args=[activity.pk]), {"reason": "No budget for travel."})
    assert Activity.objects.get(pk=activity.pk).status == "declined"
    # The KAM sees the answer on the activity page.
    page = client_for(kam_user).get(reverse("planning:activity_detail", args=[activity.pk])).content.decode()
    assert "No budget for travel." in page


def test_nobody_acts_on_someone_elses_task(client_for, kam_user, regional, task_for, daimler):
    theirs = task_for(UserFactory(username="carla", role="regional"), daimler.brasil)
    mine = task_for(regional, daimler.irace)
    client = client_for(regional)

    # Another colleague's task on a node I cannot see: it does not exist for me.
    for step in ("accept", "start", "complete"):
        assert client.post(reverse("planning:activity_step", args=[theirs.pk, step])).status_code == 404
    assert client.post(reverse("planning:activity_decline", args=[theirs.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("planning:activity_detail", args=[theirs.pk])).status_code == 404
    # The KAM sees my task but cannot answer it for me; I cannot hand it on or cancel it.
    assert client_for(kam_user).post(reverse("planning:activity_step", args=[mine.pk, "accept"])).status_code == 403
    client = client_for(regional)
    assert client.post(reverse("planning:activity_step", args=[mine.pk, "cancel"])).status_code == 403
    assert (
        client.post(reverse("planning:activity_assign", args=[mine.pk]), {"assignee": regional.pk}).status_code == 403
    )
    assert client.get(reverse("planning:activity_edit", args=[mine.pk])).status_code == 403
    assert set(Activity.objects.values_list("status", flat=True)) == {"assigned"}


def test_unknown_step_is_404(client_for, regional, task_for, daimler):
    activity = task_for(regional, daimler.irace)
    assert client_for(regional).post(f"/plans/activities/{activity.pk}/teleport/").status_code == 404


def test_kam_sees_every_answer_in_the_history(client_for, kam_user, regional, task_for, daimler):
    activity = task_for(regional, daimler.irace)
    workflow.activity_decline(actor=regional, activity=activity, reason="Plant closed for holidays.")
    workflow.activity_assign(actor=kam_user, activity=activity, assignee=regional)
    workflow.activity_accept(actor=regional, activity=activity)

    page = client_for(kam_user).get(reverse("planning:activity_detail", args=[activity.pk]))

    events = [(e.kind, e.actor.username) for e in page.context["events"]]
    assert events == [
        ("created", "kam"),
        ("assigned", "kam"),
        ("declined", "regional"),
        ("assigned", "kam"),
        ("accepted", "regional"),
    ]
    assert "Plant closed for holidays." in page.content.decode()


def test_kam_assigns_through_the_page_to_any_active_colleague(client_for, kam_user, plan, daimler):
    abroad = UserFactory(username="yuki", role="regional", country="JP")
    activity = services.activity_create(actor=kam_user, plan=plan, account=daimler.fuso, title="Meet Fuso purchasing")

    answer = client_for(kam_user).post(reverse("planning:activity_assign", args=[activity.pk]), {"assignee": abroad.pk})

    assert answer.status_code == 302
    assigned = Activity.objects.get(pk=activity.pk)
    assert (assigned.assignee, assigned.status, assigned.assigned_by) == (abroad, "assigned", kam_user)
    assert visible_accounts(abroad) == {"Mitsubishi Fuso"}
