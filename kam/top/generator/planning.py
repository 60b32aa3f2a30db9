"""Account plans for this year on most groups: objectives of every metric, activities in every
status (some handed to regional colleagues in their country, some overdue) with the history
and notifications each status leaves behind, and triaged requests."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from accounts.demo import PRODUCT_LINES
from kam.top.generator.world import Colleague, Group, Node, Weights, World
from planning.demo import EVENT_STATUS, HISTORY
from planning.priority import score

PLANNED = 0.85  # share of groups with a plan for this year
MAX_OBJECTIVES, MAX_ACTIVITIES, MAX_REQUESTS = 4, 10, 4
STATUSES = Weights({"open": 20, "assigned": 15, "accepted": 15, "in_progress": 15, "done": 20, "cancelled": 5,
                    "declined": 10})  # fmt: skip
HANDED_OVER = ("assigned", "accepted", "in_progress", "declined", "done")
EFFORTS = (2, 4, 6, 8, 12, 16, 24, 40, 60, 80, 120)
LOCAL_ASSIGNEE = 0.7  # a handed-over activity goes to the local account manager of its node's country
THEMES = ("automation across the group", "grow the service business", "win the untapped nodes",
          "secure the frame agreement", "from pilot plant to group standard")  # fmt: skip
ACTIVITIES = ("Whitespace check {node}", "Plant audit {city}", "Present the automation roadmap at {node}",
              "Service contract renewal {node}", "Training needs workshop {city}", "Intralogistics pitch at {node}",
              "Introduce our software lead to {node}", "Find the new head of production at {node}",
              "Retrofit study for {node}", "Reference visit for {node}", "Price review with purchasing at {node}",
              "Pilot the production software at {node}")  # fmt: skip
DECLINES = ("No capacity before next quarter; ask again then.", "The plant is shut down for retooling until spring.",
            "Not a priority for the customer this year.", "Our distributor already covers this node.")  # fmt: skip
REQUESTS = (("Pilot the new vision sensors", "internal", "Product management Sensors"),
            ("Push the new training catalogue in every plant", "internal", "Product management Training"),
            ("Retrofit study for line {n}", "customer", "Plant engineering {city}"),
            ("Free on-site training for new hires", "customer", "Plant HR {city}"),
            ("Multi-year service contract", "customer", "Purchasing, {node}"),
            ("Remote maintenance offer", "customer", "Maintenance {city}"),
            ("Joint press release on the pilot", "internal", "Marketing"))  # fmt: skip
REQUEST_STATUSES = Weights({"new": 40, "accepted": 30, "declined": 30})
REQUEST_DECLINES = ("No focus for this customer this year: the plan's hours go to automation.",
                    "We sell this; offer the standard package with the service contract instead.",
                    "Out of scope of the frame agreement.")  # fmt: skip

COLUMNS = {
    "planning_accountplan": ("id", "created_at", "updated_at", "account_id", "year", "title", "summary",
                             "created_by_id"),
    "planning_objective": ("id", "created_at", "updated_at", "plan_id", "title", "description", "metric",
                           "product_line_id", "target_value", "current_value"),
    "planning_activity": ("id", "created_at", "updated_at", "account_id", "plan_id", "objective_id", "title",
                          "description", "assignee_id", "assigned_by_id", "due_on", "status", "impact", "urgency",
                          "effort_hours", "priority_score", "decline_reason", "created_by_id", "completed_at"),
    "planning_activity_stakeholders": ("activity_id", "stakeholder_id"),
    "planning_activityevent": ("activity_id", "kind", "actor_id", "assignee_id", "from_status", "to_status", "note",
                               "created_at"),
    "planning_request": ("id", "created_at", "updated_at", "account_id", "title", "description", "source",
                         "requested_by", "status", "decline_reason", "activity_id", "logged_by_id", "decided_by_id",
                         "decided_at"),
    "planning_notification": ("user_id", "kind", "actor_id", "activity_id", "request_id", "note", "created_at",
                              "read_at"),
}  # fmt: skip


@dataclass
class Ids:
    """The next free id per table, from blocks reserved for the most rows there can be."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        self.next[table] += 1
        return self.next[table] - 1


