"""The embedded default: without REDIS_URL, Celery tasks run in-process, so the app works with no
broker and no worker at all."""

import json
import os
import subprocess
import sys

from accounts import recompute
from accounts.models import AccountSnapshot, StaleGroup
from kam.jobs import send_now
from kam.top.tasks import potential_catch_up_task
from tests.factories import AccountFactory, GroupFactory
from tests.workers import PROJECT

SHOW_CELERY = (
    "import json, django; django.setup(); from kam.celery import app; "
    "print(json.dumps({'eager': app.conf.task_always_eager, 'broker': app.conf.broker_url}))"
)


def celery_settings(**variables: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")}
    env |= {"DJANGO_SETTINGS_MODULE": "kam.settings", "SECRET_KEY": "x" * 50, **variables}
    result = subprocess.run(
        [sys.executable, "-c", SHOW_CELERY], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_redis_url_tasks_run_in_process():
    assert celery_settings() == {"eager": True, "broker": "memory://"}


def test_with_redis_url_tasks_go_to_the_broker():
    assert celery_settings(REDIS_URL="redis://127.0.0.1:6379/3") == {
        "eager": False,
        "broker": "redis://127.0.0.1:6379/3",
    }


def test_an_eager_task_does_its_work_before_the_call_returns(kam_user, django_capture_on_commit_callbacks):
    group = GroupFactory(owner=kam_user)
    AccountFactory(parent=group)

    with django_capture_on_commit_callbacks(execute=True):
        recompute.mark_stale([group.pk])

    assert AccountSnapshot.objects.filter(group=group).count() == 2
    assert not StaleGroup.objects.exists()
    assert send_now(potential_catch_up_task) is True
