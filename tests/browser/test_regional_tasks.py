import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Account
from kam.models import User
from planning.demo import seed_plan
from planning.models import Activity, ActivityEvent

pytestmark = pytest.mark.browser

TASK = "Plant audit Iracemápolis"


@pytest.fixture
def demo_plan(demo):
    # seed_demo may already call seed_plan; it is idempotent, so calling it again is harmless.
    accounts = {account.name: account for account in Account.objects.all()}
    users = {user.username: user for user in User.objects.all()}
    return seed_plan(accounts=accounts, users=users, year=timezone.localdate().year)


def test_regional_colleague_accepts_and_completes_a_task(demo_plan, log_in):
    page = log_in("regional")
    expect(page.get_by_role("heading", name="My tasks", exact=True)).to_be_visible()

    task = page.locator("li.task", has_text=TASK)
    expect(task).to_contain_text("Mercedes-Benz Iracemápolis")
    expect(task).to_contain_text("A reference plant in Brazil")  # the objective: why it matters
    expect(task.locator(".badge")).to_have_text("assigned")

    task.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("You accepted the task.")).to_be_visible()
    task = page.locator("li.task", has_text=TASK)
    expect(task.locator(".badge")).to_have_text("accepted")

    task.get_by_role("button", name="Complete").click()
    expect(page.get_by_text("Done. The key account manager was told.")).to_be_visible()
    expect(page.locator("li.task", has_text=TASK)).to_have_count(0)  # off the to-do list

    activity = Activity.objects.get(title=TASK)
    assert activity.status == "done"
    assert list(ActivityEvent.objects.filter(activity=activity).values_list("kind", flat=True))[-2:] == [
        "accepted",
        "completed",
    ]
    # The task is done: the node is no longer the colleague's to see (the other open task is on do Brasil).
    answer = page.goto(f"/accounts/{activity.account_id}/")
    assert answer.status == 404
