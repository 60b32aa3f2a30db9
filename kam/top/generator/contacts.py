"""Our relationships with the customer's people, the contacts that feed them, and the gives.

Relationships come first: each person gets one or more colleagues of the group's account team
(their relationship owner first). Interactions are then drawn from the relationships, so that
every colleague in a contact knows every person in it, and more often from the relationships
that matter (the owner's, the key people's); some relationships never had a contact at all.

Each contact and give is credited to its relationships as it is drawn, by the rules of
stakeholders.decay, so that the relationships are written last with their strength, status
and last contact: right without the decay job, and right for the query planner, which reads
the status of every relationship when the first snapshot counts warm decision-makers.
"""

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from itertools import accumulate

from django.utils import timezone

from kam.top.generator import names
from kam.top.generator.bulk import CHUNK
from kam.top.generator.world import Colleague, Person, Weights, World
from stakeholders import decay
from stakeholders.models import Stakeholder

KEY_WEIGHT = 3  # a key person gets this many times the relationships of anybody else
DORMANT = 0.1  # relationships without any contact
OWNER_CONTACTS, KEY_CONTACTS = 3.0, 2.0  # how much more often the owner, and key people, are met
SECOND_COLLEAGUE = 0.25
PEOPLE_PER_CONTACT = Weights({1: 65, 2: 25, 3: 10})
SAME_NODE = 0.7  # further people in a contact come from the first one's node rather than the group
KINDS = Weights({"meeting": 22, "call": 25, "visit": 10, "email": 28, "event": 5, "note": 10})
SENTIMENTS = {  # by the attitude of the first person
    "champion": Weights({"positive": 60, "neutral": 35, "negative": 5}),
    "supporter": Weights({"positive": 50, "neutral": 42, "negative": 8}),
    "neutral": Weights({"positive": 30, "neutral": 55, "negative": 15}),
    "skeptic": Weights({"positive": 20, "neutral": 50, "negative": 30}),
    "opponent": Weights({"positive": 10, "neutral": 45, "negative": 45}),
}
HISTORY_DAYS = 400
RECENCY = 1.7  # > 1: the more recent a day, the more contacts on it
SLOTS = 132  # five-minute slots from 7:00 to 18:00, when contacts happen
# Topics with a line number come as one variant per line 1-9 (drawn as often as one topic).
TOPICS = [topic.format(n=(i % 9) + 1) for topic in names.TOPICS for i in range(9)]
GIVES_PER_RELATIONSHIP = 1 / 25
GIVE_KINDS = Weights({"introduction": 20, "information": 30, "expert_access": 15, "recommendation": 15,
                      "news_pointer": 15, "other": 5})  # fmt: skip

RELATIONSHIP_COLUMNS = ("user_id", "stakeholder_id", "strength", "status", "last_interaction_at", "computed_at",
                        "created_at")  # fmt: skip
INTERACTION_COLUMNS = ("id", "created_at", "updated_at", "account_id", "kind", "occurred_at", "summary", "sentiment",
                       "logged_by_id")  # fmt: skip


def build_relationships(world: World) -> int:
    """Exactly size.relationships distinct (colleague, person) pairs inside the account teams,
    in memory: they are written once their contacts are known (`write_relationships`)."""
    people = [p for group in world.groups for p in group.people]
    pools = {id(group): group.colleagues for group in world.groups}
    caps = [len(pools[id(p.node.group)]) for p in people]
    counts = _relationship_counts(world, people, caps)
    for person, count in zip(people, counts, strict=True):
        group = person.node.group
        person.contacts = _contacts(world, person, pools[id(group)], count)
        person.points, person.last = [0.0] * count, [-1] * count
        for colleague in person.contacts:
            group.by_colleague.setdefault(colleague.id, []).append(person)
            world.pairs.append((colleague, person))
    return len(world.pairs)


def write_relationships(world: World) -> int:
    """The relationships with what their contacts and gives made of them (see stakeholders.decay)."""
    return world.loader.insert("stakeholders_relationship", RELATIONSHIP_COLUMNS, _relationship_rows(world))


