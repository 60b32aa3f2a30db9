"""The accounts a colleague reaches through the work handed to them, as a scope of the visibility
rule (kam/visibility.py, named in the settings' KAM_READ_SCOPES)."""

from django.db.models import QuerySet

from kam.models import User
from planning.models import Activity


def accounts_with_open_tasks(user: User) -> QuerySet:
    """Exactly the nodes where `user` holds an open task (assigned, accepted, in progress): not
    their parents, children or siblings; declining or finishing the task ends it."""
    return Activity.objects.held().filter(assignee_id=user.pk).values("account_id")