def build_plans(world: World) -> int:
    rng, groups = world.rng, world.groups
    planned = [g for i, g in enumerate(groups) if i == 0 or rng.random() < PLANNED]
    most = {"planning_accountplan": 1, "planning_objective": MAX_OBJECTIVES, "planning_activity": MAX_ACTIVITIES,
            "planning_request": MAX_REQUESTS}  # fmt: skip
    ids = Ids({table: world.loader.reserve_ids(table, n * len(planned)) for table, n in most.items()})
    rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS}
    for group in planned:
        _plan(world, group, ids, rows)
    return sum(world.loader.insert(table, COLUMNS[table], rows[table]) for table in COLUMNS)


def _plan(world: World, group: Group, ids: Ids, rows: dict[str, list[tuple]]) -> None:
    rng, now, kam = world.rng, world.now, group.owner
    plan_id, created = ids.take("planning_accountplan"), now - timedelta(days=rng.randint(30, 120))
    title = f"{group.root.name} {world.year}: {rng.choice(THEMES)}"
    summary = (
        f"Grow with {group.root.name} across its {len(group.nodes):,} companies: deepen the relationships with "
        f"the decision-makers, turn untapped nodes into customers, and keep the team's hours on what pays."
    )
    rows["planning_accountplan"].append((plan_id, created, now, group.root.id, world.year, title, summary, kam.id))
    objectives = []
    for title, metric, line_id, target, current, why in _objectives(world, group):
        objective_id = ids.take("planning_objective")
        objectives.append(objective_id)
        rows["planning_objective"].append(
            (objective_id, created, now, plan_id, title, why, metric, line_id, target, current)
        )
    # The first activity goes to a regional colleague, on a node in their own country, where there is one.
    local_nodes = [n for n in group.nodes[1:] if (c := group.local.get(n.country)) and c.country == n.country]
    activities = []
    for number in range(rng.randint(3, MAX_ACTIVITIES)):
        handed = number == 0 and bool(local_nodes)
        node = rng.choice(local_nodes if handed else group.nodes[1:])
        objective = rng.choice(objectives) if rng.random() < 0.7 else None
        local = group.local[node.country] if handed else None
        activities.append(_activity(world, group, node, plan_id, objective, ids, rows, handed_to=local))
    linked: set[int] = set()  # activities that came from a request: each from one at most
    for _ in range(rng.randint(1, MAX_REQUESTS)):
        _request(world, group, activities, linked, ids, rows)


def _objectives(world: World, group: Group) -> list[tuple]:
    rng = world.rng
    deciders = sum(p.role in ("decision_maker", "economic_buyer") for p in group.people)
    code = max(group.revenue, key=group.revenue.get) if group.revenue and rng.random() < 0.6 else "AUT"
    line_revenue = group.revenue.get(code, Decimal(0))
    total = sum(group.revenue.values(), Decimal(0))
    untapped = max(2, round(0.15 * len(group.nodes)))
    options = [
        ("Grow revenue across the group", "revenue_total", None, _money(total * Decimal(rng.uniform(1.08, 1.3))),
         None, "Every node that buys more from us makes the frame agreement harder to replace."),
        (f"Grow {PRODUCT_LINES.get(code, code).lower()} revenue", "revenue_product_line", world.product_lines[code],
         _money(max(line_revenue, Decimal(200_000)) * Decimal(rng.uniform(1.2, 1.5))), None,
         "Where the group invests next; every line we win locks in service for a decade."),
        ("Warm relationships with the decision-makers", "warm_decision_makers", None,
         Decimal(max(2, round(0.6 * deciders))), None,
         "The group decides centrally but listens to its plant managers: we need both ends warm."),
        ("Accounts buying from us", "nodes_with_revenue", None,
         Decimal(min(len(group.nodes), group.nodes_with_revenue + untapped)), None,
         "Warm acquisition: a node of a known group is the cheapest new customer we have."),
        ("Reference plants signed", "manual", None, Decimal(rng.randint(1, 3)), Decimal(rng.randint(0, 1)),
         "A reference visit convinces the next plant faster than any offer."),
    ]  # fmt: skip
    first = options[rng.randint(0, 1)]
    return [first, *rng.sample([o for o in options if o is not first], rng.randint(1, MAX_OBJECTIVES - 1))]


