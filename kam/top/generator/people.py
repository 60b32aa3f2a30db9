"""People at the customer: stakeholders on the nodes with roles, influence, attitude, reporting
lines and relationship owners, their positions (some changed jobs inside the group), and the
informal influence links between them."""

from collections.abc import Iterator
from datetime import timedelta
from itertools import accumulate

from kam.top.generator import names
from kam.top.generator.world import Colleague, Node, Person, Weights, World, ascii_slug
from stakeholders.demo import CAST
from stakeholders.models import Stakeholder

# Where people sit: many at the headquarters, fewer further down.
NODE_WEIGHT = {"group": 0.3, "headquarters": 8, "subsidiary": 2, "brand": 1.2, "branch": 1, "participation": 0.8}
# The first person on a node heads it; the others fill every buying-centre role.
HEAD_ROLES = Weights(
    {"decision_maker": 40, "economic_buyer": 15, "influencer": 30, "technical_buyer": 10, "champion": 5}
)
OTHER_ROLES = Weights({"decision_maker": 8, "economic_buyer": 12, "technical_buyer": 18, "user": 25,
                       "influencer": 12, "gatekeeper": 10, "champion": 15})  # fmt: skip
INFLUENCE = Weights({1: 20, 2: 30, 3: 30, 4: 15, 5: 5})
ATTITUDES = Weights({"champion": 10, "supporter": 30, "neutral": 35, "skeptic": 17, "opponent": 8})
FOREIGN_NAME = 0.15  # people whose name comes from another language than their node's country
REPORTS_TO_HEAD = 0.7  # a person reports to the head of their node (else to anyone above them there)
HEAD_REPORTS_UP = 0.75  # the head of a node reports to the head of the nearest node above with people
OWNED_KEY, OWNED_OTHER = 0.9, 0.35  # share of key people and of the others with a relationship owner
JOB_CHANGE = 0.1
# seed_demo finds its cast by name alone: nobody generated may share a name with them.
DEMO_NAMES = frozenset((person.first_name, person.last_name) for person in CAST)
LINKS_PER_PERSON = 1 / 8
LINK_KINDS = Weights({"influences": 50, "allied": 30, "rival": 20})

STAKEHOLDER_COLUMNS = ("id", "created_at", "updated_at", "account_id", "first_name", "last_name", "job_title",
                       "email", "phone", "reports_to_id", "buying_role", "influence", "attitude", "rising",
                       "cadence_days", "relationship_owner_id")  # fmt: skip
POSITION_COLUMNS = ("stakeholder_id", "account_id", "job_title", "started_on", "ended_on")


def build_people(world: World) -> int:
    """Place the stakeholders, write them and their positions; returns the number of people."""
    rng = world.rng
    nodes = [node for group in world.groups for node in group.nodes]
    weights = [NODE_WEIGHT[n.kind] / (1 + 0.3 * max(n.level - 2, 0)) for n in nodes]
    per_node = [0] * len(nodes)
    for index in rng.choices(range(len(nodes)), cum_weights=list(accumulate(weights)), k=world.size.stakeholders):
        per_node[index] += 1
    counts = dict(zip((n.id for n in nodes), per_node, strict=True))
    next_id = world.loader.reserve_ids("stakeholders_stakeholder", world.size.stakeholders)
    for group in world.groups:
        for node in group.nodes:  # parents before children: managers exist before their reports
            for position in range(counts[node.id]):
                person = _person(world, node, next_id, head=position == 0)
                node.people.append(person)
                group.people.append(person)
                next_id += 1
    written = world.loader.insert("stakeholders_stakeholder", STAKEHOLDER_COLUMNS, _stakeholder_rows(world))
    world.loader.insert("stakeholders_position", POSITION_COLUMNS, _position_rows(world))
    return written


def _person(world: World, node: Node, pk: int, *, head: bool) -> Person:
    rng = world.rng
    language = names.COUNTRIES[node.country].language
    if rng.random() < FOREIGN_NAME:
        language = rng.choice(sorted(names.FIRST_NAMES))
    role = (HEAD_ROLES if head else OTHER_ROLES).draw(rng)
    if head:
        influence = 5 if node.level <= 2 else rng.choice((4, 5)) if node.level == 3 else rng.choice((3, 4, 5))
    else:
        influence = INFLUENCE.draw(rng)
    first_name, last_name = rng.choice(names.FIRST_NAMES[language]), rng.choice(names.LAST_NAMES[language])
    while (first_name, last_name) in DEMO_NAMES:
        first_name, last_name = rng.choice(names.FIRST_NAMES[language]), rng.choice(names.LAST_NAMES[language])
    person = Person(
        id=pk,
        node=node,
        first_name=first_name,
        last_name=last_name,
        role=role,
        influence=influence,
        attitude=ATTITUDES.draw(rng),
        job_title=rng.choice(names.JOB_TITLES[role][0 if head else 1]),
    )
    person.manager = _manager(world, node, head=head)
    if rng.random() < (OWNED_KEY if person.is_key else OWNED_OTHER):
        person.owner = _owner(world, person)
    return person


