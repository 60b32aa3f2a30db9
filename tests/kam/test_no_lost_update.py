"""No lost update: ETag and If-Match on the API (412 when stale), the edit forms' "changed
meanwhile", and the races of reporting lines and job moves — with real concurrent requests on
PostgreSQL (threads, each with its own connection)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from celery.result import allow_join_result
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import Account
from accounts.services import account_update
from stakeholders import services as people_services
from stakeholders.models import Position, Stakeholder
from tests.factories import AccountFactory, GroupFactory, ProductLineFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


def test_every_object_answer_carries_an_etag_that_changes_with_the_record(api_for, kam_user, group):
    api = api_for(kam_user)
    first = api.get(f"/api/accounts/{group.pk}/")
    changed = api.patch(f"/api/accounts/{group.pk}/", {"city": "Berlin"}, format="json")

    assert first["ETag"] and changed["ETag"] and first["ETag"] != changed["ETag"]
    assert api.get(f"/api/accounts/{group.pk}/")["ETag"] == changed["ETag"]
    person = StakeholderFactory(account=group)
    assert api.get(f"/api/positions/{person.positions.get().pk}/")["ETag"], "a model without updated_at too"


def test_a_stale_if_match_answers_412_and_writes_nothing(api_for, kam_user, group):
    api = api_for(kam_user)
    etag = api.get(f"/api/accounts/{group.pk}/")["ETag"]
    api.patch(f"/api/accounts/{group.pk}/", {"city": "Berlin"}, format="json", HTTP_IF_MATCH=etag)

    stale = api.patch(f"/api/accounts/{group.pk}/", {"city": "Paris"}, format="json", HTTP_IF_MATCH=etag)
    deleted = api.delete(f"/api/accounts/{group.pk}/", HTTP_IF_MATCH=etag)

    assert stale.status_code == 412 and deleted.status_code == 412
    assert "kam changed this record" in stale.json()["detail"]
    group.refresh_from_db()
    assert group.city == "Berlin" and group.archived_at is None
    fresh = api.get(f"/api/accounts/{group.pk}/")["ETag"]
    assert (
        api.patch(f"/api/accounts/{group.pk}/", {"city": "Paris"}, format="json", HTTP_IF_MATCH=fresh).status_code
        == 200
    )
    assert api.patch(f"/api/accounts/{group.pk}/", {"city": "Rome"}, format="json").status_code == 200, "no If-Match"


def test_412_comes_after_the_404_of_a_hidden_record(api_for, other_kam, group):
    answer = api_for(other_kam).patch(f"/api/accounts/{group.pk}/", {"city": "X"}, format="json", HTTP_IF_MATCH='"1"')
    assert answer.status_code == 404


def _concurrently(count: int, call) -> list:
    """Run `call(n)` in `count` threads that start together; each closes its connection."""
    barrier = Barrier(count)

    def run(n: int):
        try:
            barrier.wait(timeout=30)
            return call(n)
        finally:
            connection.close()

    # Eager tasks (the catch-up each write wakes) set a process-wide Celery flag while they run;
    # run in overlapping threads they can leave it set, which later refuses every result.get().
    with allow_join_result(), ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_patches_with_one_etag_let_exactly_one_through():
    kam = UserFactory(username="kam50", role="kam")
    group = GroupFactory(owner=kam)
    etag = _api(kam).get(f"/api/accounts/{group.pk}/")["ETag"]

    answers = _concurrently(
        50,
        lambda n: (
            _api(kam)
            .patch(f"/api/accounts/{group.pk}/", {"name": f"Name {n}"}, format="json", HTTP_IF_MATCH=etag)
            .status_code
        ),
    )

    assert sorted(answers).count(200) == 1 and answers.count(412) == 49
    winner = answers.index(200)
    assert Account.objects.get(pk=group.pk).name == f"Name {winner}"


@pytest.mark.django_db(transaction=True)
def test_two_people_made_to_report_to_each_other_at_once_leave_no_cycle():
    kam = UserFactory(username="kamrace", role="kam")
    group = GroupFactory(owner=kam)
    for _ in range(5):
        a, b = StakeholderFactory(account=group), StakeholderFactory(account=group)
        pairs = [(a, b), (b, a)]

        answers = _concurrently(
            2,
            lambda n, pairs=pairs: (
                _api(kam)
                .patch(f"/api/stakeholders/{pairs[n][0].pk}/", {"reports_to": pairs[n][1].pk}, format="json")
                .status_code
            ),
        )

        assert sorted(answers) == [200, 400]
        a.refresh_from_db()
        b.refresh_from_db()
        assert not (a.reports_to_id == b.pk and b.reports_to_id == a.pk)


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_moves_of_one_person_never_fail():
    kam = UserFactory(username="kammove", role="kam")
    group = GroupFactory(owner=kam)
    targets = [AccountFactory(parent=group, kind="branch") for _ in range(10)]
    person = StakeholderFactory(account=group)

    answers = _concurrently(
        10,
        lambda n: (
            _api(kam)
            .post(
                f"/api/stakeholders/{person.pk}/move/",
                {"account": targets[n].pk, "job_title": f"Job {n}"},
                format="json",
            )
            .status_code
        ),
    )

    assert set(answers) == {200}
    assert Position.objects.filter(stakeholder=person, ended_on__isnull=True).count() == 1
    current = Position.objects.get(stakeholder=person, ended_on__isnull=True)
    assert Stakeholder.objects.get(pk=person.pk).account_id == current.account_id


# --- the edit forms ---------------------------------------------------------------------------


def test_an_edit_form_shows_a_colleagues_change_instead_of_overwriting_it(client_for, kam_user, group, admin_user):
    person = StakeholderFactory(account=group, job_title="CFO", phone="")
    client = client_for(kam_user)
    form = client.get(f"/people/{person.pk}/edit/").context["form"]
    version = client.get(f"/people/{person.pk}/edit/").context["version"]
    people_services.stakeholder_update(actor=admin_user, stakeholder=person, job_title="CEO")
    posted = {name: value for name, value in form.initial.items() if value is not None}
    posted |= {"account": group.pk, "phone": "+49 711 17-0", "version": version}

    answer = client.post(f"/people/{person.pk}/edit/", posted)

    assert answer.status_code == 200
    page = answer.content.decode()
    assert f"Changed by {admin_user.display_name} at" in page and "meanwhile" in page
    assert "CEO" in page and "CFO" in page
    person.refresh_from_db()
    assert person.job_title == "CEO" and person.phone == "", "nothing of the stale form was saved"

    posted["version"] = answer.context["version"]
    assert client.post(f"/people/{person.pk}/edit/", posted).status_code == 302, "a second save is deliberate"
    person.refresh_from_db()
    assert person.job_title == "CFO" and person.phone == "+49 711 17-0"


def test_a_change_to_another_field_meanwhile_is_kept_without_asking(client_for, kam_user, group, admin_user):
    client = client_for(kam_user)
    version = client.get(f"/accounts/{group.pk}/edit/").context["version"]
    account_update(actor=admin_user, account=group, city="Berlin")
    posted = {"name": "Daimler Group", "kind": "group", "country": "DE", "city": "Berlin", "version": version}
    posted["owner"] = kam_user.pk
    posted["is_key_account"] = "on"

    assert client.post(f"/accounts/{group.pk}/edit/", posted).status_code == 302
    group.refresh_from_db()
    assert group.name == "Daimler Group" and group.city == "Berlin"


def test_a_stale_if_match_on_a_record_without_history_still_answers_412(api_for, admin_user):
    line = ProductLineFactory()
    api = api_for(admin_user)
    etag = api.get(f"/api/product-lines/{line.pk}/")["ETag"]
    api.patch(f"/api/product-lines/{line.pk}/", {"name": "Paint"}, format="json")

    answer = api.patch(f"/api/product-lines/{line.pk}/", {"name": "Body"}, format="json", HTTP_IF_MATCH=etag)

    assert answer.status_code == 412