def _activity(
    world: World, group: Group, node: Node, plan_id: int, objective: int | None, ids: Ids, rows, *, handed_to=None
) -> tuple:
    rng, now, today, kam = world.rng, world.now, world.today, group.owner
    pk, status = ids.take("planning_activity"), STATUSES.draw(rng)
    if handed_to is not None:
        status = rng.choice(HANDED_OVER)
    assignee = None if status == "open" or (status == "cancelled" and rng.random() < 0.6) else _assignee(world, node)
    assignee = handed_to or assignee
    due = today + timedelta(days=rng.randint(-45, 120))
    if status == "done":
        due = today - timedelta(days=rng.randint(1, 60))
    created = now - timedelta(days=rng.randint(20, 120))
    completed = now - timedelta(days=rng.randint(1, 15)) if status == "done" else None
    reason = rng.choice(DECLINES) if status == "declined" else ""
    impact, urgency, effort = rng.randint(1, 5), rng.randint(1, 5), Decimal(rng.choice(EFFORTS))
    title = rng.choice(ACTIVITIES).format(node=node.name, city=node.city)
    rows["planning_activity"].append((
        pk, created, now, node.id, plan_id, objective, title, "", assignee.id if assignee else None,
        kam.id if assignee else None, due, status, impact, urgency, effort, score(impact, urgency, effort), reason,
        kam.id, completed,
    ))  # fmt: skip
    for person in rng.sample(node.people, min(len(node.people), rng.randint(0, 2))):
        rows["planning_activity_stakeholders"].append((pk, person.id))
    _history(world, pk, status, kam, assignee, created, reason, rows)
    return pk, status, assignee


def _assignee(world: World, node: Node) -> Colleague:
    rng, group = world.rng, node.group
    local = group.local.get(node.country)
    if local is not None and rng.random() < LOCAL_ASSIGNEE:
        return local
    return group.owner if rng.random() < 0.7 else rng.choice(group.colleagues)


def _history(world, pk, status, kam, assignee, created, reason, rows) -> None:
    """The events the status would have left (as in the demo plan), and who heard about it."""
    rng, now = world.rng, world.now
    events = rows["planning_activityevent"]
    events.append((pk, "created", kam.id, None, "", "open", "", created))
    at, current = created, "open"
    for kind, who in HISTORY[status]:
        at = min(now, at + timedelta(hours=rng.randint(2, 240)))
        actor = kam if who == "kam" else assignee
        target = assignee.id if kind == "assigned" else None
        after = str(EVENT_STATUS[kind])
        events.append((pk, kind, actor.id, target, current, after, reason if kind == "declined" else "", at))
        current = after
    notes = rows["planning_notification"]
    read = now if rng.random() < 0.5 else None
    if status == "assigned" and assignee is not kam:
        notes.append((assignee.id, "assigned", kam.id, pk, None, "", at, read))
    if status == "declined":
        notes.append((kam.id, "declined", assignee.id, pk, None, reason, at, read))
    if status == "done" and assignee is not kam:
        notes.append((kam.id, "completed", assignee.id, pk, None, "", at, read))


def _request(world: World, group: Group, activities: list[tuple], linked: set[int], ids: Ids, rows) -> None:
    rng, now, kam = world.rng, world.now, group.owner
    node = rng.choice(group.nodes[1:])
    title, source, requested_by = rng.choice(REQUESTS)
    title, requested_by = title.format(n=rng.randint(1, 9)), requested_by.format(city=node.city, node=node.name)
    status, activity = REQUEST_STATUSES.draw(rng), None
    if status == "accepted":
        # A request accepted into the plan became one of its activities.
        free = [a for a in activities if a[1] not in ("cancelled", "declined") and a[0] not in linked]
        activity = rng.choice(free)[0] if free else None
        status = "accepted" if activity else "new"
        linked.add(activity)
    pk, logged_by = ids.take("planning_request"), rng.choice(group.colleagues)
    decided = now - timedelta(days=rng.randint(1, 30)) if status != "new" else None
    created = (decided or now) - timedelta(days=rng.randint(1, 20))
    reason = rng.choice(REQUEST_DECLINES) if status == "declined" else ""
    rows["planning_request"].append((
        pk, created, now, node.id, title, "", source, requested_by, status, reason, activity, logged_by.id,
        kam.id if decided else None, decided,
    ))  # fmt: skip
    if decided and logged_by is not kam:
        kind = "request_declined" if status == "declined" else "request_accepted"
        rows["planning_notification"].append((logged_by.id, kind, kam.id, None, pk, reason, decided, None))


def _money(amount: Decimal) -> Decimal:
    """Whole thousands, like a target someone typed in."""
    return max((amount / 1000).quantize(Decimal(1)) * 1000, Decimal(100_000))
