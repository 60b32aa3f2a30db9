"""The demo plan for the article's example group (called by `seed_demo`).

Idempotent like the rest of the demo: the plan is keyed by account and year, objectives and
activities by title within the plan, requests by account and title. A second run puts every
row back to the demo's state (statuses, dates relative to today) and adds none. Statuses are
written directly rather than walked through the workflow, with the history each would have
left, so that every run tells the same story.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, ProductLine
from kam.models import User
from planning.models import AccountPlan, Activity, ActivityEvent, Capacity, Notification, Objective, Request
from stakeholders.models import Stakeholder

S = Activity.Status
M = Objective.Metric

# title: (metric, product line code, target, typed-in value, why it matters)
OBJECTIVES = {
    "Grow automation revenue": (
        M.REVENUE_PRODUCT_LINE,
        "AUT",
        14_000_000,
        None,
        "Automation is where Daimler's plants invest next; every new line we win locks in service for a decade.",
    ),
    "Warm relationships with the decision-makers": (
        M.WARM_DECISION_MAKERS,
        None,
        12,
        None,
        "The group decides centrally but listens to its plant managers: we need both ends warm.",
    ),
    "Accounts buying from us": (
        M.NODES_WITH_REVENUE,
        None,
        20,
        None,
        "Warm acquisition: every node of the group that does not buy yet is the cheapest new customer we have.",
    ),
    "A reference plant in Brazil": (
        M.MANUAL,
        None,
        1,
        0,
        "Iracemápolis is the first plant outside Germany to run our line control; a reference there opens "
        "the other São Paulo plants.",
    ),
}


@dataclass(frozen=True)
class DemoActivity:
    title: str
    account: str
    objective: str | None
    status: str
    assignee: str | None
    impact: int
    urgency: int
    effort: int
    due_in_days: int | None
    description: str = ""
    decline_reason: str = ""


# fmt: off
ACTIVITIES = (
    DemoActivity("Present the automation roadmap to the board", "Daimler AG", "Grow automation revenue",
                 S.IN_PROGRESS, "kam", 5, 4, 16, 10, "Twenty minutes in the March board meeting; the CPO invited us."),
    DemoActivity("Plant audit Iracemápolis", "Mercedes-Benz Iracemápolis", "A reference plant in Brazil",
                 S.ASSIGNED, "regional", 4, 4, 12, 7,
                 "Walk the line with the plant manager, list what slows the changeovers, agree on a pilot."),
    DemoActivity("Multi-year service contract for do Brasil", "Mercedes-Benz do Brasil", "Grow automation revenue",
                 S.ACCEPTED, "regional", 4, 3, 8, 3, "Purchasing asked for it (see the request)."),
    DemoActivity("Training needs workshop Iracemápolis", "Mercedes-Benz Iracemápolis", "A reference plant in Brazil",
                 S.DECLINED, "regional", 2, 2, 6, 14,
                 decline_reason="The plant is shut down until April; ask again in Q2."),
    DemoActivity("Whitespace check Mercedes-EQ", "Mercedes-EQ", "Accounts buying from us",
                 S.ACCEPTED, "kam", 4, 5, 6, -2, "EQ buys nothing from us yet; the potential says 4 million."),
    DemoActivity("Intralogistics pitch at Werk Sindelfingen", "Mercedes-Benz Werk Sindelfingen",
                 "Accounts buying from us", S.OPEN, None, 3, 3, 24, 20),
    DemoActivity("Introduce our software lead to Mercedes-AMG", "Mercedes-AMG",
                 "Warm relationships with the decision-makers", S.DONE, "kam", 3, 4, 2, -12),
    DemoActivity("Find the new head of production at Fuso", "Mitsubishi Fuso Truck and Bus",
                 "Warm relationships with the decision-makers", S.OPEN, None, 4, 2, 10, 30),
    DemoActivity("Plant visit Vance", "Mercedes-Benz U.S. International", "Grow automation revenue",
                 S.OPEN, None, 4, 2, 40, 45),
    DemoActivity("Service review Daimler Buses", "Daimler Buses", None, S.DONE, "kam", 2, 3, 4, -20),
    DemoActivity("Pilot the production software at Daimler Truck", "Daimler Truck", "Grow automation revenue",
                 S.ACCEPTED, "kam", 5, 3, 60, -5),
    DemoActivity("Automation potential study for the Vans plants", "Mercedes-Benz Vans", None,
                 S.CANCELLED, None, 3, 2, 30, None, "Vans postponed all line investments to next year."),
)

# (account, title, source, requested by, logged by, status, decline reason, activity title)
REQUESTS = (
    ("Mercedes-Benz do Brasil", "Multi-year service contract", Request.Source.CUSTOMER,
     "Purchasing, Mercedes-Benz do Brasil", "regional", Request.Status.ACCEPTED, "",
     "Multi-year service contract for do Brasil"),
    ("Daimler AG", "Push the new training catalogue in every plant", Request.Source.INTERNAL,
     "Product management Training", "kam", Request.Status.DECLINED,
     "Training is no focus for Daimler this year: the plan's hours go to automation.", None),
    ("Mercedes-Benz Iracemápolis", "Free on-site training for new hires", Request.Source.CUSTOMER,
     "Plant HR Iracemápolis", "regional", Request.Status.DECLINED,
     "We sell training; offer the standard package with the service contract instead.", None),
    ("Daimler AG", "Pilot the new vision sensors", Request.Source.INTERNAL,
     "Product management Sensors", "kam", Request.Status.NEW, "", None),
    ("Mercedes-EQ", "Retrofit study for the battery line", Request.Source.CUSTOMER,
     "EQ plant engineering", "kam", Request.Status.NEW, "", None),
)
# fmt: on

CAPACITY = {"kam": Decimal(16), "regional": Decimal(8)}

# The history each status leaves behind: (event, who acts: "kam" or "assignee").
HISTORY = {
    S.OPEN: (),
    S.ASSIGNED: (("assigned", "kam"),),
    S.ACCEPTED: (("assigned", "kam"), ("accepted", "assignee")),
    S.DECLINED: (("assigned", "kam"), ("declined", "assignee")),
    S.IN_PROGRESS: (("assigned", "kam"), ("accepted", "assignee"), ("started", "assignee")),
    S.DONE: (("assigned", "kam"), ("accepted", "assignee"), ("started", "assignee"), ("completed", "assignee")),
    S.CANCELLED: (("cancelled", "kam"),),
}

EVENT_STATUS = {
    "assigned": S.ASSIGNED,
    "accepted": S.ACCEPTED,
    "declined": S.DECLINED,
    "started": S.IN_PROGRESS,
    "completed": S.DONE,
    "cancelled": S.CANCELLED,
}


def seed_plan(*, accounts: dict[str, Account], users: dict[str, User], year: int) -> AccountPlan:
    """The Daimler plan for `year`: objectives, a dozen activities (some handed to the Brazilian
    colleague), accepted and declined requests, the team's capacity."""
    with transaction.atomic():
        plan, _created = AccountPlan.objects.update_or_create(
            account=accounts["Daimler"],
            year=year,
            defaults={
                "title": f"Daimler {year}: automation across the group",
                "summary": "Win the next automation wave in the German plants, make Iracemápolis our reference "
                "in Brazil, and turn the untapped nodes of the group (EQ, Vans, Fuso) into customers.",
                "created_by": users["kam"],
            },
        )
        objectives = {title: _objective(plan, title, spec) for title, spec in OBJECTIVES.items()}
        activities = {spec.title: _activity(plan, spec, accounts, users, objectives) for spec in ACTIVITIES}
        for spec in REQUESTS:
            _request(spec, accounts, users, activities)
        for username, hours in CAPACITY.items():
            Capacity.objects.update_or_create(user=users[username], defaults={"hours_per_week": hours})
    return plan


