"""The planning API per the contract: plans, objectives, activities with the hand-off steps,
requests with triage; visibility-scoped lists, 404 outside the scope, 400 with field errors,
403 for steps that belong to someone else."""

from decimal import Decimal

import pytest

from planning import services
from planning.models import AccountPlan, Activity, Request
from tests.factories import ProductLineFactory, RevenueFactory
from tests.planning.conftest import YEAR


def test_plans_crud_and_scope(api_for, kam_user, other_kam, leader, daimler, bosch):
    api = api_for(kam_user)
    created = api.post(
        "/api/plans/", {"account": daimler.group.pk, "year": YEAR, "title": "Daimler 2026"}, format="json"
    )
    assert created.status_code == 201, created.json()
    plan_id = created.json()["id"]
    assert set(created.json()) >= {"id", "account", "year", "title", "summary"}

    twice = api.post("/api/plans/", {"account": daimler.group.pk, "year": YEAR, "title": "Again"}, format="json")
    assert twice.status_code == 400 and "year" in twice.json()
    not_key = api.post("/api/plans/", {"account": daimler.hq.pk, "year": YEAR, "title": "HQ"}, format="json")
    assert not_key.status_code == 400 and "account" in not_key.json()
    hidden = api.post("/api/plans/", {"account": bosch.pk, "year": YEAR, "title": "Bosch"}, format="json")
    assert hidden.status_code == 400 and "account" in hidden.json()

    assert api_for(other_kam).get(f"/api/plans/{plan_id}/").status_code == 404
    assert api_for(other_kam).get("/api/plans/").json()["count"] == 0
    assert api_for(leader).get("/api/plans/", {"year": YEAR}).json()["count"] == 1
    assert api_for(leader).patch(f"/api/plans/{plan_id}/", {"title": "Mine"}, format="json").status_code == 403
    assert (
        api.patch(f"/api/plans/{plan_id}/", {"title": "Daimler, 2026"}, format="json").json()["title"]
        == "Daimler, 2026"
    )
    assert AccountPlan.objects.get().title == "Daimler, 2026"


def test_objectives_report_computed_values(api_for, kam_user, plan, daimler):
    aut = ProductLineFactory(code="AUT")
    RevenueFactory(account=daimler.brasil, product_line=aut, year=YEAR, amount=Decimal("1234.50"))
    api = api_for(kam_user)

    computed = api.post(
        "/api/objectives/",
        {
            "plan": plan.pk,
            "title": "AUT",
            "metric": "revenue_product_line",
            "product_line": aut.pk,
            "target_value": "5000",
        },
        format="json",
    )
    manual = api.post(
        "/api/objectives/",
        {"plan": plan.pk, "title": "Workshops", "metric": "manual", "target_value": "4", "current_value": "1"},
        format="json",
    )
    missing_line = api.post(
        "/api/objectives/",
        {"plan": plan.pk, "title": "X", "metric": "revenue_product_line", "target_value": "1"},
        format="json",
    )

    assert computed.status_code == 201 and computed.json()["current_value"] == "1234.50"
    assert computed.json()["is_computed"] is True
    assert manual.json()["current_value"] == "1.00" and manual.json()["progress"] == "0.2500"
    assert missing_line.status_code == 400 and "product_line" in missing_line.json()
    listed = {o["title"]: o["current_value"] for o in api.get("/api/objectives/", {"plan": plan.pk}).json()["results"]}
    assert listed == {"AUT": "1234.50", "Workshops": "1.00"}