def _relationship_rows(world: World) -> Iterator[tuple]:
    rng, now, ages, moments = world.rng, world.now, world.ages, world.moments
    for group in world.groups:
        for person in group.people:
            cadence = Stakeholder.DEFAULT_CADENCE_DAYS[person.role]
            for colleague, points, last in zip(person.contacts, person.points, person.last, strict=True):
                since = ages[last] if last >= 0 else None
                yield (
                    colleague.id, person.id, decay.strength_from([points]), decay.status_from(since, cadence),
                    moments[last] if last >= 0 else None, now, now - timedelta(days=rng.randint(HISTORY_DAYS, 1500)),
                )  # fmt: skip


def _credit(world: World, colleagues: list[Colleague], people: list[Person], base: float, moment: int) -> None:
    """A contact or give at `moment` worth `base` points to each colleague's relationship with
    each person in it."""
    weight, age = world.weights[moment], world.ages[moment]
    for person in people:
        for colleague in colleagues:
            i = person.contacts.index(colleague)
            person.points[i] += base * weight
            if base > 0 and (person.last[i] < 0 or age < world.ages[person.last[i]]):
                person.last[i] = moment


def _relationship_counts(world: World, people: list[Person], caps: list[int]) -> list[int]:
    """How many colleagues know each person: at least one, key people more, never more than
    the team has; adding up to exactly the total."""
    total = world.size.relationships
    if not len(people) <= total <= sum(caps):
        raise ValueError(f"{total:,} relationships do not fit {len(people):,} people and their teams")
    weights = [(KEY_WEIGHT if p.is_key else 1) + (p.owner is not None) for p in people]
    scale = (total - len(people)) / sum(weights)
    counts = [min(cap, 1 + int(w * scale)) for w, cap in zip(weights, caps, strict=True)]
    order = list(range(len(people)))
    world.rng.shuffle(order)
    left = total - sum(counts)
    while left:
        for i in order:
            if left and counts[i] < caps[i]:
                counts[i] += 1
                left -= 1
    return counts


def _contacts(world: World, person: Person, pool: list[Colleague], count: int) -> list[Colleague]:
    rng, group = world.rng, person.node.group
    local = group.local.get(person.node.country)
    chosen = [person.owner] if person.owner else []
    while len(chosen) < count:
        candidates = [c for c in pool if c not in chosen]
        weights = [_closeness(c, person, local) for c in candidates]
        chosen.append(rng.choices(candidates, weights=weights)[0])
    return chosen


def _closeness(colleague: Colleague, person: Person, local: Colleague | None) -> float:
    """How likely a team colleague knows a person: the local account manager best, the KAM
    next; leadership only the influential people."""
    if colleague is local:
        return 4
    if colleague is person.node.group.owner:
        return 3
    return 0.5 if colleague.role == "leadership" and person.influence < 4 else 1


def build_interactions(world: World) -> int:
    """Exactly size.interactions contacts over the last HISTORY_DAYS days, with their people and
    colleagues, written chunk by chunk."""
    rng, pairs, total = world.rng, world.pairs, world.size.interactions
    cumulative = list(accumulate(_contact_weight(world, colleague, person) for colleague, person in pairs))
    first_id = world.loader.reserve_ids("stakeholders_interaction", total)
    for start in range(0, total, CHUNK):
        drawn = rng.choices(pairs, cum_weights=cumulative, k=min(CHUNK, total - start))
        rows, with_people, with_colleagues = [], [], []
        for pk, (colleague, person) in enumerate(drawn, first_id + start):
            colleagues, people = _company(world, colleague, person)
            row, base, moment = _interaction(world, pk, colleague, people)
            rows.append(row)
            _credit(world, colleagues, people, base, moment)
            for other in people:
                with_people.append((pk, other.id))
            for other in colleagues:
                with_colleagues.append((pk, other.id))
        world.loader.insert("stakeholders_interaction", INTERACTION_COLUMNS, rows)
        world.loader.insert("stakeholders_interaction_stakeholders", ("interaction_id", "stakeholder_id"), with_people)
        world.loader.insert("stakeholders_interaction_colleagues", ("interaction_id", "user_id"), with_colleagues)
    return total


def _contact_weight(world: World, colleague: Colleague, person: Person) -> float:
    rng = world.rng
    if rng.random() < DORMANT:
        return 0.0
    weight = rng.lognormvariate(0, 0.8)
    if colleague is person.owner:
        weight *= OWNER_CONTACTS
    return weight * (KEY_CONTACTS if person.is_key else 1)