def _objective(plan: AccountPlan, title: str, spec: tuple) -> Objective:
    metric, line_code, target, value, why = spec
    line = ProductLine.objects.filter(code=line_code).first() if line_code else None
    if metric == M.REVENUE_PRODUCT_LINE and line is None:
        metric = M.REVENUE_TOTAL
    objective, _created = Objective.objects.update_or_create(
        plan=plan,
        title=title,
        defaults={
            "metric": metric,
            "product_line": line,
            "target_value": Decimal(target),
            "current_value": None if value is None else Decimal(value),
            "description": why,
        },
    )
    return objective


def _activity(
    plan: AccountPlan,
    spec: DemoActivity,
    accounts: dict[str, Account],
    users: dict[str, User],
    objectives: dict[str, Objective],
) -> Activity:
    today = timezone.localdate()
    kam, assignee = users["kam"], users.get(spec.assignee) if spec.assignee else None
    account = accounts[spec.account]
    activity, _created = Activity.objects.update_or_create(
        plan=plan,
        title=spec.title,
        defaults={
            "account": account,
            "objective": objectives.get(spec.objective) if spec.objective else None,
            "description": spec.description,
            "status": spec.status,
            "assignee": assignee,
            "assigned_by": kam if assignee else None,
            "impact": spec.impact,
            "urgency": spec.urgency,
            "effort_hours": Decimal(spec.effort),
            "due_on": None if spec.due_in_days is None else today + timedelta(days=spec.due_in_days),
            "decline_reason": spec.decline_reason,
            "created_by": kam,
            "completed_at": timezone.now() - timedelta(days=1) if spec.status == S.DONE else None,
        },
    )
    activity.stakeholders.set(Stakeholder.objects.filter(account=account).order_by("-influence", "pk")[:2])
    _history(activity, kam, assignee, spec)
    if spec.status == S.ASSIGNED and assignee and assignee != kam:
        Notification.objects.get_or_create(
            user=assignee, kind=Notification.Kind.ASSIGNED, activity=activity, defaults={"actor": kam}
        )
    if spec.status == S.DECLINED:
        Notification.objects.get_or_create(
            user=kam,
            kind=Notification.Kind.DECLINED,
            activity=activity,
            defaults={"actor": assignee, "note": spec.decline_reason},
        )
    return activity


def _history(activity: Activity, kam: User, assignee: User | None, spec: DemoActivity) -> None:
    activity.events.all().delete()
    ActivityEvent.objects.create(activity=activity, kind="created", actor=kam, to_status=S.OPEN)
    status = S.OPEN
    for kind, who in HISTORY[spec.status]:
        ActivityEvent.objects.create(
            activity=activity,
            kind=kind,
            actor=kam if who == "kam" else assignee,
            assignee=assignee if kind == "assigned" else None,
            from_status=status,
            to_status=EVENT_STATUS[kind],
            note=spec.decline_reason if kind == "declined" else "",
        )
        status = EVENT_STATUS[kind]


def _request(
    spec: tuple, accounts: dict[str, Account], users: dict[str, User], activities: dict[str, Activity]
) -> None:
    account, title, source, requested_by, logged_by, status, reason, activity_title = spec
    decided = status != Request.Status.NEW
    Request.objects.update_or_create(
        account=accounts[account],
        title=title,
        defaults={
            "source": source,
            "requested_by": requested_by,
            "logged_by": users[logged_by],
            "status": status,
            "decline_reason": reason,
            "activity": activities.get(activity_title) if activity_title else None,
            "decided_by": users["kam"] if decided else None,
            "decided_at": timezone.now() - timedelta(days=3) if decided else None,
        },
    )
