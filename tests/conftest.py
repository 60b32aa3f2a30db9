import pytest
from rest_framework.test import APIClient

from kam.models import User
from tests.factories import GroupFactory, UserFactory
from tests.workers import dead_broker, queue_name, real_broker, worker  # noqa: F401 (the job tests' fixtures)


@pytest.fixture
def kam_user(db) -> User:
    return UserFactory(username="kam", role=User.Role.KAM, country="DE")


@pytest.fixture
def other_kam(db) -> User:
    return UserFactory(username="otherkam", role=User.Role.KAM, country="FR")


@pytest.fixture
def leader(db) -> User:
    return UserFactory(username="leader", role=User.Role.LEADERSHIP, country="DE")


@pytest.fixture
def regional(db) -> User:
    return UserFactory(username="regional", role=User.Role.REGIONAL, country="BR")


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(username="admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def group(kam_user):
    """A key account group owned by `kam_user`."""
    return GroupFactory(name="Daimler", owner=kam_user)


@pytest.fixture
def client_for(client):
    """Log the test client in as the given user: `client_for(user).get(...)`."""

    def login(user: User):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api_for():
    """An API client logged in as the given user: `api_for(user).get("/api/...")`."""

    def login(user: User) -> APIClient:
        api = APIClient()
        api.force_login(user)
        return api

    return login


@pytest.fixture
def team_kam(db) -> User:
    """A KAM who owns nothing and is put on the team of single nodes by the tests."""
    return UserFactory(username="teamkam", role=User.Role.KAM, country="BR")


@pytest.fixture
def inactive_kam(db) -> User:
    return UserFactory(username="gone", role=User.Role.KAM, is_active=False)
