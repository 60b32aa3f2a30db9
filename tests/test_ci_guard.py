import os

import pytest
from django.db import connection


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="only CI must run on PostgreSQL")
def test_ci_runs_the_suite_on_postgresql(db):
    # A CI job that lost its DATABASE_URL would otherwise pass quietly on SQLite.
    assert connection.vendor == "postgresql", (
        f"CI=true but the tests run on {connection.vendor}: set DATABASE_URL=postgres://…"
    )