def _company(world: World, colleague: Colleague, person: Person) -> tuple[list[Colleague], list[Person]]:
    """Who took part besides the drawn pair: all of them know each other (are relationships)."""
    rnd = world.rng.random
    colleagues, people = [colleague], [person]
    if rnd() < SECOND_COLLEAGUE and len(person.contacts) > 1:
        others = [c for c in person.contacts if c is not colleague]
        colleagues.append(others[int(rnd() * len(others))])
    wanted = PEOPLE_PER_CONTACT.draw(world.rng)
    if wanted == 1:
        return colleagues, people
    same_node, known = person.node.people, person.node.group.by_colleague[colleague.id]
    for _attempt in range(3 * (wanted - 1)):
        pool = same_node if rnd() < SAME_NODE else known
        other = pool[int(rnd() * len(pool))]
        if other not in people and all(c in other.contacts for c in colleagues):
            people.append(other)
            if len(people) == wanted:
                break
    return colleagues, people


def _interaction(world: World, pk: int, colleague: Colleague, people: list[Person]) -> tuple[tuple, float, int]:
    """The row of a contact, what it is worth to its relationships, and its moment."""
    rng, first = world.rng, people[0]
    rnd = rng.random
    kind = KINDS.draw(rng)
    sentiment = SENTIMENTS[first.attitude].draw(rng)
    who = first.name if len(people) == 1 else ", ".join(p.name for p in people[:-1]) + " and " + people[-1].name
    topic = TOPICS[int(rnd() * len(TOPICS))]
    event = names.EVENTS[int(rnd() * len(names.EVENTS))]
    opening = names.OPENINGS[kind].format(person=who, topic=topic, account=first.node.name, event=event)
    outcomes = names.OUTCOMES[sentiment]
    moment = _moment(world)
    at = world.moments[moment]
    summary = f"{opening}; {outcomes[int(rnd() * len(outcomes))]}"
    base = decay.INTERACTION_POINTS[kind] * decay.SENTIMENT_FACTOR[sentiment]
    return (pk, at, at, first.node.id, kind, at, summary, sentiment, colleague.id), base, moment


def _moment(world: World) -> int:
    """A five-minute slot in the working hours (local time) of one of the last HISTORY_DAYS
    days, recent ones more likely; never today, so never in the future. Returns its number:
    world.moments holds it ready for the database, world.ages how many days ago it was and
    world.weights what is left of a contact's points then (all worked out once per slot)."""
    rnd, moments = world.rng.random, world.moments
    if not moments:
        for numbers in (moments, world.ages, world.weights):
            numbers.extend([None] * (HISTORY_DAYS * SLOTS))
    index = int(HISTORY_DAYS * rnd() ** RECENCY) * SLOTS + int(rnd() * SLOTS)
    if moments[index] is None:
        day, slot = divmod(index, SLOTS)
        start = timezone.make_aware(datetime.combine(world.today - timedelta(days=day + 1), time(7)))
        at = start + timedelta(minutes=5 * slot)
        moments[index] = world.loader.stamp(at)
        world.ages[index] = decay.age_in_days(at, world.now)
        world.weights[index] = decay.points(1.0, world.ages[index])
    return index


def build_gives(world: World) -> int:
    """Pay-forward gives and favours received, on existing relationships."""
    rng, now = world.rng, world.now
    rows = []
    for _ in range(int(len(world.pairs) * GIVES_PER_RELATIONSHIP)):
        colleague, person = rng.choice(world.pairs)
        kind = GIVE_KINDS.draw(rng)
        given = rng.random() < 0.7
        description = rng.choice(names.GIVES[kind] if given else names.RECEIVED)
        moment = _moment(world)
        at, direction = world.moments[moment], "given" if given else "received"
        rows.append((at, now, person.id, colleague.id, direction, kind, at, description))
        _credit(world, [colleague], [person], decay.GIVE_POINTS[direction], moment)
    columns = ("created_at", "updated_at", "stakeholder_id", "user_id", "direction", "kind", "occurred_at",
               "description")  # fmt: skip
    return world.loader.insert("stakeholders_give", columns, rows)
