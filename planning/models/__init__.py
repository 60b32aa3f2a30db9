"""Account plans and their objectives, activities (the work, handed to colleagues anywhere),
requests from all sides and how they were triaged, capacity, notifications.

Django finds an app's models in its `models` module: every model is imported here, and
`new_calendar_token`, which migration 0001 names as `planning.models.new_calendar_token`.
"""

from planning.models.activities import Activity, ActivityEvent
from planning.models.plans import AccountPlan, Objective
from planning.models.requests import Request
from planning.models.team import CalendarFeed, Capacity, Notification, new_calendar_token

__all__ = [
    "AccountPlan",
    "Activity",
    "ActivityEvent",
    "CalendarFeed",
    "Capacity",
    "Notification",
    "Objective",
    "Request",
    "new_calendar_token",
]
