from rest_framework.test import APIClient

from kam.models import User
from tests.factories import UserFactory

USER_FIELDS = {"id", "username", "first_name", "last_name", "role", "country"}


def test_token_round_trip(kam_user):
    api = APIClient()
    answer = api.post("/api/auth/token/", {"username": "kam", "password": "secret-pass-123"}, format="json")
    assert answer.status_code == 200
    token = answer.json()["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/users/me/")

    assert me.status_code == 200
    assert me.json()["username"] == "kam"


def test_wrong_password_gets_no_token(kam_user):
    answer = APIClient().post("/api/auth/token/", {"username": "kam", "password": "wrong"}, format="json")

    assert answer.status_code == 400
    assert "token" not in answer.json()


def test_unauthenticated_requests_are_refused(db):
    api = APIClient()
    for url in ("/api/users/", "/api/users/me/", "/api/accounts/", "/api/revenues/", "/api/product-lines/"):
        assert api.get(url).status_code in (401, 403), url


def test_bad_token_is_refused(kam_user):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    # 403 rather than 401 because SessionAuthentication comes first in DEFAULT_AUTHENTICATION_CLASSES.
    assert api.get("/api/users/me/").status_code in (401, 403)


def test_me_returns_the_caller(api_for, leader):
    answer = api_for(leader).get("/api/users/me/")

    assert answer.status_code == 200
    assert answer.json() == {
        "id": leader.pk,
        "username": "leader",
        "first_name": "",
        "last_name": "",
        "role": "leadership",
        "country": "DE",
    }


def test_every_user_can_list_colleagues_without_private_fields(api_for, kam_user, regional, leader):
    answer = api_for(regional).get("/api/users/")

    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [user["username"] for user in body["results"]] == ["kam", "leader", "regional"]
    assert all(set(user) == USER_FIELDS for user in body["results"])


def test_inactive_users_are_not_listed(api_for, kam_user):
    UserFactory(username="gone", is_active=False)

    names = [user["username"] for user in api_for(kam_user).get("/api/users/").json()["results"]]

    assert names == ["kam"]


def test_users_filter_by_role_and_country(api_for, kam_user, other_kam, leader, regional):
    api = api_for(kam_user)

    kams = api.get("/api/users/", {"role": "kam"}).json()["results"]
    germans = api.get("/api/users/", {"country": "de"}).json()["results"]

    assert {user["username"] for user in kams} == {"kam", "otherkam"}
    assert {user["username"] for user in germans} == {"kam", "leader"}


def test_users_search_by_name(api_for, kam_user):
    UserFactory(username="mmueller", first_name="Maria", last_name="Müller", role=User.Role.REGIONAL)

    found = api_for(kam_user).get("/api/users/", {"search": "müller"}).json()["results"]

    assert [(user["username"], user["country"]) for user in found] == [("mmueller", "")]


def test_users_are_read_only(api_for, admin_user):
    answer = api_for(admin_user).post("/api/users/", {"username": "new"}, format="json")

    assert answer.status_code == 405
    assert not User.objects.filter(username="new").exists()