def _manager(world: World, node: Node, *, head: bool) -> Person | None:
    """Someone placed before this person: the org chart has no cycles by construction."""
    rng = world.rng
    if not head:
        return node.people[0] if rng.random() < REPORTS_TO_HEAD else rng.choice(node.people)
    above = node.parent
    while above is not None and not above.people:
        above = above.parent
    return above.people[0] if above is not None and rng.random() < HEAD_REPORTS_UP else None


def _owner(world: World, person: Person) -> Colleague:
    """Who on our side is accountable for the relationship: mostly the local account manager
    of the person's country or the group's KAM; the executive sponsor for the top people."""
    rng, group = world.rng, person.node.group
    local = group.local.get(person.node.country)
    sponsors = [c for _n, c, role in group.team if role == "executive_sponsor"]
    if sponsors and person.influence == 5 and person.node.level <= 2 and rng.random() < 0.3:
        return rng.choice(sponsors)
    if local is not None and rng.random() < 0.55:
        return local
    return group.owner if rng.random() < 0.85 else rng.choice(group.colleagues)


def _stakeholder_rows(world: World) -> Iterator[tuple]:
    rng, now = world.rng, world.now
    for group in world.groups:
        domain = f"{group.stem.lower()}.example"
        for p in group.people:
            created = now - timedelta(days=rng.randint(400, 2000))
            email = f"{_mailbox(p.first_name)}.{_mailbox(p.last_name)}@{domain}"
            phone = f"{names.COUNTRIES[p.node.country].phone} {rng.randint(100, 999)} {rng.randint(100000, 9999999)}"
            rising = rng.random() < (0.08 if 2 <= p.influence <= 4 else 0.02)
            yield (
                p.id, created, now, p.node.id, p.first_name, p.last_name, p.job_title, email, phone,
                p.manager.id if p.manager else None, p.role, p.influence, p.attitude, rising,
                Stakeholder.DEFAULT_CADENCE_DAYS[p.role], p.owner.id if p.owner else None,
            )  # fmt: skip


def _position_rows(world: World) -> Iterator[tuple]:
    """The current position of everybody, and the one before for those who changed jobs."""
    rng, today = world.rng, world.today
    for group in world.groups:
        for p in group.people:
            started = today - timedelta(days=rng.randint(60, 3650))
            yield (p.id, p.node.id, p.job_title, started, None)
            if rng.random() < JOB_CHANGE:
                before = p.node.parent if p.node.level > 2 else rng.choice(group.nodes[1:])
                title = rng.choice(names.JOB_TITLES[rng.choice(("user", "champion", "technical_buyer"))][1])
                ended = started - timedelta(days=1)
                yield (p.id, before.id, title, ended - timedelta(days=rng.randint(300, 2500)), ended)


def _mailbox(name: str) -> str:
    return ascii_slug(name.replace(" ", "-")) or "contact"


# --- influence links ------------------------------------------------------------------------------


def build_links(world: World) -> int:
    """Who sways whom beside the org chart: between people of one node, or with their manager."""
    rng = world.rng
    people = [p for group in world.groups for p in group.people]
    wanted = int(len(people) * LINKS_PER_PERSON)
    seen: set[tuple[int, int, str]] = set()
    rows = []
    for _attempt in range(wanted * 3):
        if len(rows) == wanted:
            break
        source = rng.choice(people)
        target = source.manager if source.manager and rng.random() < 0.4 else rng.choice(source.node.people)
        kind = LINK_KINDS.draw(rng)
        if target is source or (source.id, target.id, kind) in seen:
            continue
        seen.add((source.id, target.id, kind))
        rows.append((world.now, world.now, source.id, target.id, kind, rng.randint(1, 3)))
    columns = ("created_at", "updated_at", "source_id", "target_id", "kind", "strength")
    return world.loader.insert("stakeholders_influencelink", columns, rows)