def test_activity_handoff_through_the_api(api_for, kam_user, regional, plan, daimler):
    kam = api_for(kam_user)
    created = kam.post(
        "/api/activities/",
        {
            "account": daimler.irace.pk,
            "plan": plan.pk,
            "title": "Visit the plant",
            "stakeholders": [daimler.people.iris.pk],
            "impact": 5,
            "urgency": 4,
            "effort_hours": "16",
            "due_on": "2026-03-17",
            "assignee": regional.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["assignee"], body["priority_score"]) == ("assigned", regional.pk, "10.00")
    assert body["priority_explanation"] == "impact 5 × urgency 4 = 20, ÷ effort size 2 (16 h) = 10.00"
    pk = body["id"]

    colleague = api_for(regional)
    assert colleague.get("/api/activities/", {"mine": "true"}).json()["count"] == 1
    assert colleague.post(f"/api/activities/{pk}/start/").status_code == 400  # not accepted yet
    assert kam.post(f"/api/activities/{pk}/accept/").status_code == 403  # not the KAM's to answer
    assert colleague.post(f"/api/activities/{pk}/accept/").json()["status"] == "accepted"
    assert colleague.post(f"/api/activities/{pk}/start/").json()["status"] == "in_progress"
    done = colleague.post(f"/api/activities/{pk}/complete/", {"note": "Met them."}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert colleague.get(f"/api/accounts/{daimler.irace.pk}/").status_code == 404  # the task is over


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_decline_without_a_reason_answers_400(body, api_for, regional, task_for, daimler):
    activity = task_for(regional, daimler.irace)

    answer = api_for(regional).post(f"/api/activities/{activity.pk}/decline/", body, format="json")

    assert answer.status_code == 400 and "reason" in answer.json()
    assert Activity.objects.get(pk=activity.pk).status == "assigned"


def test_decline_and_reassign_through_the_api(api_for, kam_user, regional, other_kam, task_for, daimler):
    activity = task_for(regional, daimler.irace)
    declined = api_for(regional).post(f"/api/activities/{activity.pk}/decline/", {"reason": "On leave."}, format="json")
    assert declined.json()["status"] == "declined" and declined.json()["decline_reason"] == "On leave."

    inactive = api_for(kam_user).post(f"/api/activities/{activity.pk}/assign/", {"assignee": 999999}, format="json")
    assert inactive.status_code == 400 and "assignee" in inactive.json()
    again = api_for(kam_user).post(f"/api/activities/{activity.pk}/assign/", {"assignee": other_kam.pk}, format="json")
    assert again.json()["status"] == "assigned" and again.json()["assignee"] == other_kam.pk
    sneaky = api_for(kam_user).patch(f"/api/activities/{activity.pk}/", {"assignee": regional.pk}, format="json")
    assert sneaky.status_code == 400 and "assignee" in sneaky.json()


def test_activities_are_scoped_to_what_one_may_see(api_for, kam_user, regional, other_kam, task_for, daimler):
    mine = task_for(regional, daimler.irace)
    task_for(kam_user, daimler.hq)

    assert [a["id"] for a in api_for(regional).get("/api/activities/").json()["results"]] == [mine.pk]
    assert api_for(other_kam).get("/api/activities/").json()["count"] == 0
    assert api_for(other_kam).post(f"/api/activities/{mine.pk}/accept/").status_code == 404
    assert api_for(kam_user).get("/api/activities/", {"subtree": daimler.truck.pk}).json()["count"] == 1
    assert api_for(kam_user).get("/api/activities/", {"status": ["assigned", "accepted"]}).json()["count"] == 2


def test_activity_with_people_of_another_group_answers_400(api_for, kam_user, plan, daimler, bosch):
    from tests.factories import StakeholderFactory

    stranger = StakeholderFactory(account=bosch)
    answer = api_for(kam_user).post(
        "/api/activities/",
        {"account": daimler.hq.pk, "plan": plan.pk, "title": "x", "stakeholders": [stranger.pk]},
        format="json",
    )
    assert answer.status_code == 400 and "stakeholders" in answer.json()  # an id outside the scope
    assert not Activity.objects.exists()


def test_requests_through_the_api(api_for, kam_user, regional, plan, task_for, daimler):
    task_for(regional, daimler.irace)
    logged = api_for(regional).post(
        "/api/requests/",
        {
            "account": daimler.irace.pk,
            "title": "Spare parts stock",
            "source": "customer",
            "requested_by": "Plant logistics",
        },
        format="json",
    )
    assert logged.status_code == 201, logged.json()
    pk = logged.json()["id"]
    assert logged.json()["status"] == "new" and logged.json()["logged_by"] == regional.pk

    kam = api_for(kam_user)
    assert api_for(regional).post(f"/api/requests/{pk}/decline/", {"reason": "x"}, format="json").status_code == 403
    assert kam.post(f"/api/requests/{pk}/decline/", {"reason": " "}, format="json").status_code == 400
    declined = kam.post(f"/api/requests/{pk}/decline/", {"reason": "Handled by the distributor."}, format="json")
    assert declined.json()["status"] == "declined"
    refused = kam.post(f"/api/requests/{pk}/accept/", {"plan": plan.pk}, format="json")
    assert refused.status_code == 400 and "status" in refused.json()
    assert kam.post(f"/api/requests/{pk}/reopen/").json()["status"] == "new"
    accepted = kam.post(
        f"/api/requests/{pk}/accept/", {"plan": plan.pk, "impact": 4, "assignee": regional.pk}, format="json"
    )
    assert accepted.status_code == 200, accepted.json()
    activity = Activity.objects.get(pk=accepted.json()["activity"])
    assert (activity.request.pk, activity.impact, activity.assignee) == (pk, 4, regional)
    assert kam.get("/api/requests/", {"status": "accepted"}).json()["count"] == 1
    assert Request.objects.get(pk=pk).status == "accepted"


def test_schema_lists_the_planning_resources(api_for, kam_user):
    paths = api_for(kam_user).get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in (
        "/api/plans/",
        "/api/objectives/",
        "/api/activities/",
        "/api/activities/{id}/assign/",
        "/api/activities/{id}/accept/",
        "/api/activities/{id}/decline/",
        "/api/activities/{id}/start/",
        "/api/activities/{id}/complete/",
        "/api/requests/",
        "/api/requests/{id}/accept/",
        "/api/requests/{id}/decline/",
    ):
        assert path in paths


def test_activity_list_query_count_does_not_grow(api_for, kam_user, plan, daimler, django_assert_max_num_queries):
    from tests.planning.test_pages import bulk_activities

    api = api_for(kam_user)
    people = [daimler.people.hanna]
    bulk_activities(plan, 5, accounts=[daimler.hq], assignees=[kam_user], people=people)
    with django_assert_max_num_queries(6) as small:
        api.get("/api/activities/")
    bulk_activities(plan, 120, accounts=[daimler.hq], assignees=[kam_user], people=people)
    with django_assert_max_num_queries(6) as big:
        api.get("/api/activities/")
    assert len(small) == len(big)


def test_services_are_the_same_for_page_and_api(api_for, kam_user, plan, daimler):
    activity = services.activity_create(actor=kam_user, plan=plan, account=daimler.hq, title="Shared")
    answer = api_for(kam_user).post(f"/api/activities/{activity.pk}/cancel/", {"note": "Budget cut."}, format="json")
    assert answer.json()["status"] == "cancelled"
    assert Activity.objects.get().events.filter(kind="cancelled", note="Budget cut.").exists()
