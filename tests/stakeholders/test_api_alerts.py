"""The `alerts` API: the contract's fields, scoped lists, filters, and POST .../resolve/."""

import pytest

from stakeholders.alerts import watch
from stakeholders.models import Alert
from tests.factories import GroupFactory, key_person


@pytest.fixture
def raised(kam_user, other_kam):
    daimler = GroupFactory(name="Daimler", owner=kam_user)
    bosch = GroupFactory(name="Bosch", owner=other_kam)
    late = key_person(kam_user, account=daimler, days_since_contact=45, last_name="Late")
    cold = key_person(kam_user, account=daimler, days_since_contact=90, last_name="Cold")
    theirs = key_person(other_kam, account=bosch, days_since_contact=45, last_name="Theirs")
    watch.decay_job()
    return {"daimler": daimler, "bosch": bosch, "late": late, "cold": cold, "theirs": theirs}


def names(answer) -> list[int]:
    return sorted(row["stakeholder"] for row in answer.json()["results"])


def test_list_has_the_contract_fields(api_for, kam_user, raised):
    answer = api_for(kam_user).get("/api/alerts/", {"kind": "relationship_decay"})

    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1 and {"next", "previous", "results"} <= set(body)
    row = body["results"][0]
    assert {"id", "kind", "account", "stakeholder", "user", "message", "raised_at", "resolved_at"} <= set(row)
    assert (row["kind"], row["account"], row["stakeholder"], row["user"]) == (
        "relationship_decay",
        raised["daimler"].pk,
        raised["cold"].pk,
        kam_user.pk,
    )
    assert "has gone cold" in row["message"] and row["resolved_at"] is None


def test_list_holds_only_alerts_on_visible_accounts(api_for, kam_user, leader, regional, raised):
    assert names(api_for(kam_user).get("/api/alerts/")) == sorted([raised["late"].pk, raised["cold"].pk])
    assert len(api_for(leader).get("/api/alerts/").json()["results"]) == 3
    assert api_for(regional).get("/api/alerts/").json()["count"] == 0


def test_filters_mine_open_and_subtree(api_for, leader, kam_user, raised):
    api = api_for(leader)
    assert api.get("/api/alerts/", {"mine": "true"}).json()["count"] == 0
    assert api.get("/api/alerts/", {"user": kam_user.pk}).json()["count"] == 2
    assert names(api.get("/api/alerts/", {"subtree": raised["bosch"].pk})) == [raised["theirs"].pk]
    assert api.get("/api/alerts/", {"open": "false"}).json()["count"] == 0


def test_an_alert_outside_ones_scope_answers_404(api_for, other_kam, raised):
    alert = Alert.objects.get(stakeholder=raised["late"])

    assert api_for(other_kam).get(f"/api/alerts/{alert.pk}/").status_code == 404
    assert api_for(other_kam).post(f"/api/alerts/{alert.pk}/resolve/", {"note": "x"}).status_code == 404


def test_resolve_closes_the_alert_with_the_note(api_for, kam_user, raised):
    alert = Alert.objects.get(stakeholder=raised["late"])

    answer = api_for(kam_user).post(f"/api/alerts/{alert.pk}/resolve/", {"note": "Met at the fair."}, format="json")

    assert answer.status_code == 200
    assert answer.json()["resolved_at"] is not None and answer.json()["resolution"] == "manual"
    alert.refresh_from_db()
    assert (alert.resolution_note, alert.resolved_by) == ("Met at the fair.", kam_user)


def test_resolve_without_a_note_or_twice_answers_400(api_for, kam_user, raised):
    alert = Alert.objects.get(stakeholder=raised["late"])
    api = api_for(kam_user)

    no_note = api.post(f"/api/alerts/{alert.pk}/resolve/", {}, format="json")
    api.post(f"/api/alerts/{alert.pk}/resolve/", {"note": "Done."}, format="json")
    twice = api.post(f"/api/alerts/{alert.pk}/resolve/", {"note": "Again."}, format="json")

    assert no_note.status_code == 400 and "note" in no_note.json()
    assert twice.status_code == 400
    alert.refresh_from_db()
    assert alert.resolution_note == "Done."


def test_leadership_may_not_resolve(api_for, leader, raised):
    alert = Alert.objects.get(stakeholder=raised["late"])

    assert api_for(leader).post(f"/api/alerts/{alert.pk}/resolve/", {"note": "x"}, format="json").status_code == 403
    alert.refresh_from_db()
    assert alert.is_open


def test_alerts_cannot_be_created_or_edited_through_the_api(api_for, admin_user, raised):
    alert = Alert.objects.get(stakeholder=raised["late"])
    api = api_for(admin_user)

    assert api.post("/api/alerts/", {"kind": "cadence_missed"}, format="json").status_code == 405
    assert api.patch(f"/api/alerts/{alert.pk}/", {"message": "x"}, format="json").status_code == 405


def test_list_query_count_does_not_grow_with_rows(api_for, kam_user, raised, django_assert_max_num_queries):
    api = api_for(kam_user)
    with django_assert_max_num_queries(6) as few:
        api.get("/api/alerts/")
    for n in range(30):
        key_person(kam_user, account=raised["daimler"], days_since_contact=40 + n, last_name=f"P{n}")
    watch.decay_job()
    with django_assert_max_num_queries(6) as many:
        assert api.get("/api/alerts/").json()["count"] == 32

    assert len(few) == len(many)
